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
                int dot = target.indexOf(" . ");
                keys.putInt((int) Long.parseLong(slot));
                values.putInt((int) Ipv4.toLong(target.substring(0, dot)));
                values.putShort((short) Integer.parseInt(target, dot + 3, target.length(), 10)).putShort((short) 0);
            });
        }
        ByteBuffer pairs = ByteBuffer.allocate(hairpinIps.size() * 8).order(ByteOrder.BIG_ENDIAN);
        for (String ip : hairpinIps) {
            int address = (int) Ipv4.toLong(ip);
            pairs.putInt(address).putInt(address);
        }
        return List.of(
                new ElementLoader.SetElements(NftablesRenderer.BACKENDS, 4, 8, slots, keys.array(), values.array()),
                new ElementLoader.SetElements(NftablesRenderer.HAIRPIN, 8, 0, hairpinIps.size(), pairs.array(), new byte[0]));
    }
}
