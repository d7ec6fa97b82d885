package io.kube4j.scheduler.cache;

import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.NodeInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as one scheduling cycle sees it: copies of the cache's NodeInfos, brought up to date by
 * {@link SchedulerCache#updateSnapshot} before each cycle (only the nodes that changed are copied again).
 *
 * <p>Owned by the scheduling thread: nothing else writes it, so the cycle and its parallel Filter/Score workers
 * read it without locks.
 */
public final class Snapshot implements ClusterView {

    final Map<String, NodeInfo> byName = new HashMap<>();
    final Map<String, Integer> index = new HashMap<>();
    List<NodeInfo> nodes = new ArrayList<>();
    List<NodeInfo> withAffinity = List.of();
    List<NodeInfo> withRequiredAntiAffinity = List.of();
    Map<String, Map<String, String>> namespaceLabels = Map.of();
    long cacheVersion = -1;
    long nodeObjectsVersion = -1;
    private Map<String, List<io.kube4j.scheduler.framework.PodInfo>> nominated = Map.of();
    /** Nodes per image, counted on first use after the Node objects changed (pods do not change it). */
    private Map<String, Integer> imageCounts;

    void invalidateImages() {
        imageCounts = null;
    }

    @Override
    public int nodesWithImage(String image) {
        Map<String, Integer> counts = imageCounts;
        if (counts == null) {
            counts = new HashMap<>();
            for (NodeInfo n : nodes) for (String i : n.imageSizes().keySet()) counts.merge(i, 1, Integer::sum);
            imageCounts = counts;
        }
        return counts.getOrDefault(image, 0);
    }

    /** A snapshot of these nodes, for tests and benchmarks that need no cache. */
    public static Snapshot of(List<NodeInfo> nodeInfos) {
        Snapshot s = new Snapshot();
        for (NodeInfo n : nodeInfos) {
            s.index.put(n.name(), s.nodes.size());
            s.nodes.add(n);
            s.byName.put(n.name(), n);
        }
        s.rebuildAffinityLists();
        return s;
    }

    /**
     * Puts the new copy of a node in the affinity lists in place of the old one; false when its membership
     * changed and the lists must be rebuilt.
     */
    boolean replaceInAffinityLists(NodeInfo before, NodeInfo after) {
        boolean wasA = !before.podsWithAffinity().isEmpty();
        boolean isA = !after.podsWithAffinity().isEmpty();
        boolean wasR = !before.podsWithRequiredAntiAffinity().isEmpty();
        boolean isR = !after.podsWithRequiredAntiAffinity().isEmpty();
        if (wasA != isA || wasR != isR) return false;
        if (isA && !replace(withAffinity, before, after)) return false;
        return !isR || replace(withRequiredAntiAffinity, before, after);
    }

    private static boolean replace(List<NodeInfo> list, NodeInfo before, NodeInfo after) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == before) {
                list.set(i, after);
                return true;
            }
        }
        return false;
    }

    void rebuildAffinityLists() {
        List<NodeInfo> a = new ArrayList<>();
        List<NodeInfo> r = new ArrayList<>();
        for (NodeInfo n : nodes) {
            if (!n.podsWithAffinity().isEmpty()) a.add(n);
            if (!n.podsWithRequiredAntiAffinity().isEmpty()) r.add(n);
        }
        withAffinity = a;
        withRequiredAntiAffinity = r;
    }

    /** The pods nominated to each node, as of the start of the cycle (the scheduling thread sets it). */
    public void setNominatedPods(Map<String, List<io.kube4j.scheduler.framework.PodInfo>> byNode) {
        nominated = byNode;
    }

    @Override
    public List<io.kube4j.scheduler.framework.PodInfo> nominatedPods(String nodeName) {
        return nominated.isEmpty() ? List.of() : nominated.getOrDefault(nodeName, List.of());
    }

    @Override
    public List<NodeInfo> nodes() {
        return nodes;
    }

    @Override
    public NodeInfo node(String name) {
        return byName.get(name);
    }

    @Override
    public List<NodeInfo> nodesWithAffinityPods() {
        return withAffinity;
    }

    @Override
    public List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
        return withRequiredAntiAffinity;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }
}
