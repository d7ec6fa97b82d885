package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.Ipv4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * The elements that grow with the Services and endpoints, in the form the kernel stores them, for
 * {@link ElementLoader}: {@code backends-PROTO} (list number . index → address . port), {@code hairpin}
 * (address . address), {@code service-marks} (address . protocol . port → list number) and
 * {@code service-ips} (address . protocol . port → goto chain). A list number, an index and a mark
 * are numbers in host byte order; addresses and ports are in network byte order, each field of a
 * concatenation padded to 4 bytes. Pure functions.
 */
final class BulkElements {

    /** The sets whose elements a staged full sync loads from here rather than through nft. */
    static final Set<String> SETS = Set.of(NftablesRenderer.BACKENDS_TCP, NftablesRenderer.BACKENDS_UDP, NftablesRenderer.BACKENDS_SCTP,
            NftablesRenderer.HAIRPIN, NftablesRenderer.SERVICE_MARKS, NftablesRenderer.SERVICE_IPS);

    private BulkElements() {
    }

    /** The elements of {@link #SETS}: the endpoint lists of TCP, UDP and SCTP, then hairpin, service-marks and service-ips. */
    static List<ElementLoader.SetElements> of(Collection<NftablesRenderer.Fragment> fragments, Collection<String> hairpinIps) {
        List<ElementLoader.SetElements> out = new ArrayList<>(6);
        for (String set : NftablesRenderer.BACKENDS) out.add(lists(fragments, set));
        int marks = count(fragments, NftablesRenderer.SERVICE_MARKS);
        int services = count(fragments, NftablesRenderer.SERVICE_IPS);
        ByteBuffer markKeys = ByteBuffer.allocate(marks * 12).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer markValues = ByteBuffer.allocate(marks * 4).order(ByteOrder.nativeOrder());
        ByteBuffer serviceKeys = ByteBuffer.allocate(services * 12).order(ByteOrder.BIG_ENDIAN);
        List<String> chains = new ArrayList<>(services);
        for (NftablesRenderer.Fragment f : fragments) {
            f.elements().get(NftablesRenderer.SERVICE_MARKS).forEach((key, mark) -> {
                putServiceKey(markKeys, key);
                markValues.putInt((int) Long.parseLong(mark));
            });
            f.elements().get(NftablesRenderer.SERVICE_IPS).forEach((key, verdict) -> {
                if (!verdict.startsWith("goto ")) throw new IllegalArgumentException("not a goto: " + verdict);
                putServiceKey(serviceKeys, key);
                chains.add(verdict.substring(5));
            });
        }
        ByteBuffer pairs = ByteBuffer.allocate(hairpinIps.size() * 8).order(ByteOrder.BIG_ENDIAN);
        // Rendered from Backend, whose address is valid.
        for (String ip : hairpinIps) {
            int address = (int) Ipv4.toLong(ip);
            pairs.putInt(address).putInt(address);
        }
        out.add(new ElementLoader.SetElements(NftablesRenderer.HAIRPIN, 8, 0, hairpinIps.size(), pairs.array(), new byte[0]));
        out.add(new ElementLoader.SetElements(NftablesRenderer.SERVICE_MARKS, 12, 4, marks, markKeys.array(), markValues.array()));
        out.add(ElementLoader.SetElements.gotos(NftablesRenderer.SERVICE_IPS, 12, serviceKeys.array(), chains));
        return out;
    }

    /** One protocol's endpoint lists: rendered as "ID . INDEX" → "ADDRESS . PORT" by NftablesRenderer. */
    private static ElementLoader.SetElements lists(Collection<NftablesRenderer.Fragment> fragments, String set) {
        int slots = count(fragments, set);
        ByteBuffer keys = ByteBuffer.allocate(slots * 8).order(ByteOrder.nativeOrder());
        ByteBuffer targets = ByteBuffer.allocate(slots * 8).order(ByteOrder.BIG_ENDIAN);
        for (NftablesRenderer.Fragment f : fragments) {
            f.elements().get(set).forEach((slot, target) -> {
                long key = listAndIndex(slot);
                keys.putInt((int) (key >>> 32)).putInt((int) key);
                targets.putLong(addressAndPort(target));
            });
        }
        return new ElementLoader.SetElements(set, 8, 8, slots, keys.array(), targets.array());
    }

    private static int count(Collection<NftablesRenderer.Fragment> fragments, String set) {
        int n = 0;
        for (NftablesRenderer.Fragment f : fragments) {
            SortedMap<String, String> m = f.elements().get(set);
            if (m != null) n += m.size();
        }
        return n;
    }

    /** "ID . INDEX" (as the renderer writes it) as ID in the high 32 bits and INDEX in the low ones; one pass, it runs once per endpoint. */
    static long listAndIndex(String key) {
        long id = 0, index = 0;
        int i = 0, n = key.length();
        for (char c; i < n && (c = key.charAt(i)) != ' '; i++) id = id * 10 + digit(c, key);
        if (i == 0 || i + 3 >= n || !key.startsWith(" . ", i)) throw new IllegalArgumentException("not ID . INDEX: " + key);
        for (i += 3; i < n; i++) index = index * 10 + digit(key.charAt(i), key);
        if (id >>> 32 != 0 || index >>> 32 != 0) throw new IllegalArgumentException("out of range: " + key);
        return id << 32 | index;
    }

    private static int digit(char c, String text) {
        if (c < '0' || c > '9') throw new IllegalArgumentException("not a number in " + text);
        return c - '0';
    }

    /**
     * "A.B.C.D . PROTOCOL . PORT" (a Service key as the renderer writes it) as the kernel's 12
     * bytes: address, protocol number and 3 bytes of padding, port and 2 bytes of padding.
     */
    static void putServiceKey(ByteBuffer b, String key) {
        int first = key.indexOf(" . "), second = key.indexOf(" . ", first + 3);
        if (first < 0 || second < 0) throw new IllegalArgumentException("not ADDRESS . PROTOCOL . PORT: " + key);
        int port = Integer.parseInt(key, second + 3, key.length(), 10);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + key);
        b.putInt((int) Ipv4.toLong(key.substring(0, first)));
        b.put((byte) protocolNumber(key.substring(first + 3, second))).put((byte) 0).putShort((short) 0);
        b.putShort((short) port).putShort((short) 0);
    }

    static int protocolNumber(String protocol) {
        return switch (protocol) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "sctp" -> 132;
            default -> throw new IllegalArgumentException("unknown protocol: " + protocol);
        };
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
