package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.sync.ProxyBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The nftables back end: one table ({@code ip kube4j} by default) that this back end owns whole.
 * The first sync, and the first after a failure, replaces the table in one transaction. Later
 * syncs look only at the Service ports whose rules changed (a value comparison of
 * {@link ServicePortRules}): the script is the difference between those ports' old and new
 * {@link NftablesRenderer.Fragment fragments}, so its size and the work to make it follow the
 * change, not the number of Services.
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

    private record Applied(ServicePortRules rules, NftablesRenderer.Fragment fragment, long clusterBase, long localBase) {
    }

    /** Renders {@code s}, keeping {@code old}'s slot blocks where the endpoints still fit (then its rule is unchanged). */
    private static Applied render(ServicePortRules s, Applied old, SlotAllocator slots, List<Runnable> releases) {
        long cluster;
        if (old != null && SlotAllocator.capacity(old.rules.endpoints().size()) == SlotAllocator.capacity(s.endpoints().size())) {
            cluster = old.clusterBase;
        } else {
            cluster = slots.allocate(s.endpoints().size());
            if (old != null) releases.add(() -> slots.release(old.clusterBase, old.rules.endpoints().size()));
        }
        long local = -1;
        boolean oldLocal = old != null && old.localBase >= 0;
        if (NftablesRenderer.needsLocalSlots(s)) {
            if (oldLocal && SlotAllocator.capacity(old.rules.localEndpoints().size()) == SlotAllocator.capacity(s.localEndpoints().size())) {
                local = old.localBase;
            } else {
                local = slots.allocate(s.localEndpoints().size());
                if (oldLocal) releases.add(() -> slots.release(old.localBase, old.rules.localEndpoints().size()));
            }
        } else if (oldLocal) {
            releases.add(() -> slots.release(old.localBase, old.rules.localEndpoints().size()));
        }
        return new Applied(s, NftablesRenderer.fragment(s, cluster, local), cluster, local);
    }

    private static void releaseAll(Applied old, SlotAllocator slots, List<Runnable> releases) {
        releases.add(() -> slots.release(old.clusterBase, old.rules.endpoints().size()));
        if (old.localBase >= 0) releases.add(() -> slots.release(old.localBase, old.rules.localEndpoints().size()));
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
        Map<ServicePortName, Applied> next = new HashMap<>(rules.services().size() * 2);
        Map<String, Integer> nextRefs;
        String script;
        boolean full = applied == null;
        // Blocks freed by this sync are reused only by later syncs: within one transaction a
        // freed slot may still be in use until the elements are replaced.
        List<Runnable> releases = new ArrayList<>();
        SlotAllocator allocator = full ? new SlotAllocator() : slots;
        if (full) {
            nextRefs = new HashMap<>();
            List<NftablesRenderer.Fragment> fragments = new ArrayList<>(rules.services().size());
            for (ServicePortRules s : rules.services()) {
                Applied a = render(s, null, allocator, releases);
                NftablesRenderer.Fragment f = a.fragment;
                next.put(s.name(), a);
                fragments.add(f);
                f.hairpinIps().forEach(ip -> nextRefs.merge(ip, 1, Integer::sum));
            }
            script = NftScripts.full(table, NftablesRenderer.merge(fragments, new TreeSet<>(nextRefs.keySet()), rules.nodePortAddresses()));
        } else {
            nextRefs = new HashMap<>(hairpinRefs);
            List<NftablesRenderer.Fragment> before = new ArrayList<>();
            List<NftablesRenderer.Fragment> after = new ArrayList<>();
            for (ServicePortRules s : rules.services()) {
                Applied old = applied.get(s.name());
                if (old != null && old.rules.equals(s)) {
                    next.put(s.name(), old);
                    continue;
                }
                Applied a = render(s, old, allocator, releases);
                NftablesRenderer.Fragment f = a.fragment;
                next.put(s.name(), a);
                after.add(f);
                f.hairpinIps().forEach(ip -> nextRefs.merge(ip, 1, Integer::sum));
                if (old != null) {
                    before.add(old.fragment);
                    old.fragment.hairpinIps().forEach(ip -> nextRefs.merge(ip, -1, Integer::sum));
                }
            }
            for (Map.Entry<ServicePortName, Applied> e : applied.entrySet()) {
                if (next.containsKey(e.getKey())) continue;
                releaseAll(e.getValue(), allocator, releases);
                before.add(e.getValue().fragment);
                e.getValue().fragment.hairpinIps().forEach(ip -> nextRefs.merge(ip, -1, Integer::sum));
            }
            // Only the hairpin elements whose count crossed zero change in the kernel.
            TreeSet<String> hairpinGone = new TreeSet<>();
            TreeSet<String> hairpinNew = new TreeSet<>();
            for (NftablesRenderer.Fragment f : before) {
                for (String ip : f.hairpinIps()) if (nextRefs.getOrDefault(ip, 0) <= 0) hairpinGone.add(ip);
            }
            for (NftablesRenderer.Fragment f : after) {
                for (String ip : f.hairpinIps()) if (hairpinRefs.getOrDefault(ip, 0) <= 0) hairpinNew.add(ip);
            }
            nextRefs.values().removeIf(count -> count <= 0);
            List<String> oldAddresses = Objects.equals(nodePortAddresses, rules.nodePortAddresses()) ? List.of() : nodePortAddresses;
            List<String> newAddresses = Objects.equals(nodePortAddresses, rules.nodePortAddresses()) ? List.of() : rules.nodePortAddresses();
            script = NftScripts.incremental(table,
                    NftablesRenderer.merge(before, hairpinGone, oldAddresses),
                    NftablesRenderer.merge(after, hairpinNew, newAddresses));
        }
        if (script.isEmpty()) {
            lastSize = 0;
            return;
        }
        applied = null;
        try {
            nft.run(script);
        } catch (NftRunner.NftException e) {
            log.warn("nftables {} sync failed; the next sync replaces the table whole: {}", full ? "full" : "incremental", e.getMessage());
            throw e;
        }
        applied = next;
        hairpinRefs = nextRefs;
        slots = allocator;
        releases.forEach(Runnable::run);
        nodePortAddresses = rules.nodePortAddresses();
        lastSize = script.chars().filter(c -> c == '\n').count();
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
