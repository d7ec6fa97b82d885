package io.kube4j.proxy.policy;

import io.kube4j.proxy.model.Ipv4;

/** IPv4 CIDR ranges as policies name them. */
final class Cidrs {

    private Cidrs() {
    }

    /** {@code text} with its host bits cleared ({@code 10.0.0.5/8} → {@code 10.0.0.0/8}), or null when it is no IPv4 CIDR. */
    static String normalize(String text) {
        if (text == null) return null;
        int slash = text.indexOf('/');
        if (slash < 0) return Ipv4.isValid(text) ? text + "/32" : null;
        String address = text.substring(0, slash);
        int bits;
        try {
            bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (!Ipv4.isValid(address) || bits < 0 || bits > 32) return null;
        return Ipv4.fromLong(Ipv4.toLong(address) & mask(bits)) + "/" + bits;
    }

    /** Whether the address {@code ip} lies in the normalized range {@code cidr}. */
    static boolean contains(String cidr, String ip) {
        int slash = cidr.indexOf('/');
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        return (Ipv4.toLong(ip) & mask(bits)) == Ipv4.toLong(cidr.substring(0, slash));
    }

    private static long mask(int bits) {
        return bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    }
}
