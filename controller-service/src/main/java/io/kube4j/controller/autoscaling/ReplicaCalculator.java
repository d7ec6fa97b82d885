package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.Times;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replica count one resource metric asks for — kube-controller-manager's replica calculator.
 * Pods being deleted, failed or pending are left out; pods without a sample are "missing"; for
 * CPU, pods not yet Ready (or whose sample predates their readiness, in their first five
 * minutes) are "unready" and left out. From the others the usage ratio (utilization against
 * its target, or average value against its target) is computed; within 10% of 1 nothing changes.
 * Then, cautiously: on a scale-down missing pods count as using their whole request (or the
 * target), on a scale-up missing and unready pods count as using nothing, and if that flips the
 * direction or lands within the tolerance the count stays. Pure functions.
 */
public final class ReplicaCalculator {

    public static final double TOLERANCE = 0.1;
    static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
    static final Duration INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

    /**
     * @param replicas    the count the metric asks for
     * @param utilization the current average utilization in percent of the request (null for an AverageValue target)
     * @param average     the current average usage per pod (millicores, or bytes)
     * @param error       when not null, the metric could not be computed: a reason and message for the HPA's conditions
     */
    public record Outcome(int replicas, Integer utilization, long average, String error) {
        static Outcome failed(String message) {
            return new Outcome(0, null, 0, message);
        }
    }

    private ReplicaCalculator() {}

    /**
     * The replicas for a Resource metric of {@code resource} ({@code cpu} or {@code memory}) with
     * a target of {@code targetUtilization} percent of the pods' requests, or — when that is null —
     * {@code targetAverage} per pod (millicores or bytes).
     */
    public static Outcome resource(int currentReplicas, String resource, Integer targetUtilization, Long targetAverage,
                                   List<Pod> pods, Map<String, PodMetricsSource.Sample> samples, Instant now) {
        if (pods.isEmpty()) return Outcome.failed("no pods returned by selector while calculating replica count");
        Map<String, Long> metrics = new HashMap<>();
        samples.forEach((name, sample) -> metrics.put(name, sample.usage(resource)));
        int ready = 0;
        Set<String> unready = new HashSet<>(), missing = new HashSet<>(), ignored = new HashSet<>();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            String phase = Pods.phase(pod);
            if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase) || "Pending".equals(phase)) {
                ignored.add(name);
                continue;
            }
            PodMetricsSource.Sample sample = samples.get(name);
            if (sample == null) {
                missing.add(name);
                continue;
            }
            if ("cpu".equals(resource) && unready(pod, sample, now)) {
                unready.add(name);
                continue;
            }
            ready++;
        }
        metrics.keySet().removeAll(ignored);
        metrics.keySet().removeAll(unready);
        // Samples of pods the selector no longer selects do not count either.
        Set<String> selected = new HashSet<>();
        pods.forEach(p -> selected.add(p.getMetadata().getName()));
        metrics.keySet().retainAll(selected);
        if (metrics.isEmpty()) return Outcome.failed("did not receive metrics for targeted pods (pods might be unready)");

        Map<String, Long> requests = new HashMap<>();
        if (targetUtilization != null) {
            for (Pod pod : pods) {
                Long request = request(pod, resource);
                if (request == null) {
                    return Outcome.failed("missing request for " + resource + " in containers of Pod " + pod.getMetadata().getName());
                }
                requests.put(pod.getMetadata().getName(), request);
            }
        }
        Ratio ratio = ratio(metrics, requests, targetUtilization, targetAverage);
        if (ratio == null) return Outcome.failed("no metrics returned matched known pods");
        boolean scaleUpWithUnready = !unready.isEmpty() && ratio.value > 1.0;
        if (!scaleUpWithUnready && missing.isEmpty()) {
            if (Math.abs(1.0 - ratio.value) <= TOLERANCE) return new Outcome(currentReplicas, ratio.utilization, ratio.average, null);
            return new Outcome((int) Math.ceil(ratio.value * ready), ratio.utilization, ratio.average, null);
        }
        if (!missing.isEmpty()) {
            for (String name : missing) {
                if (ratio.value < 1.0) {
                    metrics.put(name, targetUtilization != null
                            ? requests.get(name) * Math.max(100, targetUtilization) / 100 : targetAverage);
                } else if (ratio.value > 1.0) {
                    metrics.put(name, 0L);
                }
            }
        }
        if (scaleUpWithUnready) for (String name : unready) metrics.put(name, 0L);
        Ratio again = ratio(metrics, requests, targetUtilization, targetAverage);
        if (again == null || Math.abs(1.0 - again.value) <= TOLERANCE
                || (ratio.value < 1.0 && again.value > 1.0) || (ratio.value > 1.0 && again.value < 1.0)) {
            return new Outcome(currentReplicas, ratio.utilization, ratio.average, null);
        }
        int replicas = (int) Math.ceil(again.value * metrics.size());
        if ((again.value < 1.0 && replicas > currentReplicas) || (again.value > 1.0 && replicas < currentReplicas)) {
            return new Outcome(currentReplicas, ratio.utilization, ratio.average, null);
        }
        return new Outcome(replicas, ratio.utilization, ratio.average, null);
    }

    private record Ratio(double value, Integer utilization, long average) {}

    /** kube's GetResourceUtilizationRatio (integer percent, as kube truncates it) or the plain average's ratio. */
    private static Ratio ratio(Map<String, Long> metrics, Map<String, Long> requests, Integer targetUtilization, Long targetAverage) {
        if (metrics.isEmpty()) return null;
        long usage = 0;
        for (long v : metrics.values()) usage += v;
        if (targetUtilization == null) {
            long average = usage / metrics.size();
            return new Ratio((double) usage / ((double) targetAverage * metrics.size()), null, average);
        }
        long used = 0, requested = 0;
        for (var e : metrics.entrySet()) {
            Long request = requests.get(e.getKey());
            if (request == null) continue;
            used += e.getValue();
            requested += request;
        }
        if (requested == 0) return null;
        int utilization = (int) (used * 100 / requested);
        return new Ratio((double) utilization / targetUtilization, utilization, used / metrics.size());
    }

    /** kube's rule for CPU samples of pods that are starting: unready, or sampled before a full window of readiness. */
    static boolean unready(Pod pod, PodMetricsSource.Sample sample, Instant now) {
        PodCondition ready = null;
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) if ("Ready".equals(c.getType())) ready = c;
        }
        Instant started = pod.getStatus() == null ? null : Times.parse(pod.getStatus().getStartTime());
        if (ready == null || started == null) return true;
        Instant transition = Times.parse(ready.getLastTransitionTime());
        if (transition == null) transition = started;
        if (started.plus(CPU_INITIALIZATION_PERIOD).isAfter(now)) {
            return "False".equals(ready.getStatus()) || sample.timestamp().isBefore(transition.plus(sample.window()));
        }
        return "False".equals(ready.getStatus()) && started.plus(INITIAL_READINESS_DELAY).isAfter(transition);
    }

    /** The pod's request of {@code resource} summed over its containers (millicores or bytes); null when a container has none. */
    static Long request(Pod pod, String resource) {
        long total = 0;
        for (Container c : pod.getSpec().getContainers()) {
            Quantity q = c.getResources() == null || c.getResources().getRequests() == null ? null : c.getResources().getRequests().get(resource);
            if (q == null) return null;
            BigDecimal amount = Quantity.getAmountInBytes(q);
            total += "cpu".equals(resource) ? amount.movePointRight(3).longValue() : amount.longValue();
        }
        return total;
    }
}
