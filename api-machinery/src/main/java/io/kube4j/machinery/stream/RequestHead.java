package io.kube4j.machinery.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The head of an HTTP/1.1 request: method, request target (path and query, already encoded) and
 * headers, written exactly in the order given.
 */
public record RequestHead(String method, String target, List<Header> headers) {

    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        if (!method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("not an HTTP method: " + method);
        }
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("not an encoded origin-form request target: " + target);
        }
        headers = List.copyOf(headers);
    }

    /** The bytes on the wire, up to and including the empty line that ends the head. */
    public byte[] encode() {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (Header h : headers) head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
