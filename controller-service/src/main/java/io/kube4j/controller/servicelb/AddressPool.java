package io.kube4j.controller.servicelb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The IPv4 addresses LoadBalancer Services may get, from entries such as {@code 192.168.50.0/28}
 * (its network and broadcast addresses left out when it has them) or
 * {@code 192.168.50.10-192.168.50.20}. An immutable value; allocation is first-free in entry order.
 */
public record AddressPool(List<long[]> ranges) {

    public static AddressPool parse(List<String> entries) {
        List<long[]> ranges = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) continue;
            int dash = e.indexOf('-');
            if (dash > 0) {
                long first = toLong(e.substring(0, dash).trim()), last = toLong(e.substring(dash + 1).trim());
                if (last < first) throw new IllegalArgumentException("an empty address range: " + e);
                ranges.add(new long[]{first, last});
                continue;
            }
            String[] parts = e.split("/");
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
            if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("not a CIDR: " + e);
            long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
            long base = toLong(parts[0]) & mask;
            long last = base | (~mask & 0xFFFFFFFFL);
            if (prefix <= 30) {
                base++;
                last--;
            }
            ranges.add(new long[]{base, last});
        }
        return new AddressPool(List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(String address) {
        long a;
        try {
            a = toLong(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (long[] r : ranges) if (a >= r[0] && a <= r[1]) return true;
        return false;
    }

    /** The first address of the pool not in {@code used}. */
    public Optional<String> firstFree(Set<String> used) {
        for (long[] r : ranges) {
            for (long a = r[0]; a <= r[1]; a++) {
                String text = toText(a);
                if (!used.contains(text)) return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    static long toLong(String address) {
        String[] o = address.split("\\.");
        if (o.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + address);
        long v = 0;
        for (String part : o) {
            int n = Integer.parseInt(part);
            if (n < 0 || n > 255) throw new IllegalArgumentException("not an IPv4 address: " + address);
            v = v << 8 | n;
        }
        return v;
    }

    static String toText(long v) {
        return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
    }
}
