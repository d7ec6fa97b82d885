package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.sync.ProxyBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The nftables back end: one table ({@code ip kube4j} by default) that this back end owns whole.
 * The first sync, and the first after a failure, replaces the table in one transaction. Later
 * syncs look only at the Service ports whose rules changed (an identity, then a value comparison of
 * {@link ServicePortRules}): the script is the difference between those ports' old and new
 * {@link NftablesRenderer.Fragment fragments}, so its size and the work to make it follow the
 * change; what remains proportional to the number of Services is one map lookup each.
 */
public final class NftablesBackend implements ProxyBackend {

    private static final Logger log = LoggerFactory.getLogger(NftablesBackend.class);

    private final String table;
    private final NftRunner nft;
    private final ElementLoader loader;
    /** The table that holds the rules: the configured name, or its {@link #alternate} after a staged full sync. */
    private String live;
    /** What the kernel holds, per Service port, after the last successful sync; null before it or after a failure. */
    private Map<ServicePortName, Applied> applied;
    /** How many Service ports use each hairpin address and each shared chain (by name, with its rules). */
    private Map<String, Integer> hairpinRefs;
    private Map<String, Integer> chainRefs;
    private BalancerIds ids;
    private List<String> nodePortAddresses;
    private long lastSize;

    private record Applied(ServicePortRules rules, NftablesRenderer.Fragment fragment, long clusterId, long localId) {
    }

    /** Renders {@code s}, keeping {@code old}'s list numbers where it still balances the same lists. */
    private static Applied render(ServicePortRules s, Applied old, BalancerIds ids, List<Runnable> releases) {
        long cluster = id(NftablesRenderer.balancesCluster(s), old == null ? -1 : old.clusterId, ids, releases);
        long local = id(NftablesRenderer.balancesLocal(s), old == null ? -1 : old.localId, ids, releases);
        return new Applied(s, NftablesRenderer.fragment(s, cluster, local), cluster, local);
    }

    /** The list number a port needs ({@code needed}) given the one it had ({@code old}, -1 for none): kept, new or released. */
    private static long id(boolean needed, long old, BalancerIds ids, List<Runnable> releases) {
        if (needed) return old >= 0 ? old : ids.allocate();
        if (old >= 0) releases.add(() -> ids.release(old));
        return -1;
    }

    private static void releaseAll(Applied old, BalancerIds ids, List<Runnable> releases) {
        if (old.clusterId >= 0) releases.add(() -> ids.release(old.clusterId));
        if (old.localId >= 0) releases.add(() -> ids.release(old.localId));
    }

    public NftablesBackend(String table, NftRunner nft) {
        this(table, nft, null);
    }

    /**
     * With {@code loader} (may be null), a full sync is staged in three transactions instead of one
     * {@code nft -f} script: the new table is built under the name not in use (its own name and
     * {@code TABLE-alt} take turns) without base chains, by {@code nft} for the rules and by the
     * loader for the 2 × endpoints bulk elements; then one {@code nft} transaction adds its base
     * chains and deletes the table that held the rules until then. Packets see the old rules or
     * the new ones whole, as with one script; {@code nft} no longer parses the bulk of the elements
     * (measured at 10,000 Services × 10 endpoints: 1.8 s of CPU for nft and the kernel in one
     * script, 0.5 s staged). Incremental syncs are {@code nft} scripts in either case.
     */
    public NftablesBackend(String table, NftRunner nft, ElementLoader loader) {
        this.table = table;
        this.nft = nft;
        this.loader = loader;
        this.live = table;
    }

    /** The other name a staged full sync builds the table under, in turn with the configured one. */
    public static String alternate(String table) {
        return table + "-alt";
    }

    @Override
    public String mode() {
        return "nftables";
    }

