package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@link RuleComputation#compute} with memory: a Service whose object and whose EndpointSlices
 * (and Endpoints) are the very same instances as at the last call gets its last result again
 * without being computed. Informer caches replace an object on every change and never mutate
 * one, so instance identity is exactly "unchanged"; at 10,000 Services one changed slice costs
 * one Service's computation. The result always equals {@code RuleComputation.compute} of the
 * same state. Not thread-safe: one caller (the sync thread).
 */
public final class IncrementalRuleComputation {

    private record Inputs(Service service, List<EndpointSlice> slices, Endpoints endpoints, String nodeName) {
        boolean sameAs(Inputs o) {
            if (service != o.service || endpoints != o.endpoints || !Objects.equals(nodeName, o.nodeName)
                    || slices.size() != o.slices.size()) {
                return false;
            }
            for (int i = 0; i < slices.size(); i++) if (slices.get(i) != o.slices.get(i)) return false;
            return true;
        }
    }

    private record Memo(Inputs inputs, List<ServicePortRules> rules) {
    }

    /** A Service's namespace and name: a record key hashes the strings' cached hashes, where a joined string would be built and hashed anew on every call. */
    private record Key(String namespace, String name) {
    }

    private static final Comparator<ServicePortRules> BY_NAME = Comparator.comparing(ServicePortRules::name);

    private Map<Key, Memo> memo = new HashMap<>();
    private long lastComputed;

    public ProxyRules compute(ClusterState state) {
        Map<Key, List<EndpointSlice>> slicesByService = new HashMap<>(state.endpointSlices().size() * 2);
        for (EndpointSlice slice : state.endpointSlices()) {
            if (slice.getMetadata() == null || slice.getMetadata().getLabels() == null) continue;
            String service = slice.getMetadata().getLabels().get(RuleComputation.SERVICE_NAME_LABEL);
            if (service == null) continue;
            slicesByService.computeIfAbsent(new Key(slice.getMetadata().getNamespace(), service), k -> new ArrayList<>(1)).add(slice);
        }
        // Slices arrive in the cache's order, which may change between calls: order them by identity-stable name.
        for (List<EndpointSlice> l : slicesByService.values()) {
            if (l.size() > 1) l.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        }
        Map<Key, Endpoints> endpointsByService = new HashMap<>();
        for (Endpoints e : state.endpoints()) {
            endpointsByService.put(new Key(e.getMetadata().getNamespace(), e.getMetadata().getName()), e);
        }
        Map<Key, Memo> next = new HashMap<>(state.services().size() * 2);
        List<ServicePortRules> rules = new ArrayList<>(state.services().size());
        long computed = 0;
        for (Service service : state.services()) {
            if (service.getMetadata() == null) continue;
            Key key = new Key(service.getMetadata().getNamespace(), service.getMetadata().getName());
            Memo seen = next.get(key);
            if (seen != null && seen.inputs.service == service) continue;
            Inputs inputs = new Inputs(service, slicesByService.getOrDefault(key, List.of()), endpointsByService.get(key), state.nodeName());
            Memo old = memo.get(key);
            List<ServicePortRules> result;
            if (old != null && old.inputs.sameAs(inputs)) {
                result = old.rules;
            } else {
                result = RuleComputation.compute(new ClusterState(List.of(service), inputs.slices,
                        inputs.endpoints == null ? List.of() : List.of(inputs.endpoints), state.nodeName(), List.of())).services();
                computed++;
            }
            next.put(key, new Memo(inputs, result));
            rules.addAll(result);
        }
        memo = next;
        lastComputed = computed;
        return new ProxyRules(sortedByName(rules), List.copyOf(new TreeSet<>(state.nodePortAddresses())));
    }

    /**
     * The rules by name, the last of equal names kept (as a map keyed by name would): a stable
     * sort, and none at all for a list already in order, which an informer's sorted snapshot gives.
     */
    private static List<ServicePortRules> sortedByName(List<ServicePortRules> rules) {
        boolean strictlySorted = true;
        for (int i = 1; i < rules.size() && strictlySorted; i++) {
            strictlySorted = BY_NAME.compare(rules.get(i - 1), rules.get(i)) < 0;
        }
        if (strictlySorted) return rules;
        rules.sort(BY_NAME);
        List<ServicePortRules> out = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            if (i + 1 < rules.size() && BY_NAME.compare(rules.get(i), rules.get(i + 1)) == 0) continue;
            out.add(rules.get(i));
        }
        return out;
    }

    /** Services computed (not reused) by the last call. */
    public long lastComputed() {
        return lastComputed;
    }
}
