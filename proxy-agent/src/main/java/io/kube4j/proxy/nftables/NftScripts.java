package io.kube4j.proxy.nftables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code nft -f} scripts for the kube4j table: the full one (the table replaced whole, in one
 * transaction) and the incremental one (only the chains, sets and elements that differ).
 * Pure functions of their arguments.
 */
public final class NftScripts {

    /** Elements per {@code add element} line: long enough to amortize parsing, short enough for nft's buffers. */
    private static final int ELEMENTS_PER_LINE = 1000;

    /** The gateway's default NodePort range, which the node-port guard covers. */
    static final String NODE_PORT_RANGE = "30000-32767";

    private NftScripts() {
    }

    /**
     * The fixed part of the table: the dispatch maps, the base chains on the nat and filter hooks,
     * masquerading by mark and for hairpin traffic, the reject chain for Services without
     * endpoints (a refused connection rather than a timeout), and the node-port guard.
     */
    public static List<String> skeleton(String table) {
        List<String> all = new ArrayList<>(skeletonWithoutHooks(table, Map.of()));
        all.addAll(hooks(table));
        return all;
    }

    /**
     * The skeleton without its base chains: nothing in it sees a packet yet. {@code sizes} declares
     * sets and maps that grow with the Services and endpoints with that many elements at most
     * (see {@link #bulkSizes}; empty: none sized): a set of known size is a hash table of fixed
     * size, into which the kernel adds an element at a third of the cost of a resizable one
     * (measured: 200,000 elements, 0.54 s of kernel time without a size, 0.19 s with one).
     */
    static List<String> skeletonWithoutHooks(String table, Map<String, Integer> sizes) {
        String t = "ip " + table;
        java.util.function.Function<String, String> size = set -> sizes.containsKey(set) ? " size " + sizes.get(set) + " ;" : "";
        // Endpoint lists: a list's number (the conntrack mark) . index → the endpoint's address and port,
        // a map per protocol. Read only by the pick chains, one rule each: every rule naming a map is a
        // binding the kernel checks each element added against (measured: 10,000 such rules took a full
        // sync from 0.6 s to 15 s of kernel time).
        String backends = "add map " + t + " %s { typeof ct mark . numgen random mod 2 : ip daddr . %s dport ;%s }";
        return List.of(
                "add table " + t,
                "add set " + t + " nodeport-ips { type ipv4_addr ; }",
                "add set " + t + " hairpin { type ipv4_addr . ipv4_addr ;" + size.apply(NftablesRenderer.HAIRPIN) + " }",
                "add set " + t + " known-nodeports { type inet_proto . inet_service ; }",
                "add map " + t + " service-ips { type ipv4_addr . inet_proto . inet_service : verdict ;" + size.apply(NftablesRenderer.SERVICE_IPS) + " }",
                "add map " + t + " service-marks { type ipv4_addr . inet_proto . inet_service : mark ;" + size.apply(NftablesRenderer.SERVICE_MARKS) + " }",
                "add map " + t + " service-nodeports { type inet_proto . inet_service : verdict ; }",
                "add map " + t + " no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; }",
                "add map " + t + " no-endpoint-nodeports { type inet_proto . inet_service : verdict ; }",
                String.format(backends, NftablesRenderer.BACKENDS_TCP, "tcp", size.apply(NftablesRenderer.BACKENDS_TCP)),
                String.format(backends, NftablesRenderer.BACKENDS_UDP, "udp", size.apply(NftablesRenderer.BACKENDS_UDP)),
                String.format(backends, NftablesRenderer.BACKENDS_SCTP, "sctp", size.apply(NftablesRenderer.BACKENDS_SCTP)),
                "add chain " + t + " mark-for-masquerade",
                "add rule " + t + " mark-for-masquerade meta mark set meta mark | 0x4000",
                "add chain " + t + " reject-chain",
                "add rule " + t + " reject-chain meta l4proto tcp reject with tcp reset",
                "add rule " + t + " reject-chain reject",
                "add chain " + t + " services",
                // A cluster IP's list number first, as the mark its pick chain reads.
                "add rule " + t + " services ct mark set ip daddr . meta l4proto . th dport map @service-marks",
                "add rule " + t + " services ip daddr . meta l4proto . th dport vmap @service-ips",
                "add rule " + t + " services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports",
                "add chain " + t + " endpoints-check",
                "add rule " + t + " endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services",
                "add rule " + t + " endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports",
                // The node-port guard: a new TCP connection to a node port no Service holds yet (a Service
                // just created, before its rules) is dropped, not refused, so the client's retransmitted SYN
                // reaches the rules once they exist.
                "add rule " + t + " endpoints-check ip daddr @nodeport-ips meta l4proto tcp th dport " + NODE_PORT_RANGE
                        + " meta l4proto . th dport != @known-nodeports drop");
    }

