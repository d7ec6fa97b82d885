package io.kube4j.scheduler.queue;

import io.kube4j.scheduler.framework.PodInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending pods nominated to a node by a preemption, as kube-scheduler's nominator keeps them: while the
 * victims go away, lower-priority pods must not take the room made for the nominated pod.
 *
 * <p>Thread-safe: the scheduling thread nominates and reads a copy per cycle; informer threads drop pods that
 * got bound or were deleted. Idempotent: nominating again moves the pod, removing an unknown pod does nothing.
 */
public final class Nominator {

    private final Map<String, PodInfo> pods = new HashMap<>();
    private final Map<String, String> nodeOf = new HashMap<>();
    private Map<String, List<PodInfo>> view = Map.of();
    private boolean changed;

    /** Nominates the pod to the node (replacing an earlier nomination). */
    public synchronized void nominate(PodInfo pod, String nodeName) {
        pods.put(pod.key(), pod);
        nodeOf.put(pod.key(), nodeName);
        changed = true;
    }

    /** Drops the pod's nomination: it was bound, deleted, or nominated nowhere any more. */
    public synchronized void remove(String key) {
        if (pods.remove(key) != null) {
            nodeOf.remove(key);
            changed = true;
        }
    }

    /** The node the pod is nominated to, or null. */
    public synchronized String nominatedNode(String key) {
        return nodeOf.get(key);
    }

    /** The nominated pods by node: an immutable view, rebuilt only after a change. */
    public synchronized Map<String, List<PodInfo>> byNode() {
        if (changed) {
            Map<String, List<PodInfo>> m = new HashMap<>();
            pods.forEach((key, pod) -> m.computeIfAbsent(nodeOf.get(key), n -> new ArrayList<>()).add(pod));
            m.replaceAll((n, l) -> List.copyOf(l));
            view = Map.copyOf(m);
            changed = false;
        }
        return view;
    }
}
