package io.kube4j.gateway.e2e;

import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Flow;

/**
 * Plain HTTPS requests to the gateway with the JDK's client, as a client library would make
 * them: JSON bodies, a bearer token, and watches read line by line as they arrive.
 */
final class ApiHttp {

    private final HttpClient http;
    private final String baseUrl;
    private final String token;

    ApiHttp(String baseUrl, byte[] caPem, String token) {
        this(baseUrl, caPem, token, HttpClient.Version.HTTP_1_1);
    }

    /** A client that asks for {@code version}: with HTTP_2 all its requests share one connection. */
    ApiHttp(String baseUrl, byte[] caPem, String token, HttpClient.Version version) {
        this.baseUrl = baseUrl;
        this.token = token;
        // Generous: the fan-out test opens a thousand TLS connections at once, on two busy cores.
        this.http = HttpClient.newBuilder().sslContext(trusting(caPem)).version(version)
                .connectTimeout(Duration.ofSeconds(60)).build();
    }

    /** The protocol version the gateway answered {@code path} with. */
    HttpClient.Version versionOf(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).version();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SSLContext trusting(byte[] caPem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem)));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response: its status code and its body as JSON (an empty object when the body is empty). */
    record Response(int status, ObjectNode body) {
        String resourceVersion() {
            return body.path("metadata").path("resourceVersion").asString();
        }
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response post(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    Response mergePatch(String path, String json) {
        return send("PATCH", path, "application/merge-patch+json", json);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            ObjectNode json = bytes.length == 0 ? Json.object() : Json.parseObject(bytes);
            return new Response(response.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a watch ({@code path} carries the query, {@code watch=true} included) and returns once the headers arrived. */
    Watch watch(String path) {
        try {
            return watchAsync(path).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("watch " + path, e);
        }
    }

    /** Starts a watch; the future completes with it when the response's headers arrived. */
    CompletableFuture<Watch> watchAsync(String path) {
        Watch watch = new Watch();
        CompletableFuture<Watch> headers = new CompletableFuture<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET().build();
        http.sendAsync(request, info -> {
            watch.status = info.statusCode();
            headers.complete(watch);
            return HttpResponse.BodySubscribers.fromLineSubscriber(watch);
        }).whenComplete((response, error) -> {
            if (error != null && !headers.isDone()) headers.completeExceptionally(error);
        });
        return headers;
    }

    /** The events of one watch, in arrival order, with a marker when the server ended the stream. */
    static final class Watch implements Flow.Subscriber<String>, AutoCloseable {
        /** Queued after the last event when the server closed the stream. */
        static final ObjectNode END = Json.object().put("type", "<end of stream>");

        private final LinkedBlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile int status;
        private volatile boolean ended;

        int status() {
            return status;
        }

        boolean ended() {
            return ended;
        }

        /** The next event, or null if none came within {@code timeout}. */
        ObjectNode next(Duration timeout) {
            try {
                return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The next {@code count} events that are not bookmarks; fails if they do not come within {@code timeout} in all. */
        List<ObjectNode> take(int count, Duration timeout) {
            List<ObjectNode> taken = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (taken.size() < count) {
                long left = deadline - System.nanoTime();
                ObjectNode event = left <= 0 ? null : next(Duration.ofNanos(left));
                if (event == null) {
                    throw new AssertionError("only " + taken.size() + " of " + count + " events came within "
                            + timeout + ": " + summary(taken));
                }
                if (event == END) throw new AssertionError("the stream ended after " + summary(taken));
                if (!"BOOKMARK".equals(type(event))) taken.add(event);
            }
            return taken;
        }

        /** Events other than bookmarks that arrive within {@code quiet}: none, if the watch is right. */
        List<ObjectNode> more(Duration quiet) {
            List<ObjectNode> extra = new ArrayList<>();
            long deadline = System.nanoTime() + quiet.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return extra;
                ObjectNode event = next(Duration.ofNanos(left));
                if (event == null) return extra;
                if (!"BOOKMARK".equals(type(event))) extra.add(event);
            }
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isBlank()) return;
            events.add(Json.parseObject(line.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void onError(Throwable throwable) {
            ended = true;
            events.add(END);
        }

        @Override
        public void onComplete() {
            ended = true;
            events.add(END);
        }

        @Override
        public void close() {
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }
    }

    static String type(JsonNode event) {
        return event.path("type").asString();
    }

    static String name(JsonNode event) {
        return event.path("object").path("metadata").path("name").asString();
    }

    static long resourceVersion(JsonNode event) {
        return Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asString());
    }

    static String summary(List<ObjectNode> events) {
        return events.stream().map(e -> type(e) + " " + name(e) + "@" + e.path("object").path("metadata")
                .path("resourceVersion").asString()).toList().toString();
    }
}
