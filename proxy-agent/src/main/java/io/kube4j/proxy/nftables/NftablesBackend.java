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
        this.table = table;
        this.nft = nft;
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
            script = NftScripts.incremental(table,
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
        nft.run("add table ip " + table + "\ndelete table ip " + table + "\n");
    }

    @Override
    public long lastSyncSize() {
        return lastSize;
    }
}
