package io.kube4j.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kube4j.controller.pods.Pods;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.object.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's node lifecycle for one node (key: the node's name), every
 * {@code monitorPeriod}:
 * <ul>
 *   <li>Health from heartbeats: a node whose agent has not beaten in Redis for {@code gracePeriod}
 *       gets its conditions set to Unknown ({@code NodeStatusUnknown}, "Kubelet stopped posting
 *       node status."); when beats return, Ready goes back to True.</li>
 *   <li>Pod readiness: on every pass while the node's Ready condition is Unknown or False, its pods
 *       that still say Ready=True get Ready=False (as kube's MarkPodsNotReady), conflicts retried.
 *       Silence is counted from the latest of the last beat, the Ready condition's heartbeat and
 *       the moment this replica first saw the node, so a restarted controller gives every node a
 *       full grace period.</li>
 *   <li>Taints from the Ready condition: Unknown → {@code node.kubernetes.io/unreachable},
 *       False → {@code node.kubernetes.io/not-ready}, each NoSchedule and NoExecute; removed when
 *       the node is Ready.</li>
 *   <li>Eviction: pods on a node with a NoExecute taint are deleted once the taint is older than
 *       their matching toleration's {@code tolerationSeconds} (never, when a matching toleration has
 *       none; {@code defaultTolerationSeconds} for a pod without a matching toleration).</li>
 * </ul>
 * Events as kube records them: RegisteredNode, RemovingNode, NodeNotReady and NodeReady on nodes;
 * NodeNotReady and TaintManagerEviction on pods.
 */
public final class NodeMonitor implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(NodeMonitor.class);

    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    /** The index of pods by {@code spec.nodeName}. */
    public static final String NODE_INDEX = "nodelifecycle-node";
    /** Writes of one pod's NotReady per pass, each after re-reading the pod that lost a conflict. */
    private static final int MARK_ATTEMPTS = 3;
    static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private final Cache<Node> nodes;
    private final Cache<Pod> pods;
    private final Heartbeats heartbeats;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final NodeLifecycleProperties properties;
    private final Clock clock;
    private final Map<String, Seen> known = new ConcurrentHashMap<>();

    private record Seen(Node node, Instant since) {
    }

    public NodeMonitor(Cache<Node> nodes, Cache<Pod> pods, Heartbeats heartbeats, ObjectClient objects, EventRecorder events,
                       NodeLifecycleProperties properties, Clock clock) {
        this.nodes = nodes;
        this.pods = pods;
        this.heartbeats = heartbeats;
        this.objects = objects;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
    }

    public static List<String> nodeOf(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? List.of() : List.of(node);
    }

    @Override
    public Result reconcile(String name) {
        Optional<Node> found = nodes.get(name);
        Instant now = clock.instant();
        if (found.isEmpty()) {
            Seen gone = known.remove(name);
            if (gone != null) {
                events.event(gone.node(), EventRecorder.NORMAL, "RemovingNode", "Node " + name + " event: Removing Node " + name + " from Controller");
            }
            return Result.DONE;
        }
        Node node = found.get();
        boolean registered = !known.containsKey(name);
        Seen seen = known.compute(name, (k, s) -> s == null ? new Seen(node, now) : new Seen(node, s.since()));
        if (registered) {
            events.event(node, EventRecorder.NORMAL, "RegisteredNode", "Node " + name + " event: Registered Node " + name + " in Controller");
        }

        Instant lastBeat = seen.since();
        Optional<Instant> beat = heartbeats.last(name);
        if (beat.isPresent() && beat.get().isAfter(lastBeat)) lastBeat = beat.get();
        Optional<NodeCondition> ready = condition(node, "Ready");
        Instant posted = ready.map(NodeCondition::getLastHeartbeatTime).map(NodeMonitor::parse).orElse(null);
        if (posted != null && posted.isAfter(lastBeat)) lastBeat = posted;
        boolean silent = Duration.between(lastBeat, now).compareTo(properties.gracePeriod()) > 0;

        Node current = node;
        String readyStatus = ready.map(NodeCondition::getStatus).orElse(null);
        if (silent && !"Unknown".equals(readyStatus)) {
            current = objects.updateStatus(withConditions(node, unknownConditions(node, now)));
            log.info("node {} silent since {}: its conditions are Unknown", name, lastBeat);
            events.event(node, EventRecorder.NORMAL, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
            readyStatus = condition(current, "Ready").map(NodeCondition::getStatus).orElse(null);
        } else if (!silent && "Unknown".equals(readyStatus) && beat.isPresent()) {
            current = objects.updateStatus(withConditions(node, readyConditions(node, now)));
            log.info("node {} beats again: Ready", name);
            readyStatus = condition(current, "Ready").map(NodeCondition::getStatus).orElse(null);
            if ("True".equals(readyStatus)) {
                events.event(node, EventRecorder.NORMAL, "NodeReady", "Node " + name + " status is now: NodeReady");
            }
        }

        // Every pass, not only the one that saw the change: a pod may reach the cache, or turn Ready,
        // after the node stopped being Ready, and a write may lose a conflict.
        if ("Unknown".equals(readyStatus) || "False".equals(readyStatus)) markPodsNotReady(name, now);

        List<Taint> taints = desiredTaints(current, readyStatus, now);
        if (!sameTaints(current.getSpec() == null ? null : current.getSpec().getTaints(), taints)) {
            Node next = copy(current);
            next.getSpec().setTaints(taints);
            current = objects.update(next);
        }

        Result result = Result.requeueAfter(properties.monitorPeriod());
        return result.merge(evict(current, now));
    }

    private static Optional<NodeCondition> condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return Optional.empty();
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static Node withConditions(Node node, List<NodeCondition> conditions) {
        Node next = copy(node);
        if (next.getStatus() == null) next.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
        next.getStatus().setConditions(conditions);
        return next;
    }

    /** Every condition Unknown, as kube words it; conditions the node never posted are added. A pure function. */
    static List<NodeCondition> unknownConditions(Node node, Instant now) {
        String time = timestamp(now);
        List<NodeCondition> result = new ArrayList<>();
        List<NodeCondition> existing = node.getStatus() == null || node.getStatus().getConditions() == null ? List.of() : node.getStatus().getConditions();
        for (NodeCondition c : existing) {
            if (CONDITIONS.contains(c.getType())) {
                NodeCondition u = new NodeConditionBuilder(c).withStatus("Unknown").withReason("NodeStatusUnknown")
                        .withMessage("Kubelet stopped posting node status.").build();
                if (!"Unknown".equals(c.getStatus())) u.setLastTransitionTime(time);
                result.add(u);
            } else {
                result.add(c);
            }
        }
        for (String type : CONDITIONS) {
            if (existing.stream().noneMatch(c -> type.equals(c.getType()))) {
                result.add(new NodeConditionBuilder().withType(type).withStatus("Unknown").withReason("NodeStatusNeverUpdated")
                        .withMessage("Kubelet never posted node status.").withLastHeartbeatTime(time).withLastTransitionTime(time).build());
            }
        }
        return result;
    }

    /** The conditions of a node whose agent beats again: Ready, and no pressure. A pure function. */
    static List<NodeCondition> readyConditions(Node node, Instant now) {
        String time = timestamp(now);
        Map<String, String[]> healthy = Map.of(
                "Ready", new String[]{"True", "KubeletReady", "kubelet is posting ready status"},
                "MemoryPressure", new String[]{"False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
                "DiskPressure", new String[]{"False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
                "PIDPressure", new String[]{"False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"});
        List<NodeCondition> result = new ArrayList<>();
        for (NodeCondition c : node.getStatus().getConditions()) {
            String[] h = healthy.get(c.getType());
            if (h == null || !"NodeStatusUnknown".equals(c.getReason()) && !"NodeStatusNeverUpdated".equals(c.getReason())) {
                result.add(c);
                continue;
            }
            result.add(new NodeConditionBuilder(c).withStatus(h[0]).withReason(h[1]).withMessage(h[2])
                    .withLastHeartbeatTime(time).withLastTransitionTime(time).build());
        }
        return result;
    }

    /** The node's taints with the unreachable/not-ready ones as its Ready status asks; other taints kept. A pure function. */
    static List<Taint> desiredTaints(Node node, String readyStatus, Instant now) {
        List<Taint> existing = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        String wanted = "Unknown".equals(readyStatus) ? UNREACHABLE : "False".equals(readyStatus) ? NOT_READY : null;
        List<Taint> result = new ArrayList<>();
        for (Taint t : existing) {
            boolean ours = UNREACHABLE.equals(t.getKey()) || NOT_READY.equals(t.getKey());
            if (!ours || (t.getKey().equals(wanted) && ("NoExecute".equals(t.getEffect()) || "NoSchedule".equals(t.getEffect())))) result.add(t);
        }
        if (wanted != null) {
            for (String effect : List.of("NoSchedule", "NoExecute")) {
                if (result.stream().noneMatch(t -> wanted.equals(t.getKey()) && effect.equals(t.getEffect()))) {
                    result.add(new TaintBuilder().withKey(wanted).withEffect(effect).withTimeAdded(timestamp(now)).build());
                }
            }
        }
        return result;
    }

    private static boolean sameTaints(List<Taint> a, List<Taint> b) {
        return Objects.equals(a == null ? List.of() : a, b);
    }

    /**
     * Sets Ready=False on the pods bound to {@code node} that still say Ready=True. A pod the cache
     * shows NotReady is not written; one whose cached version is stale is read again and marked if
     * the stored version is still Ready and on this node. A conflict that outlasts the retries is left
     * to the next pass.
     */
    private void markPodsNotReady(String node, Instant now) {
        for (Pod cached : pods.byIndex(NODE_INDEX, node)) {
            Pod pod = cached;
            for (int attempt = 0; attempt < MARK_ATTEMPTS && pod != null && isReadyOn(pod, node); attempt++) {
                try {
                    objects.updateStatus(notReady(pod, now));
                    events.event(pod, EventRecorder.WARNING, "NodeNotReady", "Node is not ready");
                    break;
                } catch (RuntimeException e) {
                    if (ObjectClient.isNotFound(e)) break;
                    if (!ObjectClient.isConflict(e)) throw e;
                    pod = objects.get(Pod.class, cached.getMetadata().getNamespace(), cached.getMetadata().getName()).orElse(null);
                }
            }
        }
    }

    private static boolean isReadyOn(Pod pod, String node) {
        return nodeOf(pod).equals(List.of(node)) && Pods.isReady(pod);
    }

    /** A copy of {@code pod} whose Ready condition is False since {@code now}. A pure function. */
    static Pod notReady(Pod pod, Instant now) {
        Pod next = Json.MAPPER.convertValue(pod, Pod.class);
        for (PodCondition c : next.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                c.setStatus("False");
                c.setLastTransitionTime(timestamp(now));
            }
        }
        return next;
    }

    /** Deletes the pods whose toleration of the node's NoExecute taints has run out; the time of the next one due. */
    private Result evict(Node node, Instant now) {
        List<Taint> noExecute = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())
                && (UNREACHABLE.equals(t.getKey()) || NOT_READY.equals(t.getKey()))).toList();
        if (noExecute.isEmpty()) return Result.DONE;
        Result next = Result.DONE;
        for (Pod pod : pods.byIndex(NODE_INDEX, node.getMetadata().getName())) {
            if (pod.getMetadata().getDeletionTimestamp() != null) continue;
            Optional<Instant> due = evictionTime(pod, noExecute, properties.defaultTolerationSeconds(), now);
            if (due.isEmpty()) continue;
            if (due.get().isAfter(now)) {
                next = next.merge(Result.requeueAfter(Duration.between(now, due.get())));
                continue;
            }
            String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            log.info("evicting {} from node {}", key, node.getMetadata().getName());
            events.event(pod, EventRecorder.NORMAL, "TaintManagerEviction", "Marking for deletion Pod " + key);
            objects.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(), null);
        }
        return next;
    }

    /**
     * When a pod must leave a node with {@code taints}: the earliest of, per taint, the taint's time
     * plus the shortest matching toleration; empty when every taint is tolerated forever. A pure function.
     */
    static Optional<Instant> evictionTime(Pod pod, List<Taint> taints, Duration defaultToleration, Instant now) {
        List<Toleration> tolerations = pod.getSpec() == null || pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        Instant earliest = null;
        for (Taint taint : taints) {
            Instant added = Optional.ofNullable(parse(taint.getTimeAdded())).orElse(now);
            List<Toleration> matching = tolerations.stream().filter(t -> tolerates(t, taint)).toList();
            Duration allowed;
            if (matching.isEmpty()) {
                allowed = defaultToleration;
            } else if (matching.stream().anyMatch(t -> t.getTolerationSeconds() == null)) {
                continue;
            } else {
                allowed = Duration.ofSeconds(Math.max(0, matching.stream().mapToLong(Toleration::getTolerationSeconds).min().orElse(0)));
            }
            Instant due = added.plus(allowed);
            if (earliest == null || due.isBefore(earliest)) earliest = due;
        }
        return Optional.ofNullable(earliest);
    }

    static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty() && !toleration.getEffect().equals(taint.getEffect())) return false;
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) return false;
        if ((key == null || key.isEmpty()) && !"Exists".equals(toleration.getOperator())) return false;
        if ("Exists".equals(toleration.getOperator())) return true;
        return Objects.equals(Objects.requireNonNullElse(toleration.getValue(), ""), Objects.requireNonNullElse(taint.getValue(), ""));
    }

    private static Instant parse(String t) {
        if (t == null || t.isEmpty()) return null;
        try {
            return Instant.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Node copy(Node node) {
        Node copy = Json.MAPPER.convertValue(node, Node.class);
        if (copy.getSpec() == null) copy.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
        return copy;
    }
}
