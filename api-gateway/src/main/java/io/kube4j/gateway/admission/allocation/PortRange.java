package io.kube4j.gateway.admission.allocation;

import java.util.OptionalLong;

/** An inclusive range of TCP/UDP ports such as {@code 30000-32767}. */
public record PortRange(int first, int last) implements AllocationRange {

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("invalid port range " + first + "-" + last);
        }
    }

    /** Parses {@code first-last} (or a single port). */
    public static PortRange parse(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        try {
            return dash < 0 ? new PortRange(Integer.parseInt(t), Integer.parseInt(t))
                    : new PortRange(Integer.parseInt(t.substring(0, dash).strip()), Integer.parseInt(t.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port range " + text, e);
        }
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    @Override
    public long size() {
        return last - first + 1L;
    }

    @Override
    public String valueAt(long offset) {
        if (offset < 0 || offset >= size()) throw new IndexOutOfBoundsException(offset);
        return Long.toString(first + offset);
    }

    @Override
    public OptionalLong offsetOf(String value) {
        try {
            int port = Integer.parseInt(value);
            return contains(port) ? OptionalLong.of(port - first) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String describe() {
        return first + "-" + last;
    }
}
