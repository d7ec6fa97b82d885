package io.kube4j.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's view of nodes and of the pods placed on them, fed by informer events, plus the pods the
 * scheduler has <em>assumed</em>: placed by its own decision before the binding is confirmed, so the next pod
 * already sees the node's resources as taken.
 *
 * <p>Thread-safe: informer threads, the scheduling thread and binding threads call it concurrently. A pod's
 * life here: {@link #assumePod} (scheduling thread) → {@link #addPod} when the informer sees it bound (confirms
 * the assumption) or {@link #forgetPod} when the binding failed. Adding an already known pod updates it; removing
 * an unknown one does nothing (idempotent).
 */
public final class SchedulerCache {

    private record PodState(PodInfo pod, String node, boolean assumed) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    private final Map<String, PodState> pods = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private long version;
    private boolean nodeSetChanged = true;

    /** Adds or replaces a node, keeping the pods already placed on it. */
    public void addOrUpdateNode(Node node) {
        lock.lock();
        try {
            String name = node.getMetadata().getName();
            NodeInfo info = nodes.get(name);
            if (info == null) {
                info = new NodeInfo(node);
                nodes.put(name, info);
                nodeSetChanged = true;
            } else {
                if (info.node() == null) nodeSetChanged = true;
                info.setNode(node);
            }
            touch(name);
        } finally {
            lock.unlock();
        }
    }

    /** Removes a node; pods still bound to it stay accounted until they are removed. */
    public void removeNode(String name) {
        lock.lock();
        try {
            NodeInfo info = nodes.get(name);
            if (info == null) return;
            if (info.pods().isEmpty()) {
                nodes.remove(name);
            } else {
                NodeInfo orphan = new NodeInfo();
                for (PodInfo p : info.pods()) orphan.addPod(p);
                nodes.put(name, orphan);
            }
            nodeSetChanged = true;
            touch(name);
        } finally {
            lock.unlock();
        }
    }

    /** Places the pod on the node before its binding is confirmed. */
    public void assumePod(PodInfo pod, String nodeName) {
        lock.lock();
        try {
            PodState old = pods.get(pod.key());
            if (old != null) throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
            place(pod, nodeName);
            pods.put(pod.key(), new PodState(pod, nodeName, true));
        } finally {
            lock.unlock();
        }
    }

    /** Drops an assumption whose binding failed; a confirmed pod is left alone. */
    public void forgetPod(String key) {
        lock.lock();
        try {
            PodState s = pods.get(key);
            if (s == null || !s.assumed()) return;
            unplace(s);
            pods.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the pod is assumed and not yet confirmed. */
    public boolean isAssumed(String key) {
        lock.lock();
        try {
            PodState s = pods.get(key);
            return s != null && s.assumed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A bound pod (spec.nodeName set) seen by the informer: confirms an assumption (moving it if it landed
     * elsewhere), or adds or updates it.
     */
    public void addPod(Pod pod) {
        PodInfo info = PodInfo.of(pod);
        String nodeName = info.nodeName();
        if (nodeName == null || nodeName.isEmpty()) return;
        lock.lock();
        try {
            PodState old = pods.get(info.key());
            if (old != null) unplace(old);
            place(info, nodeName);
            pods.put(info.key(), new PodState(info, nodeName, false));
        } finally {
            lock.unlock();
        }
    }

    /** A pod deleted (or no longer bound): frees what it held. */
    public void removePod(String key) {
        lock.lock();
        try {
            PodState s = pods.remove(key);
            if (s != null) unplace(s);
        } finally {
            lock.unlock();
        }
    }

    /** Sets the labels of a namespace (for namespaceSelector); null removes it. */
    public void setNamespaceLabels(String namespace, Map<String, String> labels) {
        lock.lock();
        try {
            if (labels == null) namespaceLabels.remove(namespace);
            else namespaceLabels.put(namespace, Map.copyOf(labels));
            version++;
        } finally {
            lock.unlock();
        }
    }

    private void place(PodInfo pod, String nodeName) {
        NodeInfo info = nodes.computeIfAbsent(nodeName, n -> new NodeInfo());
        info.addPod(pod);
        touch(nodeName);
    }

    private void unplace(PodState s) {
        NodeInfo info = nodes.get(s.node());
        if (info == null) return;
        info.removePod(s.pod().key());
        if (info.node() == null && info.pods().isEmpty()) nodes.remove(s.node());
        touch(s.node());
    }

    private void touch(String nodeName) {
        dirty.add(nodeName);
        version++;
    }

    /** The number of nodes (with a Node object) and of pods the cache holds. */
    public int[] size() {
        lock.lock();
        try {
            int n = 0;
            for (NodeInfo i : nodes.values()) if (i.node() != null) n++;
            return new int[]{n, pods.size()};
        } finally {
            lock.unlock();
        }
    }

    /** The node a pod is placed on (assumed or confirmed). */
    public Optional<String> nodeOf(String podKey) {
        lock.lock();
        try {
            PodState s = pods.get(podKey);
            return s == null ? Optional.empty() : Optional.of(s.node());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings the snapshot up to date: copies the nodes changed since its last update, rebuilds the node list when
     * nodes came or went. Called by the scheduling thread before each cycle.
     */
    public void updateSnapshot(Snapshot snapshot) {
        lock.lock();
        try {
            if (snapshot.cacheVersion == version) return;
            boolean affinityChanged = false;
            if (nodeSetChanged || snapshot.cacheVersion < 0) {
                snapshot.byName.clear();
                snapshot.index.clear();
                List<NodeInfo> list = new ArrayList<>(nodes.size());
                for (NodeInfo info : nodes.values()) {
                    if (info.node() == null) continue;
                    NodeInfo copy = info.copy();
                    snapshot.index.put(copy.name(), list.size());
                    list.add(copy);
                    snapshot.byName.put(copy.name(), copy);
                }
                snapshot.nodes = list;
                affinityChanged = true;
                nodeSetChanged = false;
            } else {
                for (String name : dirty) {
                    NodeInfo info = nodes.get(name);
                    Integer i = snapshot.index.get(name);
                    if (info == null || info.node() == null || i == null) continue;
                    NodeInfo before = snapshot.nodes.get(i);
                    if (before.generation() == info.generation()) continue;
                    NodeInfo copy = info.copy();
                    snapshot.nodes.set(i, copy);
                    snapshot.byName.put(name, copy);
                    if (!before.podsWithAffinity().isEmpty() || !copy.podsWithAffinity().isEmpty()) affinityChanged = true;
                }
            }
            dirty.clear();
            if (affinityChanged) snapshot.rebuildAffinityLists();
            snapshot.namespaceLabels = Map.copyOf(namespaceLabels);
            snapshot.cacheVersion = version;
        } finally {
            lock.unlock();
        }
    }
}