    /** The base chains, on the nat and filter hooks: what makes the table see packets. */
    static List<String> hooks(String table) {
        String t = "ip " + table;
        return List.of(
                "add chain " + t + " nat-prerouting { type nat hook prerouting priority dstnat ; policy accept ; }",
                "add rule " + t + " nat-prerouting jump services",
                "add chain " + t + " nat-output { type nat hook output priority -100 ; policy accept ; }",
                "add rule " + t + " nat-output jump services",
                "add chain " + t + " nat-postrouting { type nat hook postrouting priority srcnat ; policy accept ; }",
                "add rule " + t + " nat-postrouting meta mark & 0x4000 == 0x4000 meta mark set meta mark ^ 0x4000 masquerade",
                "add rule " + t + " nat-postrouting ct status dnat ip saddr . ip daddr @hairpin masquerade",
                "add chain " + t + " filter-input { type filter hook input priority -110 ; policy accept ; }",
                "add rule " + t + " filter-input ct state new jump endpoints-check",
                "add chain " + t + " filter-forward { type filter hook forward priority -110 ; policy accept ; }",
                "add rule " + t + " filter-forward ct state new jump endpoints-check",
                "add chain " + t + " filter-output { type filter hook output priority -110 ; policy accept ; }",
                "add rule " + t + " filter-output ct state new jump endpoints-check");
    }

    /**
     * Replaces the table whole: whatever it held before (also from another process) is gone after.
     * Written straight from the fragments, in their order, with no merged or sorted copy of the
     * ruleset in between: at 10,000 Services that copy cost more than writing the script.
     * Within the script, sets and chains come before the rules that name them, and the rules
     * before the elements whose verdicts jump to the chains. {@code sharedChains} are the pick
     * chains the fragments use, with their rules.
     */
    public static String full(String table, Collection<NftablesRenderer.Fragment> fragments, Map<String, List<String>> sharedChains,
                              Collection<String> hairpinIps, Collection<String> nodePortAddresses) {
        StringBuilder sb = new StringBuilder(64 * 1024 + fragments.size() * 512);
        Map<String, Integer> sizes = bulkSizes(fragments, hairpinIps.size());
        // "add" first so that "delete" cannot fail on a fresh host.
        line(sb, "add table ip " + table);
        line(sb, "delete table ip " + table);
        skeletonWithoutHooks(table, sizes).forEach(l -> line(sb, l));
        hooks(table).forEach(l -> line(sb, l));
        body(sb, table, fragments, sharedChains, hairpinIps, nodePortAddresses, true);
        return sb.toString();
    }

    /**
     * The first of the three transactions of a staged full sync: {@code table} made anew with
     * everything but its base chains and the elements {@link BulkElements} holds (which
     * {@link ElementLoader} adds next); no packet sees any of it yet.
     */
    public static String staged(String table, Collection<NftablesRenderer.Fragment> fragments, Map<String, List<String>> sharedChains,
                                int hairpinCount, Collection<String> nodePortAddresses) {
        StringBuilder sb = new StringBuilder(64 * 1024 + fragments.size() * 16);
        line(sb, "add table ip " + table);
        line(sb, "delete table ip " + table);
        skeletonWithoutHooks(table, bulkSizes(fragments, hairpinCount)).forEach(l -> line(sb, l));
        body(sb, table, fragments, sharedChains, List.of(), nodePortAddresses, false);
        return sb.toString();
    }

