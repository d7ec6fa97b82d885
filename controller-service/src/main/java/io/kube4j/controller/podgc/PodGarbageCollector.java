package io.kube4j.controller.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.controller.pods.PodRemover;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Times;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.object.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod garbage collector's executor: one key ({@link #KEY}) for the whole cluster, a sweep per
 * reconcile ({@link PodGcPlan}) and another after {@link PodGcProperties#period()}. A node missing
 * from the cache is confirmed missing with a read from the gateway before the pods bound to it are
 * failed ({@code DisruptionTarget}, reason {@code DeletionByPodGC}) and removed with grace period 0.
 * Not thread-safe: the controller runs it on one worker.
 */
final class PodGarbageCollector implements Reconciler {

    static final String KEY = "pods";
    private static final Logger log = LoggerFactory.getLogger(PodGarbageCollector.class);

    private final Cache<Pod> pods;
    private final Cache<Node> nodes;
    private final ObjectClient objects;
    private final PodRemover remover;
    private final PodGcProperties properties;
    private final Clock clock;
    private Map<String, Instant> missingSince = Map.of();

    PodGarbageCollector(Cache<Pod> pods, Cache<Node> nodes, ObjectClient objects, PodRemover remover, PodGcProperties properties, Clock clock) {
        this.pods = pods;
        this.nodes = nodes;
        this.objects = objects;
        this.remover = remover;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Result reconcile(String key) {
        Instant now = clock.instant();
        Map<String, Node> byName = new HashMap<>();
        for (Node node : nodes.list()) byName.put(node.getMetadata().getName(), node);
        PodGcPlan plan = PodGcPlan.plan(pods.list(), byName, missingSince, properties.terminatedPodThreshold(), properties.quarantine(), now);
        missingSince = plan.missingSince();

        List<RuntimeException> failures = new ArrayList<>();
        for (Pod pod : plan.deleteTerminated()) run(failures, () -> remove(pod, "terminated pod beyond the threshold of " + properties.terminatedPodThreshold()));
        for (Pod pod : plan.forceDelete()) run(failures, () -> remove(pod, Pods.isAssigned(pod) ? "terminating on an out-of-service node" : "terminating and never scheduled"));
        for (String node : plan.suspectNodes()) {
            if (objects.get(Node.class, null, node).isPresent()) continue;   // the cache was behind
            for (Pod pod : plan.podsOnSuspectNodes().get(node)) run(failures, () -> failAndRemove(pod, now));
        }
        if (!failures.isEmpty()) throw failures.getFirst();

        Duration next = properties.period();
        if (plan.nextSweep() != null && plan.nextSweep().compareTo(next) < 0) next = plan.nextSweep();
        return Result.requeueAfter(next);
    }

    private void failAndRemove(Pod pod, Instant now) {
        String phase = Pods.phase(pod);
        if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            Pod failed = Json.MAPPER.convertValue(pod, Pod.class);
            if (failed.getStatus() == null) failed.setStatus(new PodStatus());
            List<PodCondition> conditions = new ArrayList<>(failed.getStatus().getConditions() == null ? List.of() : failed.getStatus().getConditions());
            conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
            conditions.add(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True").withReason("DeletionByPodGC")
                    .withMessage("PodGC: node no longer exists").withLastTransitionTime(Times.format(now)).build());
            failed.getStatus().setConditions(conditions);
            failed.getStatus().setPhase("Failed");
            try {
                objects.updateStatus(failed);
            } catch (RuntimeException e) {
                if (ObjectClient.isNotFound(e)) return;
                if (!ObjectClient.isConflict(e)) throw e;   // a newer pod: removed all the same below
            }
        }
        remove(pod, "bound to node " + pod.getSpec().getNodeName() + ", which no longer exists");
    }

    private void remove(Pod pod, String why) {
        log.info("removing pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), why);
        remover.remove(pod);
    }

    private static void run(List<RuntimeException> failures, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