    @Override
    public void sync(ProxyRules rules) throws NftRunner.NftException {
        boolean full = applied == null;
        // Numbers freed by this sync are reused only by later syncs: within one transaction a
        // freed number may still be in use until the elements are replaced.
        List<Runnable> releases = new ArrayList<>();
        Map<ServicePortName, Applied> next;
        Map<String, Integer> nextHairpin, nextChains;
        BalancerIds allocator;
        String script;
        if (full) {
            allocator = new BalancerIds();
            next = new HashMap<>(rules.services().size() * 2);
            int endpoints = 0;
            for (ServicePortRules s : rules.services()) endpoints += s.endpoints().size();
            // Sized for every endpoint up front: growing a map of 100,000 addresses step by step cost more than filling it.
            nextHairpin = HashMap.newHashMap(endpoints);
            nextChains = new HashMap<>();
            TreeMap<String, List<String>> shared = new TreeMap<>();
            List<NftablesRenderer.Fragment> fragments = new ArrayList<>(rules.services().size());
            for (ServicePortRules s : rules.services()) {
                Applied a = render(s, null, allocator, releases);
                next.put(s.name(), a);
                fragments.add(a.fragment);
                for (String ip : a.fragment.hairpinIps()) nextHairpin.merge(ip, 1, Integer::sum);
                a.fragment.sharedChains().forEach((name, chainRules) -> {
                    if (nextChains.merge(name, 1, Integer::sum) == 1) shared.put(name, chainRules);
                });
            }
            if (loader != null) {
                applied = null;
                try {
                    lastSize = staged(fragments, shared, nextHairpin.keySet(), rules.nodePortAddresses());
                } catch (NftRunner.NftException e) {
                    log.warn("nftables staged full sync failed; the next sync replaces the table whole: {}", e.getMessage());
                    throw e;
                }
                applied = next;
                hairpinRefs = nextHairpin;
                chainRefs = nextChains;
                ids = allocator;
                nodePortAddresses = rules.nodePortAddresses();
                return;
            }
            script = NftScripts.full(table, fragments, shared, nextHairpin.keySet(), rules.nodePortAddresses());
        } else {
            // The maps are changed in place: a failed sync drops them (the next one is full), and
            // copying them would cost as much as the whole diff at 10,000 Services.
            allocator = ids;
            next = applied;
            nextHairpin = hairpinRefs;
            nextChains = chainRefs;
            List<NftablesRenderer.Fragment> before = new ArrayList<>();
            List<NftablesRenderer.Fragment> after = new ArrayList<>();
            // Reference counts before this sync, of the hairpin addresses and shared chains it touches.
            Refs hairpin = new Refs(nextHairpin), chains = new Refs(nextChains);
            int kept = 0, added = 0;
            for (ServicePortRules s : rules.services()) {
                Applied old = next.get(s.name());
                if (old != null) kept++;
                // Identity first: the incremental computation hands back the very instance it computed last time.
                if (old != null && old.rules == s) continue;
                if (old != null && old.rules.equals(s)) {
                    // Equal but another instance (a full computation's): remember this one, so that the
                    // next sync's identity test holds.
                    next.put(s.name(), new Applied(s, old.fragment, old.clusterId, old.localId));
                    continue;
                }
                Applied a = render(s, old, allocator, releases);
                next.put(s.name(), a);
                after.add(a.fragment);
                hairpin.count(a.fragment.hairpinIps(), 1);
                chains.count(a.fragment.sharedChains(), 1);
                if (old != null) {
                    before.add(old.fragment);
                    hairpin.count(old.fragment.hairpinIps(), -1);
                    chains.count(old.fragment.sharedChains(), -1);
                } else {
                    added++;
                }
            }
            if (kept < next.size() - added) {
                Set<ServicePortName> wanted = new HashSet<>(rules.services().size() * 2);
                for (ServicePortRules s : rules.services()) wanted.add(s.name());
                for (var it = next.entrySet().iterator(); it.hasNext(); ) {
                    Applied gone = it.next().getValue();
                    if (wanted.contains(gone.rules.name())) continue;
                    releaseAll(gone, allocator, releases);
                    before.add(gone.fragment);
                    hairpin.count(gone.fragment.hairpinIps(), -1);
                    chains.count(gone.fragment.sharedChains(), -1);
                    it.remove();
                }
            }
            // Only the hairpin elements and shared chains whose count crossed zero change in the kernel.
            List<String> oldAddresses = Objects.equals(nodePortAddresses, rules.nodePortAddresses()) ? List.of() : nodePortAddresses;
            List<String> newAddresses = Objects.equals(nodePortAddresses, rules.nodePortAddresses()) ? List.of() : rules.nodePortAddresses();
            TreeMap<String, List<String>> chainsGone = new TreeMap<>(), chainsNew = new TreeMap<>();
            chains.gone().forEach(name -> chainsGone.put(name, chains.rules.get(name)));
            chains.added().forEach(name -> chainsNew.put(name, chains.rules.get(name)));
            script = NftScripts.incremental(live,
                    NftablesRenderer.merge(before, hairpin.gone(), oldAddresses, chainsGone),
                    NftablesRenderer.merge(after, hairpin.added(), newAddresses, chainsNew));
        }
        applied = null;
        if (!script.isEmpty()) {
            try {
                nft.run(script);
            } catch (NftRunner.NftException e) {
                log.warn("nftables {} sync failed; the next sync replaces the table whole: {}", full ? "full" : "incremental", e.getMessage());
                throw e;
            }
        }
        applied = next;
        hairpinRefs = nextHairpin;
        chainRefs = nextChains;
        ids = allocator;
        releases.forEach(Runnable::run);
        nodePortAddresses = rules.nodePortAddresses();
        lastSize = lines(script);
    }

