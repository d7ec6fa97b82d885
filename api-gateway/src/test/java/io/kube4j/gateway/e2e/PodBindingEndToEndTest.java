package io.kube4j.gateway.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pods/binding against a real gateway on a real etcd: the answers a scheduler sees, and how long
 * a batch of bindings takes next to the creates of the same pods (printed, not asserted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodBindingEndToEndTest {

    private static final int PODS = 400;
    private static final int CLIENTS = 8;

    private GatewayCluster cluster;
    private ApiHttp api;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start();
        api = new ApiHttp(cluster.url(), cluster.caPem, cluster.token);
        assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"bind\"}}").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    private static String pod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    }

    private static String binding(String name, String kind, String node) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"target\":{\"kind\":\"" + kind + "\",\"name\":\"" + node + "\"}}";
    }

    @Test
    void answersAsKubeApiserver() {
        assertThat(api.post("/api/v1/namespaces/bind/pods", pod("one")).status()).isEqualTo(201);

        ApiHttp.Response bound = api.post("/api/v1/namespaces/bind/pods/one/binding", binding("one", "Node", "n1"));
        assertThat(bound.status()).isEqualTo(201);
        assertThat(bound.body().path("status").asString()).isEqualTo("Success");
        ApiHttp.Response pod = api.get("/api/v1/namespaces/bind/pods/one");
        assertThat(pod.body().path("spec").path("nodeName").asString()).isEqualTo("n1");
        assertThat(pod.body().path("status").path("conditions").toString()).contains("\"type\":\"PodScheduled\",\"status\":\"True\"");

        ApiHttp.Response again = api.post("/api/v1/namespaces/bind/pods/one/binding", binding("one", "Node", "n2"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("message").asString())
                .isEqualTo("Operation cannot be fulfilled on pods/binding \"one\": pod one is already assigned to node \"n1\"");

        ApiHttp.Response missing = api.post("/api/v1/namespaces/bind/pods/none/binding", binding("none", "Node", "n1"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().path("reason").asString()).isEqualTo("NotFound");

        ApiHttp.Response notNode = api.post("/api/v1/namespaces/bind/pods/one/binding", binding("one", "Pod", "n1"));
        assertThat(notNode.status()).isEqualTo(422);
        assertThat(notNode.body().path("reason").asString()).isEqualTo("Invalid");
    }

    @Test
    void bindsABatchOfPods() throws Exception {
        // A first round warms the gateway's code paths so that neither timed batch pays for it.
        List<String> warmup = new ArrayList<>();
        for (int i = 0; i < PODS / 2; i++) warmup.add("warmup-" + i);
        timed(warmup, name -> api.post("/api/v1/namespaces/bind/pods", pod(name)).status());
        timed(warmup, name -> api.post("/api/v1/namespaces/bind/pods/" + name + "/binding",
                binding(name, "Node", "node-0")).status());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < PODS; i++) names.add("batch-" + i);

        long createNanos = timed(names, name -> api.post("/api/v1/namespaces/bind/pods", pod(name)).status());
        long bindNanos = timed(names, name -> api.post("/api/v1/namespaces/bind/pods/" + name + "/binding",
                binding(name, "Node", "node-" + (name.hashCode() & 7))).status());

        System.out.printf("pods/binding: %d pods, %d clients: creates %.1f ms (%.0f/s), bindings %.1f ms (%.0f/s), "
                        + "binding/create cost %.2f%n", PODS, CLIENTS, createNanos / 1e6, PODS / (createNanos / 1e9),
                bindNanos / 1e6, PODS / (bindNanos / 1e9), (double) bindNanos / createNanos);
        for (String name : List.of(names.getFirst(), names.getLast())) {
            assertThat(api.get("/api/v1/namespaces/bind/pods/" + name).body().path("spec").path("nodeName").asString())
                    .startsWith("node-");
        }
    }

    /** Sends one request per name from {@link #CLIENTS} threads; every answer must be a 201. */
    private long timed(List<String> names, java.util.function.ToIntFunction<String> request) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String name : names) answers.add(clients.submit(() -> request.applyAsInt(name)));
            for (Future<Integer> answer : answers) assertThat(answer.get()).isEqualTo(201);
        }
        return System.nanoTime() - start;
    }
}
