package io.kube4j.proxy.nftables;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The per-service part of the kube4j table as data: what the fixed skeleton
 * ({@link NftScripts#skeleton}) does not hold. Diffing two of these gives the incremental script.
 *
 * @param chains   regular chains by name, each with its rules in order
 * @param sets     dynamic sets (session affinity) by name, each with its declaration body
 * @param elements elements of the skeleton's sets and maps: set name → element key → mapped value
 *                 (empty for plain sets)
 */
public record NftRuleset(SortedMap<String, java.util.List<String>> chains,
                         SortedMap<String, String> sets,
                         SortedMap<String, SortedMap<String, String>> elements) {

    public NftRuleset {
        chains = Collections.unmodifiableSortedMap(new TreeMap<>(chains));
        sets = Collections.unmodifiableSortedMap(new TreeMap<>(sets));
        TreeMap<String, SortedMap<String, String>> copy = new TreeMap<>();
        elements.forEach((k, v) -> copy.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
        elements = Collections.unmodifiableSortedMap(copy);
    }

    /** Number of rules and elements, the size of a full sync. */
    public long size() {
        long n = chains.values().stream().mapToLong(java.util.List::size).sum();
        for (Map<String, String> m : elements.values()) n += m.size();
        return n + chains.size() + sets.size();
    }
}
