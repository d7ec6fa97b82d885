package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.Ipv4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;

/**
 * The elements that grow with the endpoints ({@code backends}: slot → address . port, and
 * {@code hairpin}: address . address) in the form the kernel stores them, for {@link ElementLoader}.
 * A slot is a conntrack mark, a number in host byte order; addresses and ports are in network byte
 * order, each field of a concatenation padded to 4 bytes. Pure functions.
 */
final class BulkElements {

    private BulkElements() {
    }

    static List<ElementLoader.SetElements> of(Collection<NftablesRenderer.Fragment> fragments, Collection<String> hairpinIps) {
        int slots = 0;
        for (NftablesRenderer.Fragment f : fragments) {
            SortedMap<String, String> m = f.elements().get(NftablesRenderer.BACKENDS);
            if (m != null) slots += m.size();
        }
        ByteBuffer keys = ByteBuffer.allocate(slots * 4).order(ByteOrder.nativeOrder());
        ByteBuffer values = ByteBuffer.allocate(slots * 8).order(ByteOrder.BIG_ENDIAN);
        for (NftablesRenderer.Fragment f : fragments) {
            SortedMap<String, String> m = f.elements().get(NftablesRenderer.BACKENDS);
            if (m == null) continue;
            // Rendered as "SLOT" → "ADDRESS . PORT" by NftablesRenderer.
            m.forEach((slot, target) -> {
                keys.putInt((int) Long.parseLong(slot));
                values.putLong(addressAndPort(target));
            });
        }
        ByteBuffer pairs = ByteBuffer.allocate(hairpinIps.size() * 8).order(ByteOrder.BIG_ENDIAN);
        // Rendered from Backend, whose address is valid.
        for (String ip : hairpinIps) {
            int address = (int) Ipv4.toLong(ip);
            pairs.putInt(address).putInt(address);
        }
        return List.of(
                new ElementLoader.SetElements(NftablesRenderer.BACKENDS, 4, 8, slots, keys.array(), values.array()),
                new ElementLoader.SetElements(NftablesRenderer.HAIRPIN, 8, 0, hairpinIps.size(), pairs.array(), new byte[0]));
    }

    /**
     * "A.B.C.D . PORT" (as the renderer writes a slot's target, from a valid Backend) as the
     * kernel's 8 bytes, read as one big-endian long: address, port, two bytes of padding. One pass,
     * no substring: it runs once per endpoint of a full sync.
     */
    static long addressAndPort(String target) {
        long address = 0;
        int octet = 0, i = 0, n = target.length();
        for (char c; i < n && (c = target.charAt(i)) != ' '; i++) {
            if (c == '.') {
                address = address << 8 | octet;
                octet = 0;
            } else {
                octet = octet * 10 + (c - '0');
            }
        }
        address = address << 8 | octet;
        int port = 0;
        for (i += 3; i < n; i++) port = port * 10 + (target.charAt(i) - '0');
        if (address >>> 32 != 0 || port < 1 || port > 65535) throw new IllegalArgumentException("not ADDRESS . PORT: " + target);
        return address << 32 | (long) port << 16;
    }
}
