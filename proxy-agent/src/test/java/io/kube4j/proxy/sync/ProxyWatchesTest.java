package io.kube4j.proxy.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watches' start-up against an API server that fails the first lists, as a gateway does while
 * it starts or when it is overloaded: the agent keeps trying instead of staying unsynced for good.
 * The server is a small stand-in that answers lists and holds watches open.
 */
class ProxyWatchesTest {

    private static final Map<String, String> LIST_KINDS = Map.of(
            "/api/v1/services", "ServiceList",
            "/apis/discovery.k8s.io/v1/endpointslices", "EndpointSliceList",
            "/api/v1/endpoints", "EndpointsList",
            "/api/v1/nodes", "NodeList");

    private HttpServer server;
    private KubernetesClient client;
    private final Map<String, AtomicInteger> lists = new ConcurrentHashMap<>();
    private volatile int failuresPerList;
    private final CountDownLatch closing = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0)
                .build()).build();
    }

    @AfterEach
    void stop() {
        closing.countDown();
        client.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
        String kind = LIST_KINDS.get(path);
        if (kind == null) {
            send(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        } else if (query.contains("watch=true")) {
            // Held open a second without events, then ended (the client watches again).
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try {
                closing.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        } else if (lists.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet() <= failuresPerList) {
            send(exchange, 503, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"ServiceUnavailable\",\"code\":503}");
        } else {
            send(exchange, 200, "{\"kind\":\"" + kind + "\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"7\"},\"items\":[]}");
        }
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void firstListsThatFailAreTriedAgainUntilTheySucceed() throws Exception {
        failuresPerList = 2;
        try (ProxyWatches watches = new ProxyWatches(client, "node-1", List.of(), false, false, () -> { })) {
            Thread starter = Thread.ofPlatform().start(() -> {
                try {
                    watches.startAndAwaitSynced(Duration.ofMillis(500));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            starter.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(starter.isAlive()).as("the watches synced within a minute").isFalse();
            assertThat(watches.synced()).isTrue();
        }
        assertThat(lists).containsOnlyKeys(LIST_KINDS.keySet());
        assertThat(lists.values()).allSatisfy(count -> assertThat(count.get()).isGreaterThan(2));
    }

    @Test
    void aFailureIsRetriedButAnUnreadableResponseIsNot() {
        assertThat(ProxyWatches.retry(false, new IOException("connection refused"))).isTrue();
        assertThat(ProxyWatches.retry(true, new IOException("connection reset"))).isTrue();
        assertThat(ProxyWatches.retry(false, new IllegalStateException("wrapped", new ClassCastException("not a Service")))).isFalse();
    }
}