    /**
     * The last transaction of a staged full sync: {@code table}'s base chains added and the table
     * {@code replaced} (which held the rules until then, if it exists) deleted, in one transaction,
     * so that packets see either the old rules or the new ones whole.
     */
    public static String activate(String table, String replaced) {
        StringBuilder sb = new StringBuilder(4096);
        hooks(table).forEach(l -> line(sb, l));
        line(sb, "add table ip " + replaced);
        line(sb, "delete table ip " + replaced);
        return sb.toString();
    }

    /**
     * The sizes of the sets that grow with the Services and endpoints (the endpoint lists of TCP
     * and UDP, the hairpin set, the cluster IPs' maps), each by {@link #bulkSize} of what it holds
     * now; SCTP's endpoint lists, rare, stay a resizable hash.
     */
    static Map<String, Integer> bulkSizes(Collection<NftablesRenderer.Fragment> fragments, int hairpinCount) {
        long tcp = 0, udp = 0, services = 0, marks = 0;
        for (NftablesRenderer.Fragment f : fragments) {
            tcp += f.elements().get(NftablesRenderer.BACKENDS_TCP).size();
            udp += f.elements().get(NftablesRenderer.BACKENDS_UDP).size();
            services += f.elements().get(NftablesRenderer.SERVICE_IPS).size();
            marks += f.elements().get(NftablesRenderer.SERVICE_MARKS).size();
        }
        return Map.of(NftablesRenderer.BACKENDS_TCP, bulkSize(tcp), NftablesRenderer.BACKENDS_UDP, bulkSize(udp),
                NftablesRenderer.HAIRPIN, bulkSize(hairpinCount), NftablesRenderer.SERVICE_IPS, bulkSize(services),
                NftablesRenderer.SERVICE_MARKS, bulkSize(marks));
    }

    /**
     * The most elements a sized set holding {@code count} may hold: at least twice that (rounded
     * up to a power of two, 65,536 at least), so that incremental syncs have room to grow. A sync
     * that would overfill a set fails ("set is full") and the full sync after it sizes them anew.
     */
    static int bulkSize(long count) {
        return (int) Math.min(1L << 30, Math.max(1L << 16, Long.highestOneBit(Math.max(1, count)) << 2));
    }

    private static void body(StringBuilder sb, String table, Collection<NftablesRenderer.Fragment> fragments,
                             Map<String, List<String>> sharedChains, Collection<String> hairpinIps,
                             Collection<String> nodePortAddresses, boolean bulk) {
        String t = "ip " + table;
        for (String name : sharedChains.keySet()) sb.append("add chain ").append(t).append(' ').append(name).append('\n');
        for (NftablesRenderer.Fragment f : fragments) {
            f.sets().forEach((name, body) -> sb.append("add set ").append(t).append(' ').append(name).append(' ').append(body).append('\n'));
            for (String name : f.chains().keySet()) sb.append("add chain ").append(t).append(' ').append(name).append('\n');
        }
        sharedChains.forEach((name, rules) -> {
            for (String r : rules) sb.append("add rule ").append(t).append(' ').append(name).append(' ').append(r).append('\n');
        });
        for (NftablesRenderer.Fragment f : fragments) {
            f.chains().forEach((name, rules) -> {
                for (String r : rules) sb.append("add rule ").append(t).append(' ').append(name).append(' ').append(r).append('\n');
            });
        }
        Map<String, ElementLines> bySet = new LinkedHashMap<>();
        for (NftablesRenderer.Fragment f : fragments) {
            f.elements().forEach((set, elements) -> {
                if (elements.isEmpty() || !bulk && BulkElements.SETS.contains(set)) return;
                ElementLines lines = bySet.computeIfAbsent(set, s -> new ElementLines("add element " + t + " " + s));
                elements.forEach(lines::add);
            });
        }
        if (bulk) {
            ElementLines hairpin = bySet.computeIfAbsent(NftablesRenderer.HAIRPIN, s -> new ElementLines("add element " + t + " " + s));
            for (String ip : hairpinIps) hairpin.add(ip + " . " + ip, "");
        }
        ElementLines addresses = bySet.computeIfAbsent(NftablesRenderer.NODEPORT_IPS, s -> new ElementLines("add element " + t + " " + s));
        for (String address : nodePortAddresses) addresses.add(address, "");
        bySet.values().forEach(l -> l.appendTo(sb));
    }

