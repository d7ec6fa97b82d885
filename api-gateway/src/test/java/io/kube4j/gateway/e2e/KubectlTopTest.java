package io.kube4j.gateway.e2e;

import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.testsupport.Kubectl;
import io.kube4j.testsupport.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl top against the gateway's metrics.k8s.io, fed from a real Redis the way node agents
 * feed it (keys of {@link EphemeralKeys}); and the gateway without Redis: metrics are 503s, the
 * rest of the API and readiness are unaffected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlTopTest {

    private RedisProcess redis;
    private GatewayCluster cluster;
    private Kubectl kubectl;

    @BeforeAll
    void start() {
        redis = RedisProcess.start();
        cluster = GatewayCluster.start(Map.of("spring.data.redis.port", Integer.toString(redis.port())));
        kubectl = cluster.kubectl;
        kubectl.ok("create", "namespace", "shop");
        kubectl.ok("create", "namespace", "tools");
        for (String node : List.of("node-1", "node-2")) {
            kubectl.runWithInput("apiVersion: v1\nkind: Node\nmetadata: {name: " + node + ", labels: {pool: "
                    + (node.equals("node-1") ? "blue" : "green") + "}}\n", "apply", "-f", "-");
            kubectl.ok("patch", "node", node, "--subresource=status", "--type=merge", "-p",
                    "{\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"4Gi\"},\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\"}}}");
        }
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: shop, labels: {app: web}}
                spec: {nodeName: node-1, containers: [{name: app, image: nginx:1.22}, {name: sidecar, image: busybox:1.35}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db, namespace: shop, labels: {app: db}}
                spec: {nodeName: node-2, containers: [{name: postgres, image: busybox:1.35}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: toolbox, namespace: tools, labels: {app: toolbox}}
                spec: {nodeName: node-2, containers: [{name: shell, image: busybox:1.35}]}
                """, "apply", "-f", "-");
        writeSamples();
    }

    private void writeSamples() {
        String now = Instant.now().toString();
        node("node-1", now, "250m", "1Gi");
        node("node-2", now, "1500m", "3Gi");
        // node-2's agent has not reported for node-3, and nobody has for a pod that does not exist.
        pod("shop", "web", now, "{\"name\":\"app\",\"usage\":{\"cpu\":\"5m\",\"memory\":\"20Mi\"}},"
                + "{\"name\":\"sidecar\",\"usage\":{\"cpu\":\"1m\",\"memory\":\"4Mi\"}}");
        pod("shop", "db", now, "{\"name\":\"postgres\",\"usage\":{\"cpu\":\"120m\",\"memory\":\"300Mi\"}}");
        pod("tools", "toolbox", now, "{\"name\":\"shell\",\"usage\":{\"cpu\":\"0\",\"memory\":\"1Mi\"}}");
        pod("shop", "gone", now, "{\"name\":\"x\",\"usage\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}");
    }

    private void node(String name, String timestamp, String cpu, String memory) {
        redis.command("SET", EphemeralKeys.nodeMetrics(name), "{\"timestamp\":\"" + timestamp + "\",\"window\":\"15s\","
                + "\"usage\":{\"cpu\":\"" + cpu + "\",\"memory\":\"" + memory + "\"}}", "EX",
                Integer.toString(EphemeralKeys.METRICS_TTL_SECONDS));
    }

    private void pod(String namespace, String name, String timestamp, String containers) {
        redis.command("SET", EphemeralKeys.podMetrics(namespace, name), "{\"timestamp\":\"" + timestamp
                + "\",\"window\":\"15s\",\"containers\":[" + containers + "]}", "EX",
                Integer.toString(EphemeralKeys.METRICS_TTL_SECONDS));
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
        if (redis != null) redis.close();
    }

    @Test
    void kubectlTopNodesShowsUsageAndItsShareOfAllocatable() {
        assertThat(cells(PrintedTable.parse(kubectl.ok("top", "nodes")))).containsExactly(
                List.of("node-1", "250m", "12%", "1024Mi", "25%"),
                List.of("node-2", "1500m", "75%", "3072Mi", "75%"));
        assertThat(PrintedTable.parse(kubectl.ok("top", "node", "-l", "pool=green")).column("NAME")).containsExactly("node-2");
        assertThat(PrintedTable.parse(kubectl.ok("top", "node", "node-1")).column("NAME")).containsExactly("node-1");
    }

    @Test
    void kubectlTopPodsInANamespaceAllNamespacesBySelectorAndPerContainer() {
        PrintedTable shop = PrintedTable.parse(kubectl.ok("top", "pods", "-n", "shop"));
        assertThat(shop.headers()).containsExactly("NAME", "CPU(cores)", "MEMORY(bytes)");
        assertThat(cells(shop)).containsExactlyInAnyOrder(List.of("web", "6m", "24Mi"), List.of("db", "120m", "300Mi"));

        PrintedTable all = PrintedTable.parse(kubectl.ok("top", "pods", "-A"));
        assertThat(all.column("NAME")).containsExactlyInAnyOrder("web", "db", "toolbox");

        assertThat(PrintedTable.parse(kubectl.ok("top", "pods", "-n", "shop", "-l", "app=db")).column("NAME"))
                .containsExactly("db");

        PrintedTable containers = PrintedTable.parse(kubectl.ok("top", "pod", "web", "-n", "shop", "--containers"));
        assertThat(cells(containers)).containsExactlyInAnyOrder(
                List.of("web", "app", "5m", "20Mi"), List.of("web", "sidecar", "1m", "4Mi"));
    }

    @Test
    void aPodWithoutASampleIsNotFoundAsMetricsServerSaysIt() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: fresh, namespace: tools}
                spec: {containers: [{name: c, image: busybox:1.35}]}
                """, "apply", "-f", "-");
        ApiHttp.Response response = new ApiHttp(cluster.url(), cluster.caPem, cluster.token)
                .get("/apis/metrics.k8s.io/v1beta1/namespaces/tools/pods/fresh");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().path("message").asString()).isEqualTo("podmetrics.metrics.k8s.io \"tools/fresh\" not found");
    }

    @Test
    void theMetricsApiIsInDiscovery() {
        String resources = kubectl.ok("api-resources", "--api-group=metrics.k8s.io", "-o", "wide");
        PrintedTable table = PrintedTable.parse(resources);
        assertThat(table.column("NAME")).containsExactlyInAnyOrder("nodes", "pods");
        assertThat(table.column("VERBS")).containsOnly("get,list");
    }

    @Test
    void withoutRedisMetricsAre503sAndEverythingElseKeepsWorking() throws Exception {
        redis.stop();
        try {
            Kubectl.Result top = kubectl.run("top", "pods", "-n", "shop");
            assertThat(top.ok()).isFalse();
            assertThat(top.err()).contains("ServiceUnavailable");
            ApiHttp.Response response = new ApiHttp(cluster.url(), cluster.caPem, cluster.token)
                    .get("/apis/metrics.k8s.io/v1beta1/nodes");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.body().path("reason").asString()).isEqualTo("ServiceUnavailable");
            assertThat(PrintedTable.parse(kubectl.ok("get", "pods", "-n", "shop")).column("NAME")).contains("web", "db");
            assertThat(readyz()).isEqualTo("200 ok");
        } finally {
            redis.restart();
            writeSamples();
        }
        // The connection comes back by itself once Redis does.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(kubectl.run("top", "pods", "-n", "shop").out()).contains("web"));
    }

    private static List<List<String>> cells(PrintedTable table) {
        return table.rows().stream().map(row -> List.copyOf(row.values())).toList();
    }

    private String readyz() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(ApiHttp.trusting(cluster.caPem)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }
}
