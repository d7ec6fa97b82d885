package io.kube4j.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.machinery.client.GatewayClients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A watch of a namespace's pods that reports the name of each pod seen with a node, reading the watch
 * stream's events as bytes and picking out only {@code object.metadata.name} and
 * {@code object.spec.nodeName} — as a lean client would — rather than turning every event into a Pod
 * object, which cost the benchmark's process more CPU than the gateway spent serving the events.
 *
 * <p>Runs until {@link #close}; a pod's name may be reported more than once (once per event that shows
 * it bound).
 */
final class BoundPodWatch implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

    private final HttpResponse<AsyncBody> response;

    /**
     * Starts the watch (from now: the namespace's existing pods arrive first as ADDED events) and returns
     * once the gateway has answered it.
     *
     * @param onBound called, on the client's threads, with the name of each pod an event shows bound
     */
    BoundPodWatch(KubernetesClient client, String namespace, Consumer<String> onBound) throws Exception {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(GatewayClients.url(client, "/api/v1/namespaces/" + namespace + "/pods?watch=true&timeoutSeconds=3600"))
                .build();
        Lines lines = new Lines(line -> {
            String name = boundPodName(line);
            if (name != null) onBound.accept(name);
        });
        this.response = http.consumeBytes(request, (List<ByteBuffer> buffers, AsyncBody body) -> {
            for (ByteBuffer buffer : buffers) lines.accept(buffer);
            body.consume();
        }).get(60, TimeUnit.SECONDS);
        if (response.code() != 200) {
            response.body().cancel();
            throw new IllegalStateException("the watch of " + namespace + "'s pods answered " + response.code());
        }
        response.body().consume();
    }

    @Override
    public void close() {
        response.body().cancel();
    }

    /**
     * The pod's name if the watch event {@code line} (one JSON object: {@code {"type":…,"object":{…}}}) shows a
     * pod with a non-empty {@code spec.nodeName}; null otherwise, also for an event that is not a pod's (an
     * ERROR's Status). Only those two fields are read; everything else is skipped unparsed.
     */
    static String boundPodName(byte[] line) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return null;
            String name = null;
            String nodeName = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"object".equals(field) || value != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String part = parser.currentName();
                    JsonToken partValue = parser.nextToken();
                    if ("metadata".equals(part) && partValue == JsonToken.START_OBJECT) {
                        name = stringField(parser, "name");
                    } else if ("spec".equals(part) && partValue == JsonToken.START_OBJECT) {
                        nodeName = stringField(parser, "nodeName");
                    } else {
                        parser.skipChildren();
                    }
                }
            }
            return name != null && nodeName != null && !nodeName.isEmpty() ? name : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Within the object the parser has just entered: the string field {@code wanted}, reading to the object's end. */
    private static String stringField(JsonParser parser, String wanted) throws IOException {
        String found = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (wanted.equals(field) && value == JsonToken.VALUE_STRING) found = parser.getText();
            else parser.skipChildren();
        }
        return found;
    }

    /** Cuts a byte stream into lines (without their newline); a line may span any number of buffers. */
    static final class Lines {
        private final Consumer<byte[]> onLine;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Lines(Consumer<byte[]> onLine) {
            this.onLine = onLine;
        }

        /**
         * Takes the buffer's remaining bytes; calls back for every line they complete. Copies them a
         * stretch up to the next newline at a time, not byte by byte: the watch carries megabytes.
         * Not thread-safe.
         */
        void accept(ByteBuffer buffer) {
            while (buffer.hasRemaining()) {
                int newline = buffer.position();
                while (newline < buffer.limit() && buffer.get(newline) != '\n') newline++;
                byte[] stretch = new byte[newline - buffer.position()];
                buffer.get(stretch);
                pending.writeBytes(stretch);
                if (newline == buffer.limit()) return;
                buffer.get();
                if (pending.size() > 0) onLine.accept(pending.toByteArray());
                pending.reset();
            }
        }
    }
}
