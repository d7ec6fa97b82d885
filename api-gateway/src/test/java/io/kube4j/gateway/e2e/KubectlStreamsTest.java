package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kubectl logs and kubectl exec through the gateway to a node's agent: a fake agent on a loopback
 * port stands for the node of the pods, so what the gateway forwards is seen exactly and what
 * kubectl prints is what it got back. The real node agent serves the same paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlStreamsTest {

    private GatewayCluster cluster;
    private Kubectl kubectl;
    private FakeKubelet kubelet;

    @BeforeAll
    void start() throws IOException {
        cluster = GatewayCluster.start();
        kubectl = cluster.kubectl;
        kubelet = new FakeKubelet();
        kubectl.ok("create", "namespace", "streams");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Node
                metadata: {name: node-1}
                """, "apply", "-f", "-");
        kubectl.ok("patch", "node", "node-1", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.port() + "}}}}");
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: streams}
                spec:
                  nodeName: node-1
                  containers: [{name: app, image: busybox:1.35}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: pair, namespace: streams}
                spec:
                  nodeName: node-1
                  containers: [{name: first, image: busybox:1.35}, {name: second, image: busybox:1.35}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: waiting, namespace: streams}
                spec:
                  nodeName: node-1
                  containers: [{name: app, image: busybox:1.35}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: legacy, namespace: streams}
                spec:
                  nodeName: node-1
                  containers: [{name: app, image: busybox:1.35}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: pending, namespace: streams}
                spec:
                  containers: [{name: app, image: busybox:1.35}]
                """, "apply", "-f", "-");
    }

    @AfterAll
    void stop() throws IOException {
        if (kubelet != null) kubelet.close();
        if (cluster != null) cluster.close();
    }

    @Test
    void kubectlLogsPrintsWhatTheNodeServesForThePodsContainer() {
        Kubectl.Result result = kubectl.run("logs", "web", "-n", "streams", "-v=6");
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.out()).isEqualTo("hello from app\nsecond line\n");
        // kubectl names the container itself; the gateway passes kube-apiserver's query to the node.
        assertThat(result.err()).contains("GET " + cluster.url() + "/api/v1/namespaces/streams/pods/web/log?container=app 200");
        assertThat(targets()).contains("/containerLogs/streams/web/app");
    }

    @Test
    void kubectlLogsOptionsReachTheNode() {
        String out = kubectl.ok("logs", "pair", "-n", "streams", "-c", "second", "--tail=3", "--timestamps",
                "--since=2m", "--limit-bytes=500", "--previous");
        assertThat(out).isEqualTo("hello from second\nsecond line\n");
        assertThat(targets()).contains(
                "/containerLogs/streams/pair/second?limitBytes=500&previous=true&sinceSeconds=120&tailLines=3&timestamps=true");
    }

    @Test
    void kubectlLogsFollowPrintsLinesAsTheyArrive() throws Exception {
        try (StreamingKubectl follow = StreamingKubectl.start(kubectl, "logs", "-f", "web", "-n", "streams")) {
            follow.awaitLine("line 1 from app"::equals, Duration.ofSeconds(30));
            assertThat(follow.lines()).doesNotContain("line 2 from app");
            kubelet.releaseFollow();
            follow.awaitLine("line 2 from app"::equals, Duration.ofSeconds(30));
        }
        assertThat(targets()).contains("/containerLogs/streams/web/app?follow=true");
    }

    @Test
    void aPodWithSeveralContainersNeedsOneNamedOnTheApi() {
        ApiHttp api = new ApiHttp(cluster.url(), cluster.caPem, cluster.token);
        ApiHttp.Response response = api.get("/api/v1/namespaces/streams/pods/pair/log");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("message").asString())
                .isEqualTo("a container name must be specified for pod pair, choose one of: [first second]");
        // kubectl picks the first container itself, as against kube-apiserver.
        Kubectl.Result result = kubectl.run("logs", "pair", "-n", "streams");
        assertThat(result.out()).isEqualTo("hello from first\nsecond line\n");
        assertThat(result.err()).contains("Defaulted container \"first\" out of: first, second");
    }

    @Test
    void errorsAreKubeApiserversStatuses() {
        Kubectl.Result missing = kubectl.run("logs", "nobody", "-n", "streams");
        assertThat(missing.err()).contains("pods \"nobody\" not found in namespace \"streams\"");
        Kubectl.Result pending = kubectl.run("logs", "pending", "-n", "streams");
        assertThat(pending.err()).contains("Error from server (BadRequest): pod pending does not have a host assigned");
        // kubectl checks container names itself; the API answers as kube-apiserver does.
        ApiHttp.Response wrongContainer = new ApiHttp(cluster.url(), cluster.caPem, cluster.token)
                .get("/api/v1/namespaces/streams/pods/web/log?container=db");
        assertThat(wrongContainer.status()).isEqualTo(400);
        assertThat(wrongContainer.body().path("message").asString()).isEqualTo("container db is not valid for pod web");
        Kubectl.Result waiting = kubectl.run("logs", "waiting", "-n", "streams");
        assertThat(waiting.err()).contains(
                "Error from server (BadRequest): container \"app\" in pod \"waiting\" is waiting to start: ContainerCreating");
    }

    @Test
    void kubectlExecRunsOverAWebSocketTheGatewayRelaysToTheNode() {
        Kubectl.Result result = kubectl.run("exec", "web", "-n", "streams", "--", "echo", "hello world");
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.out()).isEqualTo("ran: echo hello world\n");
        FakeKubelet.Request exec = kubelet.requests().stream()
                .filter(r -> r.target().startsWith("/exec/streams/web/app?command=echo")).findFirst().orElseThrow();
        assertThat(exec.target()).isEqualTo("/exec/streams/web/app?command=echo&command=hello+world&stderr=1&stdout=1");
        assertThat(exec.method()).isEqualTo("GET");
        assertThat(exec.header("sec-websocket-protocol")).contains("v5.channel.k8s.io");
        assertThat(exec.header("host")).isEqualTo("127.0.0.1:" + kubelet.port());
        // The user's credentials stay with the gateway.
        assertThat(exec.header("authorization")).isNull();
    }

    @Test
    void nodesProxyReachesTheNodesAgent() throws Exception {
        assertThat(kubectl.ok("get", "--raw", "/api/v1/nodes/node-1/proxy/healthz")).isEqualTo("ok");
        assertThat(targets()).contains("/healthz");
        // The agent's own answers pass through as they are.
        assertThat(rawGet("/api/v1/nodes/node-1/proxy/configz?pretty=1")).isEqualTo("404 404 page not found");
        assertThat(targets()).contains("/configz?pretty=1");
        assertThat(rawGet("/api/v1/nodes/node-9/proxy/healthz")).startsWith("404 {").contains("nodes \\\"node-9\\\" not found");
    }

    private String rawGet(String path) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .sslContext(ApiHttp.trusting(cluster.caPem)).build();
        java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(cluster.url() + path))
                .header("Authorization", "Bearer " + cluster.token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void kubectlsSpdyFallbackReachesTheNodeToo() {
        Kubectl.Result result = kubectl.run("exec", "legacy", "-n", "streams", "--", "true");
        assertThat(result.ok()).isFalse();
        assertThat(result.err()).contains("SPDY is not served here either");
        List<FakeKubelet.Request> tries = kubelet.requests().stream()
                .filter(r -> r.target().startsWith("/exec/streams/legacy/")).toList();
        assertThat(tries).extracting(FakeKubelet.Request::method).containsExactly("GET", "POST");
        FakeKubelet.Request spdy = tries.get(1);
        assertThat(spdy.header("upgrade")).isEqualTo("SPDY/3.1");
        assertThat(spdy.header("x-stream-protocol-version")).contains("v4.channel.k8s.io");
        assertThat(spdy.target()).isEqualTo("/exec/streams/legacy/app?command=true&stderr=1&stdout=1");
    }

    @Test
    void execIntoAPodWithoutANodeIsKubeApiserversBadRequest() {
        Kubectl.Result result = kubectl.run("exec", "pending", "-n", "streams", "--", "true");
        assertThat(result.ok()).isFalse();
        assertThat(result.err()).contains("pod pending does not have a host assigned");
    }

    @Test
    void kubectlExecSendsStdinThroughTheGateway() {
        Kubectl.Result result = kubectl.runWithInput("typed line one\ntyped line two\n", "exec", "-i", "web", "-n", "streams",
                "--", "cat");
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.out()).isEqualTo("typed line one\ntyped line two\n");
        assertThat(targets()).contains("/exec/streams/web/app?command=cat&stderr=1&stdin=1&stdout=1");
    }

    @Test
    void execNeedsCredentialsLikeEveryOtherRequest() throws Exception {
        int before = kubelet.requests().size();
        for (String authorization : new String[]{null, "Bearer not-a-token"}) {
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ApiHttp.trusting(cluster.caPem)
                    .getSocketFactory().createSocket("127.0.0.1", cluster.port)) {
                String head = "GET /api/v1/namespaces/streams/pods/web/exec?command=true&stdout=true HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + io.kube4j.machinery.stream.WebSocketFrames.newClientKey() + "\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
                socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                var response = io.kube4j.machinery.stream.ResponseHead.read(socket.getInputStream());
                assertThat(response.status()).isEqualTo(401);
            }
        }
        assertThat(kubelet.requests()).hasSize(before);
    }

    private List<String> targets() {
        return kubelet.requests().stream().map(FakeKubelet.Request::target).toList();
    }
}