    private static long lines(String script) {
        long n = 0;
        for (int i = script.indexOf('\n'); i >= 0; i = script.indexOf('\n', i + 1)) n++;
        return n;
    }

    /**
     * Reference counts changed in place by one incremental sync, remembering each touched name's
     * count before it: what crossed zero is what the kernel must add or delete.
     */
    private static final class Refs {
        private final Map<String, Integer> counts;
        private final Map<String, Integer> before = new HashMap<>();
        /** The rules of the shared chains counted (the fragments' own, for the chains added). */
        final Map<String, List<String>> rules = new HashMap<>();

        Refs(Map<String, Integer> counts) {
            this.counts = counts;
        }

        void count(Collection<String> names, int delta) {
            for (String name : names) {
                before.putIfAbsent(name, counts.getOrDefault(name, 0));
                if (counts.merge(name, delta, Integer::sum) <= 0) counts.remove(name);
            }
        }

        void count(Map<String, List<String>> chains, int delta) {
            count(chains.keySet(), delta);
            chains.forEach(rules::putIfAbsent);
        }

        /** The chains counted before and no longer. */
        TreeSet<String> gone() {
            return crossed(true);
        }

        /** The chains counted now and not before. */
        TreeSet<String> added() {
            return crossed(false);
        }

        private TreeSet<String> crossed(boolean wasCounted) {
            TreeSet<String> out = new TreeSet<>();
            before.forEach((name, was) -> {
                if ((was > 0) == wasCounted && (counts.getOrDefault(name, 0) > 0) != wasCounted) out.add(name);
            });
            return out;
        }
    }

    @Override
    public void cleanup() throws NftRunner.NftException {
        applied = null;
        String both = "add table ip " + table + "\ndelete table ip " + table + "\n";
        if (loader != null) both += "add table ip " + alternate(table) + "\ndelete table ip " + alternate(table) + "\n";
        nft.run(both);
    }

    /**
     * The staged full sync (see the three-argument constructor). Which name is in use is read from
     * the kernel (the one with the base chains), since a table from an earlier process may hold
     * either. Returns the statements and elements sent.
     */
    private long staged(List<NftablesRenderer.Fragment> fragments, Map<String, List<String>> shared, Set<String> hairpin,
                        List<String> addresses) throws NftRunner.NftException {
        String alternate = alternate(table);
        String current = loader.hasChain(alternate, HOOKED_CHAIN) ? alternate : table;
        String target = current.equals(table) && loader.hasChain(table, HOOKED_CHAIN) ? alternate : table;
        String replaced = target.equals(table) ? alternate : table;
        String build = NftScripts.staged(target, fragments, shared, hairpin.size(), addresses);
        List<ElementLoader.SetElements> bulk = BulkElements.of(fragments, hairpin);
        String activate = NftScripts.activate(target, replaced);
        nft.run(build);
        loader.add(target, bulk);
        nft.run(activate);
        live = target;
        long size = lines(build) + lines(activate);
        for (ElementLoader.SetElements e : bulk) size += e.count();
        return size;
    }

    /** A base chain every complete table has: where it is, the table sees packets. */
    private static final String HOOKED_CHAIN = "nat-prerouting";

    @Override
    public long lastSyncSize() {
        return lastSize;
    }
}
