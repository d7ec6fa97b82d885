package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pure translation of {@link ProxyRules} into the per-service part of the kube4j table.
 *
 * <p>Shape (the skeleton's maps dispatch to per-service chains, so a change to one Service
 * rewrites only its own chains and map elements):
 * <ul>
 * <li>{@code svc-ID-ns/name/proto/port}: balances across the endpoints with one rule. One
 *     endpoint: a plain {@code dnat to ADDRESS:PORT}, no slot and no map element. Several:
 *     {@code ct mark set numgen random mod n offset BASE goto dispatch-tcp}: the connection's
 *     mark picks one of the Service's n slots, and the single rule of {@code dispatch-tcp}
 *     DNATs through the shared {@code backends} map (slot → address . port). An endpoint change
 *     is then a change of map elements only. Measured at 10,000 Services × 10 endpoints: a full
 *     sync as one nft script costs nft and the kernel ~1.4 s of CPU this way, nearly all of it in
 *     the 210,000 map and set elements (4–8 µs each, two thirds of it nft's parsing; a chain with
 *     its rule ~13 µs); staged ({@link NftablesBackend}), the 200,000 slot and hairpin elements
 *     go over netlink into sets of known size (~1 µs each) and nft and the kernel spend ~0.45 s
 *     on the rest. Slower shapes measured: one
 *     DNAT rule per endpoint (every rule added makes the kernel walk every rule of the table to
 *     validate it, 70 ms an update at that size), a named map per Service (5.8 s), an anonymous
 *     numgen map per Service (15 s: the kernel names anonymous sets in time quadratic in their
 *     number), and the per-Service rule DNATing through the shared map itself (15 s of kernel
 *     time: each rule naming a map makes every element added cost in proportion to the rules).
 *     Neither an address-only slot map (the port in a dispatch chain per port) nor a slot key of
 *     {@code ct mark . numgen} behind one shared chain per endpoint count (no chain per Service)
 *     measured cheaper: what they save in chains or data they pay in wider keys or bindings.</li>
 * <li>With sessionAffinity ClientIP, per endpoint a chain {@code sep-ID-EP} that records the
 *     client in a set {@code aff-ID-EP} with the affinity timeout; the service chain first sends
 *     a client found in an endpoint's set back to that endpoint.</li>
 * <li>{@code ext-ID-…}: traffic from outside (node ports, external and load-balancer IPs).
 *     Cluster policy: marked for masquerade, then the service chain. Local policy: only this
 *     node's endpoints and the client's address kept; traffic the node itself sends still goes
 *     to any endpoint, masqueraded.</li>
 * <li>Elements: {@code service-ips} (cluster and external IP . protocol . port → chain),
 *     {@code service-nodeports} (protocol . port → chain), {@code no-endpoint-*} (→ reject),
 *     {@code hairpin} (endpoint . endpoint, masqueraded when a pod reaches itself through its
 *     Service; only endpoints that may be this node's pods, since another node's pod never sends
 *     through this node's rules: at 10,000 Services × 10 endpoints on one node it is 100,000
 *     elements, a third of nft's work), {@code nodeport-ips}.</li>
 * </ul>
 * The ID is a hash of the port's name and affinity timeout, so chains are stable across syncs and
 * a changed timeout is a new set of chains rather than an in-place change of a set's type.
 */
public final class NftablesRenderer {

    public static final String SERVICE_IPS = "service-ips";
    public static final String SERVICE_NODEPORTS = "service-nodeports";
    public static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    public static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    public static final String HAIRPIN = "hairpin";
    public static final String NODEPORT_IPS = "nodeport-ips";
    public static final String BACKENDS = "backends";
    /** Every node port a Service holds, with or without endpoints: what the node-port guard lets through. */
    public static final String KNOWN_NODEPORTS = "known-nodeports";
    static final String REJECT = "goto reject-chain";

    private NftablesRenderer() {
    }

    /** The whole table's per-service part, with slots allocated in order from a fresh allocator. */
    public static NftRuleset render(ProxyRules rules) {
        SlotAllocator slots = new SlotAllocator();
        List<Fragment> fragments = new ArrayList<>(rules.services().size());
        for (ServicePortRules s : rules.services()) {
            int cluster = clusterSlots(s), local = localSlots(s);
            fragments.add(fragment(s, cluster > 0 ? slots.allocate(cluster) : -1, local > 0 ? slots.allocate(local) : -1));
        }
        TreeMap<String, Integer> hairpin = new TreeMap<>();
        for (Fragment f : fragments) f.hairpinIps().forEach(ip -> hairpin.merge(ip, 1, Integer::sum));
        return merge(fragments, hairpin.keySet(), rules.nodePortAddresses());
    }

    /**
     * One Service port's share of the table. The hairpin set is shared (two Services may have
     * the same endpoint), so a fragment names its endpoint addresses rather than owning elements.
     */
    public record Fragment(SortedMap<String, List<String>> chains, SortedMap<String, String> sets,
                           SortedMap<String, SortedMap<String, String>> elements, List<String> hairpinIps) {
    }

    /** A ruleset holding {@code fragments}, the given hairpin addresses and node-port addresses, and nothing else. */
    public static NftRuleset merge(java.util.Collection<Fragment> fragments, java.util.Collection<String> hairpinIps,
                                   java.util.Collection<String> nodePortAddresses) {
        TreeMap<String, List<String>> chains = new TreeMap<>();
        TreeMap<String, String> sets = new TreeMap<>();
        TreeMap<String, SortedMap<String, String>> elements = new TreeMap<>();
        for (String name : List.of(SERVICE_IPS, SERVICE_NODEPORTS, NO_ENDPOINT_SERVICES, NO_ENDPOINT_NODEPORTS, HAIRPIN, NODEPORT_IPS, BACKENDS, KNOWN_NODEPORTS)) {
            elements.put(name, new TreeMap<>());
        }
        for (Fragment f : fragments) {
            chains.putAll(f.chains());
            sets.putAll(f.sets());
            f.elements().forEach((set, values) -> elements.get(set).putAll(values));
        }
        for (String ip : hairpinIps) elements.get(HAIRPIN).put(ip + " . " + ip, "");
        for (String address : nodePortAddresses) elements.get(NODEPORT_IPS).put(address, "");
        return new NftRuleset(chains, sets, elements);
    }

    /**
     * One Service port's share of the table; {@code clusterBase} and {@code localBase} are the first
     * slots of its blocks in the slot maps for all its endpoints and for this node's (used under
     * externalTrafficPolicy Local), -1 where {@link #clusterSlots} or {@link #localSlots} is 0.
     */
    public static Fragment fragment(ServicePortRules s, long clusterBase, long localBase) {
        TreeMap<String, List<String>> chains = new TreeMap<>();
        TreeMap<String, String> sets = new TreeMap<>();
        TreeMap<String, SortedMap<String, String>> elements = new TreeMap<>();
        for (String name : List.of(SERVICE_IPS, SERVICE_NODEPORTS, NO_ENDPOINT_SERVICES, NO_ENDPOINT_NODEPORTS, BACKENDS, KNOWN_NODEPORTS)) {
            elements.put(name, new TreeMap<>());
        }
        String id = id(s);
        String proto = s.name().protocol().lower();
        String svcChain = "svc-" + id + "-" + readable(s);
        String extChain = "ext-" + id + "-" + readable(s);
        LinkedHashSet<Backend> all = new LinkedHashSet<>(s.endpoints());
        all.addAll(s.localEndpoints());
        // Only an endpoint that may be a pod of this node can reach itself through this node's rules.
        Set<String> elsewhere = new HashSet<>();
        for (Backend b : s.otherNodeEndpoints()) elsewhere.add(b.ip());
        List<String> hairpin = all.stream().map(Backend::ip).filter(ip -> !elsewhere.contains(ip)).distinct().toList();
        if (s.affinitySeconds() > 0) {
            for (Backend b : all) {
                sets.put(affinitySet(id, b), "{ type ipv4_addr ; flags dynamic,timeout ; timeout " + s.affinitySeconds() + "s ; }");
                chains.put(endpointChain(id, b), List.of(
                        "update @" + affinitySet(id, b) + " { ip saddr }",
                        "meta l4proto " + proto + " dnat to " + b));
            }
        }
        String clusterKey = s.clusterIP() + " . " + proto + " . " + s.port();
        if (!s.endpoints().isEmpty()) {
            chains.put(svcChain, balance(id, proto, s.endpoints(), s.affinitySeconds() > 0, clusterBase, elements));
            elements.get(SERVICE_IPS).put(clusterKey, "goto " + svcChain);
        } else {
            elements.get(NO_ENDPOINT_SERVICES).put(clusterKey, REJECT);
        }
        if (s.hasExternal()) {
            List<String> ext = new ArrayList<>();
            if (!s.externalLocal()) {
                if (!s.endpoints().isEmpty()) {
                    ext.add("jump mark-for-masquerade");
                    ext.add("goto " + svcChain);
                }
            } else {
                if (!s.endpoints().isEmpty()) {
                    ext.add("fib saddr type local jump mark-for-masquerade");
                    ext.add("fib saddr type local goto " + svcChain);
                }
                if (!s.localEndpoints().isEmpty()) {
                    ext.addAll(balance(id, proto, s.localEndpoints(), s.affinitySeconds() > 0, localBase, elements));
                } else if (!ext.isEmpty()) {
                    ext.add("drop");
                }
            }
            SortedMap<String, String> ips = ext.isEmpty() ? elements.get(NO_ENDPOINT_SERVICES) : elements.get(SERVICE_IPS);
            SortedMap<String, String> ports = ext.isEmpty() ? elements.get(NO_ENDPOINT_NODEPORTS) : elements.get(SERVICE_NODEPORTS);
            String verdict = ext.isEmpty() ? REJECT : "goto " + extChain;
            if (!ext.isEmpty()) chains.put(extChain, ext);
            for (String ip : s.externalIPs()) ips.put(ip + " . " + proto + " . " + s.port(), verdict);
            if (s.nodePort() > 0) {
                ports.put(proto + " . " + s.nodePort(), verdict);
                elements.get(KNOWN_NODEPORTS).put(proto + " . " + s.nodePort(), "");
            }
        }
        return new Fragment(chains, sets, elements, hairpin);
    }

    /**
     * Rules that pick one of {@code backends} uniformly. Without affinity: one rule, and for two or
     * more endpoints their slots from {@code base} in the backends map. With affinity: a client
     * seen before goes back to its endpoint's chain; else rule i picks endpoint i with 1/(n-i), the
     * last always.
     */
    private static List<String> balance(String id, String proto, List<Backend> backends, boolean affinity,
                                        long base, SortedMap<String, SortedMap<String, String>> elements) {
        List<String> out = new ArrayList<>();
        int n = backends.size();
        if (!affinity) {
            if (n == 1) {
                out.add("meta l4proto " + proto + " dnat to " + backends.getFirst());
                return out;
            }
            SortedMap<String, String> slots = elements.get(BACKENDS);
            for (int i = 0; i < n; i++) slots.put(Long.toString(base + i), backends.get(i).ip() + " . " + backends.get(i).port());
            out.add("ct mark set numgen random mod " + n + " offset " + base + " goto dispatch-" + proto);
            return out;
        }
        for (Backend b : backends) out.add("ip saddr @" + affinitySet(id, b) + " goto " + endpointChain(id, b));
        for (int i = 0; i < n; i++) {
            Backend b = backends.get(i);
            String pick = i == n - 1 ? "" : "numgen random mod " + (n - i) + " 0 ";
            out.add(pick + "goto " + endpointChain(id, b));
        }
        return out;
    }

    /** Slots the port's cluster-wide balancing takes: one per endpoint when it picks through a map (two or more, no affinity). */
    static int clusterSlots(ServicePortRules s) {
        return s.affinitySeconds() == 0 && s.endpoints().size() > 1 ? s.endpoints().size() : 0;
    }

    /** Slots the port's balancing over this node's endpoints takes (externalTrafficPolicy Local). */
    static int localSlots(ServicePortRules s) {
        return needsLocalSlots(s) && s.localEndpoints().size() > 1 ? s.localEndpoints().size() : 0;
    }

    /** Whether the port balances over this node's endpoints apart (externalTrafficPolicy Local without affinity). */
    static boolean needsLocalSlots(ServicePortRules s) {
        return s.externalLocal() && s.hasExternal() && !s.localEndpoints().isEmpty() && s.affinitySeconds() == 0;
    }

    static String id(ServicePortRules s) {
        return hash(s.name() + "/" + s.affinitySeconds());
    }

    private static String endpointChain(String id, Backend b) {
        return "sep-" + id + "-" + hash(b.toString());
    }

    private static String affinitySet(String id, Backend b) {
        return "aff-" + id + "-" + hash(b.toString());
    }

    private static String readable(ServicePortRules s) {
        ServicePortName n = s.name();
        return n.namespace() + "/" + n.name() + "/" + n.protocol().lower() + "/" + (n.port().isEmpty() ? Integer.toString(s.port()) : n.port());
    }

    /** Eight base-32 characters of SHA-256: short names, collisions negligible at 10^5 names. */
    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
            long bits = 0;
            for (int i = 0; i < 5; i++) bits = bits << 8 | (d[i] & 0xff);
            StringBuilder sb = new StringBuilder(8);
            for (int i = 7; i >= 0; i--) sb.append(alphabet.charAt((int) (bits >> (i * 5) & 31)));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
