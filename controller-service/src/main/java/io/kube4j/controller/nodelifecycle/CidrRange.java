package io.kube4j.controller.nodelifecycle;

import java.util.Optional;
import java.util.Set;

/**
 * An IPv4 cluster CIDR cut into equal node subnets: subnet {@code i} of {@code 10.244.0.0/16} with
 * mask 24 is {@code 10.244.i.0/24}. An immutable value; a pure function of its inputs.
 */
public record CidrRange(long base, int prefix, int nodeMask) {

    public static CidrRange parse(String cidr, int nodeMask) {
        String[] parts = cidr.trim().split("/");
        if (parts.length != 2) throw new IllegalArgumentException("not a CIDR: " + cidr);
        int prefix = Integer.parseInt(parts[1]);
        long address = toLong(parts[0]);
        if (prefix < 0 || prefix > 32 || nodeMask < prefix || nodeMask > 32) {
            throw new IllegalArgumentException("a /" + nodeMask + " does not fit in " + cidr);
        }
        long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        return new CidrRange(address & mask, prefix, nodeMask);
    }

    public long size() {
        return 1L << (nodeMask - prefix);
    }

    public String subnet(long index) {
        long address = base + (index << (32 - nodeMask));
        return toText(address) + "/" + nodeMask;
    }

    /** The index of {@code subnet} in this range, if it is one of its subnets. */
    public Optional<Long> indexOf(String subnet) {
        try {
            String[] parts = subnet.split("/");
            if (parts.length != 2 || Integer.parseInt(parts[1]) != nodeMask) return Optional.empty();
            long offset = toLong(parts[0]) - base;
            long step = 1L << (32 - nodeMask);
            if (offset < 0 || offset % step != 0 || offset / step >= size()) return Optional.empty();
            return Optional.of(offset / step);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first subnet whose index is not {@code used}, if any is left. */
    public Optional<String> firstFree(Set<Long> used) {
        for (long i = 0; i < size(); i++) if (!used.contains(i)) return Optional.of(subnet(i));
        return Optional.empty();
    }

    private static long toLong(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
        long v = 0;
        for (String o : octets) {
            int n = Integer.parseInt(o);
            if (n < 0 || n > 255) throw new IllegalArgumentException("not an IPv4 address: " + ip);
            v = (v << 8) | n;
        }
        return v;
    }

    private static String toText(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
