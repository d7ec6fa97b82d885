package io.kube4j.proxy.model;

/** Dotted-quad IPv4 addresses as the rule back ends accept them. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static boolean isValid(String text) {
        if (text == null) return false;
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return false;
            if (Integer.parseInt(p) > 255) return false;
            if (p.length() > 1 && p.charAt(0) == '0') return false;
        }
        return true;
    }

    public static long toLong(String text) {
        long value = 0;
        for (String p : text.split("\\.")) value = value << 8 | Integer.parseInt(p);
        return value;
    }

    public static String fromLong(long value) {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
}
