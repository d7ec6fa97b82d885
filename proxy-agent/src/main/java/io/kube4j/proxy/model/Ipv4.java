package io.kube4j.proxy.model;

/** Dotted-quad IPv4 addresses as the rule back ends accept them. Parsing allocates nothing: it runs per endpoint per sync. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static boolean isValid(String text) {
        return text != null && toLongOrMinus(text) >= 0;
    }

    /** The address as an unsigned 32-bit number; {@code text} must be valid. */
    public static long toLong(String text) {
        long v = toLongOrMinus(text);
        if (v < 0) throw new IllegalArgumentException("not an IPv4 address: " + text);
        return v;
    }

    private static long toLongOrMinus(String text) {
        int n = text.length();
        if (n < 7 || n > 15) return -1;
        long value = 0;
        int octet = 0, digits = 0, dots = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (digits == 0 || ++dots > 3) return -1;
                value = value << 8 | octet;
                octet = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && octet == 0) return -1; // no leading zeros
                octet = octet * 10 + (c - '0');
                if (++digits > 3 || octet > 255) return -1;
            } else {
                return -1;
            }
        }
        if (dots != 3 || digits == 0) return -1;
        return value << 8 | octet;
    }

    public static String fromLong(long value) {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
}
