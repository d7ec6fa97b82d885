package io.kube4j.gateway.admission.allocation;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;

/**
 * The assignable addresses of a CIDR, as kube-apiserver's service IP allocator counts them: the
 * network address is never handed out, nor an IPv4 broadcast address; IPv6 ranges are capped at
 * 65,536 addresses. Offset 0 (e.g. {@code 10.96.0.1}) is reserved for the {@code kubernetes}
 * Service: automatic allocation skips it, a request for it is honoured.
 */
public final class IpRange implements AllocationRange {

    private static final long MAX_SIZE = 1L << 16;

    private final String cidr;
    private final boolean ipv4;
    private final BigInteger first;
    private final long size;

    private IpRange(String cidr, boolean ipv4, BigInteger first, long size) {
        this.cidr = cidr;
        this.ipv4 = ipv4;
        this.first = first;
        this.size = size;
    }

    /** Parses a CIDR such as {@code 10.96.0.0/12}; throws IllegalArgumentException when malformed or too small. */
    public static IpRange parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR: " + cidr);
        InetAddress address = literal(cidr.substring(0, slash));
        if (address == null) throw new IllegalArgumentException("not a CIDR: " + cidr);
        boolean v4 = address instanceof Inet4Address;
        int bits = v4 ? 32 : 128;
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("not a CIDR: " + cidr);
        BigInteger hostCount = BigInteger.ONE.shiftLeft(bits - prefix);
        BigInteger network = new BigInteger(1, address.getAddress()).shiftRight(bits - prefix).shiftLeft(bits - prefix);
        BigInteger usable = hostCount.subtract(BigInteger.valueOf(v4 ? 2 : 1));
        if (usable.signum() <= 0) throw new IllegalArgumentException("CIDR " + cidr + " has no assignable address");
        long size = usable.min(BigInteger.valueOf(v4 ? Long.MAX_VALUE : MAX_SIZE)).longValueExact();
        return new IpRange(toText(network, v4) + "/" + prefix, v4, network.add(BigInteger.ONE), size);
    }

    public boolean ipv4() {
        return ipv4;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String valueAt(long offset) {
        if (offset < 0 || offset >= size) throw new IndexOutOfBoundsException(offset);
        return toText(first.add(BigInteger.valueOf(offset)), ipv4);
    }

    @Override
    public OptionalLong offsetOf(String value) {
        InetAddress address = literal(value);
        if (address == null || (address instanceof Inet4Address) != ipv4) return OptionalLong.empty();
        BigInteger offset = new BigInteger(1, address.getAddress()).subtract(first);
        if (offset.signum() < 0 || offset.compareTo(BigInteger.valueOf(size)) >= 0) return OptionalLong.empty();
        return OptionalLong.of(offset.longValueExact());
    }

    /** The canonical text of an IP literal of this range's family, or null when it is none. */
    public String canonical(String value) {
        InetAddress address = literal(value);
        if (address == null || (address instanceof Inet4Address) != ipv4) return null;
        return toText(new BigInteger(1, address.getAddress()), ipv4);
    }

    @Override
    public boolean reserved(long offset) {
        return offset == 0;
    }

    @Override
    public String describe() {
        return cidr;
    }

    /** Parses an IP literal without ever resolving a host name; null when it is not one. */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) return null;
        boolean v4 = text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) return null;
        if (v4) {
            for (String part : text.split("\\.")) if (Integer.parseInt(part) > 255) return null;
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            return v4 == (a instanceof Inet4Address) || a instanceof Inet6Address ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String toText(BigInteger value, boolean v4) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[v4 ? 4 : 16];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            String s = InetAddress.getByAddress(bytes).getHostAddress();
            return v4 ? s : compressIpv6(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints {@code 0:0:0:0:0:0:0:1}; Go (and so Kubernetes) prints {@code ::1}. */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return full;
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
