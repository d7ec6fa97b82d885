package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.sync.ProxyBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    private Map<String, Integer> hairpinRefs;
    private SlotAllocator slots;
    private List<String> nodePortAddresses;
    private long lastSize;

    private record Applied(ServicePortRules rules, NftablesRenderer.Fragment fragment,
                           long clusterBase, int clusterSlots, long localBase, int localSlots) {
    }

    /** Renders {@code s}, keeping {@code old}'s slot blocks where the endpoints still fit (then its rule is unchanged). */
    private static Applied render(ServicePortRules s, Applied old, SlotAllocator slots, List<Runnable> releases) {
        int clusterSlots = NftablesRenderer.clusterSlots(s);
        int localSlots = NftablesRenderer.localSlots(s);
        long cluster = old == null ? block(clusterSlots, -1, 0, slots, releases)
                : block(clusterSlots, old.clusterBase, old.clusterSlots, slots, releases);
        long local = old == null ? block(localSlots, -1, 0, slots, releases)
                : block(localSlots, old.localBase, old.localSlots, slots, releases);
        return new Applied(s, NftablesRenderer.fragment(s, cluster, local), cluster, clusterSlots, local, localSlots);
    }

    /** The block for {@code count} slots: the old one while the count fits its size, else a new one (and the old released). */
    private static long block(int count, long oldBase, int oldCount, SlotAllocator slots, List<Runnable> releases) {
        if (oldBase >= 0 && count > 0 && SlotAllocator.capacity(oldCount) == SlotAllocator.capacity(count)) return oldBase;
        if (oldBase >= 0) releases.add(() -> slots.release(oldBase, oldCount));
        return count > 0 ? slots.allocate(count) : -1;
    }

    private static void releaseAll(Applied old, SlotAllocator slots, List<Runnable> releases) {
        if (old.clusterBase >= 0) releases.add(() -> slots.release(old.clusterBase, old.clusterSlots));
        if (old.localBase >= 0) releases.add(() -> slots.release(old.localBase, old.localSlots));
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
        // Blocks freed by this sync are reused only by later syncs: within one transaction a
        // freed slot may still be in use until the elements are replaced.
        List<Runnable> releases = new ArrayList<>();
        Map<ServicePortName, Applied> next;
        Map<String, Integer> nextRefs;
        SlotAllocator allocator;
        String script;
        if (full) {
            allocator = new SlotAllocator();
            next = new HashMap<>(rules.services().size() * 2);
            nextRefs = new HashMap<>();
            List<NftablesRenderer.Fragment> fragments = new ArrayList<>(rules.services().size());
            for (ServicePortRules s : rules.services()) {
                Applied a = render(s, null, allocator, releases);
                next.put(s.name(), a);
                fragments.add(a.fragment);
                for (String ip : a.fragment.hairpinIps()) nextRefs.merge(ip, 1, Integer::sum);
            }
            if (loader != null) {
                applied = null;
                try {
                    lastSize = staged(fragments, nextRefs.keySet(), rules.nodePortAddresses());
                } catch (NftRunner.NftException e) {
                    log.warn("nftables staged full sync failed; the next sync replaces the table whole: {}", e.getMessage());
                    throw e;
                }
                applied = next;
                hairpinRefs = nextRefs;
                slots = allocator;
                nodePortAddresses = rules.nodePortAddresses();
                return;
            }
            script = NftScripts.full(table, fragments, nextRefs.keySet(), rules.nodePortAddresses());
        } else {
            // The maps are changed in place: a failed sync drops them (the next one is full), and
            // copying them would cost as much as the whole diff at 10,000 Services.
            allocator = slots;
            next = applied;
            nextRefs = hairpinRefs;
            List<NftablesRenderer.Fragment> before = new ArrayList<>();
            List<NftablesRenderer.Fragment> after = new ArrayList<>();
            // Hairpin reference counts before this sync, of the addresses it touches.
            Map<String, Integer> countBefore = new HashMap<>();
            int kept = 0, added = 0;
            for (ServicePortRules s : rules.services()) {
                Applied old = next.get(s.name());
                if (old != null) kept++;
                // Identity first: the incremental computation hands back the very instance it computed last time.
                if (old != null && old.rules == s) continue;
                if (old != null && old.rules.equals(s)) {
                    // Equal but another instance (a full computation's): remember this one, so that the
                    // next sync's identity test holds.
                    next.put(s.name(), new Applied(s, old.fragment, old.clusterBase, old.clusterSlots, old.localBase, old.localSlots));
                    continue;
                }
                Applied a = render(s, old, allocator, releases);
                next.put(s.name(), a);
                after.add(a.fragment);
                count(a.fragment, 1, nextRefs, countBefore);
                if (old != null) {
                    before.add(old.fragment);
                    count(old.fragment, -1, nextRefs, countBefore);
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
                    count(gone.fragment, -1, nextRefs, countBefore);
                    it.remove();
                }
            }
            // Only the hairpin elements whose count crossed zero change in the kernel.
            TreeSet<String> hairpinGone = new TreeSet<>();
            TreeSet<String> hairpinNew = new TreeSet<>();
            countBefore.forEach((ip, was) -> {
                int now = nextRefs.getOrDefault(ip, 0);
                if (was > 0 && now <= 0) hairpinGone.add(ip);
                if (was <= 0 && now > 0) hairpinNew.add(ip);
                if (now <= 0) nextRefs.remove(ip);
            });
            List<String> oldAddresses = Objects.equals(nodePortAddresses, rules.nodePortAddresses()) ? List.of() : nodePortAddresses;
            List<String> newAddresses = Objects.equals(nodePortAddresses, rules.nodePortAddresses()) ? List.of() : rules.nodePortAddresses();
            script = NftScripts.incremental(live,
                    NftablesRenderer.merge(before, hairpinGone, oldAddresses),
                    NftablesRenderer.merge(after, hairpinNew, newAddresses));
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
        hairpinRefs = nextRefs;
        slots = allocator;
        releases.forEach(Runnable::run);
        nodePortAddresses = rules.nodePortAddresses();
        lastSize = lines(script);
    }

    private static long lines(String script) {
        long n = 0;
        for (int i = script.indexOf('\n'); i >= 0; i = script.indexOf('\n', i + 1)) n++;
        return n;
    }

    private static void count(NftablesRenderer.Fragment f, int delta, Map<String, Integer> refs, Map<String, Integer> countBefore) {
        for (String ip : f.hairpinIps()) {
            countBefore.putIfAbsent(ip, refs.getOrDefault(ip, 0));
            refs.merge(ip, delta, Integer::sum);
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
    private long staged(List<NftablesRenderer.Fragment> fragments, Set<String> hairpin, List<String> addresses) throws NftRunner.NftException {
        String alternate = alternate(table);
        String current = loader.hasChain(alternate, HOOKED_CHAIN) ? alternate : table;
        String target = current.equals(table) && loader.hasChain(table, HOOKED_CHAIN) ? alternate : table;
        String replaced = target.equals(table) ? alternate : table;
        String build = NftScripts.staged(target, fragments, hairpin.size(), addresses);
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
