package io.kube4j.gateway.e2e;

import io.kube4j.machinery.object.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Watches over WebSocket, with the JDK's WebSocket client as a client library would open them:
 * one text message per event, the server's close when the watch times out, credentials in the
 * Authorization header or, for clients that cannot set headers, in a subprotocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketWatchTest {

    private GatewayCluster cluster;
    private HttpClient http;
    private ApiHttp api;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start();
        http = HttpClient.newBuilder().sslContext(ApiHttp.trusting(cluster.caPem)).build();
        api = new ApiHttp(cluster.url(), cluster.caPem, cluster.token);
        assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"ws\"}}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/namespaces/ws/configmaps", "{\"metadata\":{\"name\":\"first\"}}").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void eachEventIsOneTextMessageAndTheClientsCloseIsAnswered() throws Exception {
        assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"ws-events\"}}").status()).isEqualTo(201);
        api.post("/api/v1/namespaces/ws-events/configmaps", "{\"metadata\":{\"name\":\"first\"}}");
        Messages messages = new Messages();
        WebSocket socket = open("/api/v1/namespaces/ws-events/configmaps?watch=true", messages,
                b -> b.header("Authorization", "Bearer " + cluster.token).subprotocols("v4.channel.k8s.io"));
        assertThat(socket.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
        JsonNode added = messages.nextEvent();
        assertThat(added.path("type").asString()).isEqualTo("ADDED");
        assertThat(added.path("object").path("metadata").path("name").asString()).isEqualTo("first");

        api.post("/api/v1/namespaces/ws-events/configmaps", "{\"metadata\":{\"name\":\"second\"}}");
        JsonNode second = messages.nextEvent();
        assertThat(second.path("type").asString()).isEqualTo("ADDED");
        assertThat(second.path("object").path("metadata").path("name").asString()).isEqualTo("second");

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(messages.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void theServerClosesNormallyWhenTheWatchTimesOut() throws Exception {
        Messages messages = new Messages();
        open("/api/v1/namespaces/ws/configmaps?watch=true&timeoutSeconds=1&labelSelector=none%3Dnone", messages,
                b -> b.header("Authorization", "Bearer " + cluster.token));
        assertThat(messages.closed.get(20, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
        assertThat(messages.events).isEmpty();
    }

    @Test
    void aTokenMayComeAsASubprotocolWhichIsNeverEchoed() throws Exception {
        Messages messages = new Messages();
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(cluster.token.getBytes(StandardCharsets.UTF_8));
        WebSocket socket = open("/api/v1/namespaces/ws/configmaps?watch=true&fieldSelector=metadata.name%3Dfirst", messages,
                b -> b.subprotocols("base64url.bearer.authorization.k8s.io." + token, "json"));
        assertThat(socket.getSubprotocol()).isEqualTo("json");
        assertThat(messages.nextEvent().path("object").path("metadata").path("name").asString()).isEqualTo("first");
        socket.abort();
    }

    @Test
    void withoutCredentialsTheHandshakeIsRefused() {
        assertThatThrownBy(() -> open("/api/v1/namespaces/ws/configmaps?watch=true", new Messages(),
                b -> b.header("Authorization", "Bearer wrong")))
                .rootCause().hasMessageContaining("401");
    }

    @Test
    void aResourceVersionTooOldIsAnErrorEventThenAClose() throws Exception {
        // Far ahead of nothing is fine; far behind the compacted revision is what 410 is for: compact first.
        long revision = cluster.etcdRevision();
        api.post("/api/v1/namespaces/ws/configmaps", "{\"metadata\":{\"name\":\"third\"}}");
        cluster.store().compact(cluster.etcdRevision());
        Messages messages = new Messages();
        open("/api/v1/namespaces/ws/configmaps?watch=true&resourceVersion=" + (revision - 1), messages,
                b -> b.header("Authorization", "Bearer " + cluster.token));
        JsonNode error = messages.nextEvent();
        assertThat(error.path("type").asString()).isEqualTo("ERROR");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(messages.closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    private WebSocket open(String path, Messages messages,
                           java.util.function.UnaryOperator<WebSocket.Builder> configure) throws Exception {
        URI uri = URI.create("wss://127.0.0.1:" + cluster.port + path);
        try {
            return configure.apply(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)))
                    .buildAsync(uri, messages).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("handshake failed", e);
        }
    }

    /** What the server sent: each complete text message, and the close code once it closes. */
    private static final class Messages implements WebSocket.Listener {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode nextEvent() throws InterruptedException {
            String message = events.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("a watch event within 20 s").isNotNull();
            // The bytes of a plain watch's line: the event's JSON and a newline.
            assertThat(message).endsWith("\n");
            return Json.MAPPER.readTree(message);
        }
    }
}
