package io.kube4j.scheduler.feed;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.queue.Nominator;
import io.kube4j.scheduler.queue.SchedulingQueue;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Turns informer events into the scheduler's state, as kube-scheduler's event handlers do: bound pods go to the
 * cache (confirming what the scheduler assumed), pending pods of this scheduler's profiles go to the queue, and
 * every change that can make a waiting pod fit is told to the queue as a {@link ClusterEvent}.
 *
 * <p>Handlers run on the informers' threads and only update the thread-safe cache and queue. Pods that have
 * finished (phase Succeeded or Failed) hold nothing on their node and count as deleted. A pending pod the cache
 * already holds as assumed is not queued again.
 */
public final class ClusterFeed {

    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final Predicate<String> handlesSchedulerName;
    private final Nominator nominator;

    public ClusterFeed(SchedulerCache cache, SchedulingQueue queue, Predicate<String> handlesSchedulerName) {
        this(cache, queue, handlesSchedulerName, new Nominator());
    }

    /**
     * @param nominator the scheduler's nominations: a pod bound or deleted leaves it, and a pending pod whose
     *                  {@code status.nominatedNodeName} is set (by this or an earlier leader) enters it
     */
    public ClusterFeed(SchedulerCache cache, SchedulingQueue queue, Predicate<String> handlesSchedulerName,
                       Nominator nominator) {
        this.cache = cache;
        this.queue = queue;
        this.handlesSchedulerName = handlesSchedulerName;
        this.nominator = nominator;
    }

    private static String key(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return (ns == null ? "default" : ns) + "/" + pod.getMetadata().getName();
    }

    private static boolean bound(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean finished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    public void podAdded(Pod pod) {
        if (bound(pod)) {
            nominator.remove(key(pod));
            queue.delete(key(pod));
            if (finished(pod)) return;
            cache.addPod(pod);
            queue.onClusterEvent(ClusterEvent.POD_ADD);
        } else {
            enqueueIfPending(pod);
        }
    }

    public void podUpdated(Pod old, Pod pod) {
        String key = key(pod);
        if (bound(pod)) {
            nominator.remove(key);
            queue.delete(key);
            if (finished(pod)) {
                if (cache.nodeOf(key).isPresent()) {
                    cache.removePod(key);
                    queue.onClusterEvent(ClusterEvent.POD_DELETE);
                }
                return;
            }
            boolean wasPlaced = bound(old) && cache.nodeOf(key).isPresent() && !cache.isAssumed(key);
            cache.addPod(pod);
            if (!wasPlaced) {
                queue.onClusterEvent(ClusterEvent.POD_ADD);
            } else if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
                queue.onClusterEvent(ClusterEvent.POD_UPDATE);
            }
        } else {
            enqueueIfPending(pod, schedulingRelevantChange(old, pod));
        }
    }

    /**
     * Whether a pending pod's change can make it fit: its spec, labels or annotations. kube-scheduler ignores the
     * rest (status, resourceVersion, managed fields), among them the PodScheduled condition it writes itself.
     */
    static boolean schedulingRelevantChange(Pod old, Pod pod) {
        return !Objects.equals(old.getSpec(), pod.getSpec())
                || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())
                || !Objects.equals(old.getMetadata().getAnnotations(), pod.getMetadata().getAnnotations());
    }

    public void podDeleted(Pod pod) {
        String key = key(pod);
        nominator.remove(key);
        queue.delete(key);
        if (cache.nodeOf(key).isPresent()) {
            cache.removePod(key);
            queue.onClusterEvent(ClusterEvent.POD_DELETE);
        }
    }

    private void enqueueIfPending(Pod pod) {
        enqueueIfPending(pod, true);
    }

    private void enqueueIfPending(Pod pod, boolean retry) {
        if (pod.getMetadata().getDeletionTimestamp() != null || finished(pod)) {
            nominator.remove(key(pod));
            queue.delete(key(pod));
            return;
        }
        PodInfo info = PodInfo.of(pod);
        if (!handlesSchedulerName.test(info.schedulerName())) return;
        if (info.nominatedNodeName() != null) nominator.nominate(info, info.nominatedNodeName());
        if (cache.isAssumed(info.key())) return; // being bound by this scheduler
        if (retry) queue.add(info);
        else queue.refresh(info);
    }

    public void nodeAdded(Node node) {
        cache.addOrUpdateNode(node);
        queue.onClusterEvent(ClusterEvent.NODE_ADD);
    }

    public void nodeUpdated(Node old, Node node) {
        cache.addOrUpdateNode(node);
        if (schedulingRelevantChange(old, node)) queue.onClusterEvent(ClusterEvent.NODE_UPDATE);
    }

    public void nodeDeleted(Node node) {
        cache.removeNode(node.getMetadata().getName());
        queue.onClusterEvent(ClusterEvent.NODE_DELETE);
    }

    /**
     * Whether the change can let a pod fit: labels, taints, cordoning, allocatable, images. Heartbeats
     * (conditions, timestamps) cannot, and retrying every waiting pod on each would be waste.
     */
    static boolean schedulingRelevantChange(Node old, Node node) {
        if (!Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())) return true;
        var os = old.getSpec();
        var ns = node.getSpec();
        if (!Objects.equals(os == null ? null : os.getTaints(), ns == null ? null : ns.getTaints())) return true;
        if (!Objects.equals(os == null ? null : os.getUnschedulable(), ns == null ? null : ns.getUnschedulable())) return true;
        var ost = old.getStatus();
        var nst = node.getStatus();
        if (!Objects.equals(ost == null ? null : ost.getAllocatable(), nst == null ? null : nst.getAllocatable())) return true;
        return !Objects.equals(ost == null ? null : ost.getImages(), nst == null ? null : nst.getImages());
    }

    public void namespaceChanged(Namespace namespace, boolean deleted) {
        cache.setNamespaceLabels(namespace.getMetadata().getName(), deleted ? null : namespace.getMetadata().getLabels());
        // A namespace's labels decide namespaceSelector terms, which pod events cover in kube-scheduler too.
        if (!deleted) queue.onClusterEvent(ClusterEvent.POD_UPDATE);
    }

    /** The handler to register on the pod informer. */
    public ResourceEventHandler<Pod> podHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podAdded(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                podUpdated(old, pod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                podDeleted(pod);
            }
        };
    }

    /** The handler to register on the node informer. */
    public ResourceEventHandler<Node> nodeHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                nodeAdded(node);
            }

            @Override
            public void onUpdate(Node old, Node node) {
                nodeUpdated(old, node);
            }

            @Override
            public void onDelete(Node node, boolean deletedFinalStateUnknown) {
                nodeDeleted(node);
            }
        };
    }

    /** The handler to register on the namespace informer. */
    public ResourceEventHandler<Namespace> namespaceHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace ns) {
                namespaceChanged(ns, false);
            }

            @Override
            public void onUpdate(Namespace old, Namespace ns) {
                if (!Objects.equals(old.getMetadata().getLabels(), ns.getMetadata().getLabels())) namespaceChanged(ns, false);
            }

            @Override
            public void onDelete(Namespace ns, boolean deletedFinalStateUnknown) {
                namespaceChanged(ns, true);
            }
        };
    }
}
