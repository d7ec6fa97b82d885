package io.kube4j.node.stream;

import io.kube4j.node.runtime.ContainerRuntime.StreamFlags;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a streaming request's options as the kubelet reads them: {@code stdin}, {@code stdout},
 * {@code stderr} and {@code tty} are set by {@code 1} or {@code true}; {@code command} repeats, one
 * argument each; {@code port} lists ports separated by commas (and may repeat). Pure functions.
 */
public final class StreamRequests {

    private StreamRequests() {
    }

    public static StreamFlags flags(Map<String, String[]> query) {
        return new StreamFlags(flag(query, "stdin"), flag(query, "stdout"), flag(query, "stderr"), flag(query, "tty"));
    }

    public static List<String> command(Map<String, String[]> query) {
        String[] values = query.get("command");
        return values == null ? List.of() : List.of(values);
    }

    /** The ports to forward; a malformed or out-of-range one is an {@link IllegalArgumentException} with the kubelet's message. */
    public static List<Integer> ports(Map<String, String[]> query) {
        List<Integer> ports = new ArrayList<>();
        String[] values = query.get("port");
        if (values == null) return ports;
        for (String value : values) {
            for (String part : value.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) continue;
                int port;
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unable to parse \"" + p + "\" as a port: not an integer");
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port \"" + p + "\" must be between 1 and 65535, inclusive");
                }
                ports.add(port);
            }
        }
        return ports;
    }

    /** Whether the upgrade asks for WebSocket (as opposed to SPDY/3.1). */
    public static boolean isWebSocket(String upgradeHeader) {
        if (upgradeHeader == null) return false;
        for (String token : upgradeHeader.split(",")) {
            if (token.trim().toLowerCase(Locale.ROOT).equals("websocket")) return true;
        }
        return false;
    }

    /**
     * The first of {@code served} (in its order of preference) that the client offers in its
     * {@code Sec-WebSocket-Protocol} headers (each a comma-separated list; case-insensitive), or null.
     */
    public static String choose(List<String> served, List<String> offeredHeaders) {
        List<String> offered = offeredHeaders.stream().flatMap(h -> java.util.Arrays.stream(h.split(",")))
                .map(p -> p.trim().toLowerCase(Locale.ROOT)).toList();
        for (String p : served) if (offered.contains(p.toLowerCase(Locale.ROOT))) return p;
        return null;
    }

    private static boolean flag(Map<String, String[]> query, String name) {
        String[] values = query.get(name);
        if (values == null || values.length == 0) return false;
        String v = values[0].trim().toLowerCase(Locale.ROOT);
        return v.equals("1") || v.equals("true");
    }
}
