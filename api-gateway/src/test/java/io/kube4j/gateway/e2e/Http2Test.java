package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.kube4j.gateway.e2e.ApiHttp.name;
import static io.kube4j.gateway.e2e.ApiHttp.type;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 next to HTTP/1.1 on a real gateway: clients that offer h2 by ALPN get it, and one
 * connection carries hundreds of watches at once, as client-go multiplexes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2Test {

    private static final int WATCHES = 300;

    private GatewayCluster cluster;
    private ApiHttp h2;
    private ApiHttp h1;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start(Map.of());
        h2 = new ApiHttp(cluster.url(), cluster.caPem, cluster.token, HttpClient.Version.HTTP_2);
        h1 = new ApiHttp(cluster.url(), cluster.caPem, cluster.token, HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void answersEachClientInTheProtocolItOffers() {
        assertThat(h2.versionOf("/version")).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h1.versionOf("/version")).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    /** Go's HTTP/2 transport reports itself under GODEBUG=http2debug=1; kubectl uses it unasked. */
    @Test
    void kubectlSpeaksHttp2() {
        Kubectl.Result version = cluster.kubectl.withEnvironment(Map.of("GODEBUG", "http2debug=1"))
                .run("get", "--raw", "/version");
        assertThat(version.ok()).as(version.toString()).isTrue();
        assertThat(version.out()).contains("\"gitVersion\"");
        assertThat(version.err()).contains("http2: Transport");
    }

    /**
     * More watches than Tomcat's defaults allow on one connection (100 open streams, 20 running):
     * all of them open on the one connection the client already has, and every one gets the write.
     */
    @Test
    void hundredsOfWatchesShareOneConnectionAndAllGetEveryEvent() throws Exception {
        String ns = "/api/v1/namespaces/h2-fanout";
        assertThat(h2.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"h2-fanout\"}}").status()).isEqualTo(201);
        ApiHttp.Response list = h2.get(ns + "/configmaps");
        assertThat(list.status()).isEqualTo(200);
        String from = list.resourceVersion();
        long connectionsBefore = connections();

        List<CompletableFuture<ApiHttp.Watch>> opening = IntStream.range(0, WATCHES)
                .mapToObj(i -> h2.watchAsync(ns + "/configmaps?watch=true&resourceVersion=" + from)).toList();
        List<ApiHttp.Watch> watches = new ArrayList<>();
        try {
            for (CompletableFuture<ApiHttp.Watch> f : opening) watches.add(f.get(60, TimeUnit.SECONDS));
            assertThat(watches).allMatch(w -> w.status() == 200);
            assertThat(connections()).as("connections to the gateway").isEqualTo(connectionsBefore);

            List<String> names = List.of("first", "second", "third");
            for (String name : names) {
                ApiHttp.Response created = h2.post(ns + "/configmaps", "{\"metadata\":{\"name\":\"" + name + "\"}}");
                assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
            }
            for (ApiHttp.Watch watch : watches) {
                List<ObjectNode> events = watch.take(names.size(), Duration.ofSeconds(30));
                assertThat(events).extracting(e -> type(e) + " " + name(e))
                        .containsExactly("ADDED first", "ADDED second", "ADDED third");
            }
        } finally {
            watches.forEach(ApiHttp.Watch::close);
            opening.forEach(f -> f.thenAccept(ApiHttp.Watch::close));
        }
    }

    /** Connections open on the gateway's connector right now. */
    private long connections() {
        TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) cluster.gateway).getWebServer();
        return ((AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler()).getConnectionCount();
    }
}
