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