    /** One set's {@code add element} lines, {@link #ELEMENTS_PER_LINE} elements a line. */
    private static final class ElementLines {
        private final String prefix;
        private final StringBuilder text = new StringBuilder();
        private int onLine;

        ElementLines(String prefix) {
            this.prefix = prefix;
        }

        void add(String key, String value) {
            if (onLine == ELEMENTS_PER_LINE) {
                text.append(" }\n");
                onLine = 0;
            }
            text.append(onLine == 0 ? prefix + " { " : ", ").append(key);
            if (!value.isEmpty()) text.append(" : ").append(value);
            onLine++;
        }

        void appendTo(StringBuilder sb) {
            if (onLine > 0) sb.append(text).append(" }\n");
        }
    }

    /**
     * What turns the table from {@code applied} into {@code desired}; empty when they are equal.
     * Order matters to the kernel within the one transaction: elements that point at chains go
     * before the chains are deleted, chains exist before rules jump to them, and removed chains
     * are flushed (dropping their references to each other) before any is deleted.
     */
    public static String incremental(String table, NftRuleset applied, NftRuleset desired) {
        StringBuilder sb = new StringBuilder();
        String t = "ip " + table;
        for (String set : union(applied.elements().keySet(), desired.elements().keySet())) {
            SortedMap<String, String> before = applied.elements().getOrDefault(set, new TreeMap<>());
            SortedMap<String, String> after = desired.elements().getOrDefault(set, new TreeMap<>());
            List<String> gone = new ArrayList<>();
            before.forEach((k, v) -> {
                if (!Objects.equals(after.get(k), v)) gone.add(k);
            });
            batches(sb, "delete element " + t + " " + set, gone);
        }
        desired.sets().forEach((name, body) -> {
            if (!applied.sets().containsKey(name)) line(sb, "add set " + t + " " + name + " " + body);
        });
        desired.chains().keySet().forEach(name -> {
            if (!applied.chains().containsKey(name)) line(sb, "add chain " + t + " " + name);
        });
        desired.chains().forEach((name, rules) -> {
            List<String> old = applied.chains().get(name);
            if (rules.equals(old)) return;
            if (old != null) line(sb, "flush chain " + t + " " + name);
            rules.forEach(r -> line(sb, "add rule " + t + " " + name + " " + r));
        });
        for (Map.Entry<String, SortedMap<String, String>> e : desired.elements().entrySet()) {
            SortedMap<String, String> before = applied.elements().getOrDefault(e.getKey(), new TreeMap<>());
            TreeMap<String, String> added = new TreeMap<>();
            e.getValue().forEach((k, v) -> {
                if (!Objects.equals(before.get(k), v)) added.put(k, v);
            });
            addElements(sb, t, e.getKey(), added);
        }
        List<String> removed = applied.chains().keySet().stream().filter(c -> !desired.chains().containsKey(c)).toList();
        removed.forEach(c -> line(sb, "flush chain " + t + " " + c));
        removed.forEach(c -> line(sb, "delete chain " + t + " " + c));
        applied.sets().keySet().stream().filter(s -> !desired.sets().containsKey(s))
                .forEach(s -> line(sb, "delete set " + t + " " + s));
        return sb.toString();
    }

    private static void addElements(StringBuilder sb, String t, String set, SortedMap<String, String> elements) {
        List<String> items = new ArrayList<>(elements.size());
        elements.forEach((k, v) -> items.add(v.isEmpty() ? k : k + " : " + v));
        batches(sb, "add element " + t + " " + set, items);
    }

    private static void batches(StringBuilder sb, String prefix, List<String> items) {
        for (int i = 0; i < items.size(); i += ELEMENTS_PER_LINE) {
            sb.append(prefix).append(" { ")
                    .append(String.join(", ", items.subList(i, Math.min(items.size(), i + ELEMENTS_PER_LINE))))
                    .append(" }\n");
        }
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.TreeSet<String> s = new java.util.TreeSet<>(a);
        s.addAll(b);
        return List.copyOf(s);
    }

    private static void line(StringBuilder sb, String line) {
        sb.append(line).append('\n');
    }
}
