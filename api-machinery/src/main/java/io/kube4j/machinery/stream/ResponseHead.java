package io.kube4j.machinery.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The head of an HTTP/1.1 response: status code, reason phrase and headers in arrival order.
 *
 * @param status  the status code, e.g. 101
 * @param reason  the reason phrase, possibly empty
 * @param headers the header lines (obsolete line folding is not accepted)
 */
public record ResponseHead(int status, String reason, List<Header> headers) {

    /** Heads longer than this are refused: a backend that sends one is not speaking HTTP to us. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    public ResponseHead {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> first(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** Every value of a header, by case-insensitive name, in arrival order. */
    public List<String> all(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /**
     * Reads a response head byte by byte, so that nothing after the empty line is consumed: the
     * bytes that follow a 101 belong to the upgraded protocol.
     *
     * @throws EOFException when the stream ends before the head does
     * @throws IOException  when the head is malformed or longer than {@link #MAX_HEAD_BYTES}
     */
    public static ResponseHead read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("the backend closed the connection before its response head ended");
            if (++total > MAX_HEAD_BYTES) throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
                if (line.isEmpty()) break;
                lines.add(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        return parse(lines);
    }

    /** Parses the lines of a head (status line first, without line ends). */
    static ResponseHead parse(List<String> lines) throws IOException {
        if (lines.isEmpty()) throw new IOException("empty response head");
        String statusLine = lines.getFirst();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
            throw new IOException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        List<Header> headers = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            int colon = l.indexOf(':');
            if (colon <= 0 || l.charAt(0) == ' ' || l.charAt(0) == '\t') {
                throw new IOException("malformed header line: " + printable(l));
            }
            headers.add(new Header(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
        }
        return new ResponseHead(status, parts.length > 2 ? parts[2] : "", headers);
    }

    private static String printable(String s) {
        String cut = s.length() > 120 ? s.substring(0, 120) + "…" : s;
        return new String(cut.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII);
    }
}
