package io.kube4j.controller.autoscaling;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Times;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.selection.LabelSelector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's {@code horizontalpodautoscaling} controller for autoscaling/v2
 * Resource metrics (cpu and memory; Utilization and AverageValue targets). Every sync period
 * ({@link #DEFAULT_SYNC_PERIOD} unless configured) per autoscaler: read the target's scale, the selected pods and their
 * usage, let {@link ReplicaCalculator} propose a count per metric (the highest wins),
 * {@link ScalingRules} stabilize and limit it, write the new size through the scale subresource,
 * and record currentReplicas, desiredReplicas, currentMetrics, lastScaleTime and the AbleToScale,
 * ScalingActive and ScalingLimited conditions in the status.
 *
 * <p>The recommendations and scale events the rules look back on are kept in memory per
 * autoscaler, as kube keeps them: after a restart (or a move to another replica) the windows
 * start empty. Keys are {@code namespace/name}; a key is never reconciled by two threads at once.
 */
public final class HorizontalPodAutoscalerReconciler implements Reconciler {

    /** kube-controller-manager's default {@code --horizontal-pod-autoscaler-sync-period}. */
    public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(15);
    private static final Duration HISTORY = Duration.ofMinutes(10);

    private final Cache<HorizontalPodAutoscaler> autoscalers;
    private final Cache<Pod> pods;
    private final TargetScale scales;
    private final PodMetricsSource metrics;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration syncPeriod;
    private final Map<String, Memory> memory = new ConcurrentHashMap<>();

    /** What the rules look back on for one autoscaler. */
    private static final class Memory {
        final List<ScalingRules.Timed> recommendations = new ArrayList<>();
        final List<ScalingRules.Timed> scaleUps = new ArrayList<>();
        final List<ScalingRules.Timed> scaleDowns = new ArrayList<>();

        synchronized void prune(Instant now) {
            Instant cutoff = now.minus(HISTORY);
            recommendations.removeIf(t -> t.at().isBefore(cutoff));
            scaleUps.removeIf(t -> t.at().isBefore(cutoff));
            scaleDowns.removeIf(t -> t.at().isBefore(cutoff));
        }
    }

    public HorizontalPodAutoscalerReconciler(Cache<HorizontalPodAutoscaler> autoscalers, Cache<Pod> pods, TargetScale scales,
                                             PodMetricsSource metrics, ObjectClient objects, EventRecorder events, Clock clock,
                                             Duration syncPeriod) {
        this.autoscalers = autoscalers;
        this.pods = pods;
        this.scales = scales;
        this.metrics = metrics;
        this.objects = objects;
        this.events = events;
        this.clock = clock;
        this.syncPeriod = syncPeriod;
    }

    @Override
    public Result reconcile(String key) {
        HorizontalPodAutoscaler hpa = autoscalers.get(key).orElse(null);
        if (hpa == null || hpa.getMetadata().getDeletionTimestamp() != null) {
            memory.remove(key);
            return Result.DONE;
        }
        Instant now = clock.instant();
        Memory history = memory.computeIfAbsent(key, k -> new Memory());
        history.prune(now);
        String namespace = hpa.getMetadata().getNamespace();
        var target = hpa.getSpec().getScaleTargetRef();
        HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus();
        HorizontalPodAutoscalerStatus old = hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus() : hpa.getStatus();
        status.setObservedGeneration(hpa.getMetadata().getGeneration());
        status.setLastScaleTime(old.getLastScaleTime());
        status.setCurrentMetrics(old.getCurrentMetrics());
        List<HorizontalPodAutoscalerCondition> conditions = new ArrayList<>();

        TargetScale.Current scale;
        try {
            scale = scales.get(namespace, target);
        } catch (RuntimeException e) {
            String message = "the HPA controller was unable to get the target's current scale: " + e.getMessage();
            events.event(hpa, EventRecorder.WARNING, "FailedGetScale", e.getMessage());
            conditions.add(condition(old, "AbleToScale", "False", "FailedGetScale", message, now));
            status.setCurrentReplicas(old.getCurrentReplicas() == null ? 0 : old.getCurrentReplicas());
            status.setDesiredReplicas(old.getDesiredReplicas() == null ? 0 : old.getDesiredReplicas());
            status.setConditions(conditions);
            writeStatus(hpa, status);
            return Result.requeueAfter(syncPeriod);
        }
        int current = scale.replicas();
        int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
        int max = hpa.getSpec().getMaxReplicas();
        status.setCurrentReplicas(current);
        conditions.add(condition(old, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now));

        int desired;
        String reason = null;
        if (current == 0 && min != 0) {
            desired = 0;
            conditions.add(condition(old, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now));
        } else if (current > max) {
            desired = max;
            reason = "Current number of replicas above Spec.MaxReplicas";
            conditions.add(condition(old, "ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count", now));
            conditions.add(condition(old, "ScalingLimited", "True", "TooManyReplicas", "the desired replica count is more than the maximum replica count", now));
        } else if (current < min) {
            desired = min;
            reason = "Current number of replicas below Spec.MinReplicas";
            conditions.add(condition(old, "ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count", now));
            conditions.add(condition(old, "ScalingLimited", "True", "TooFewReplicas", "the desired replica count is less than the minimum replica count", now));
        } else {
            Proposal proposal = propose(hpa, namespace, scale, current, now);
            if (proposal.error != null) {
                events.event(hpa, EventRecorder.WARNING, proposal.errorReason, proposal.error);
                conditions.add(condition(old, "ScalingActive", "False", proposal.errorReason, "the HPA was unable to compute the replica count: " + proposal.error, now));
                status.setDesiredReplicas(current);
                status.setConditions(conditions);
                writeStatus(hpa, status);
                return Result.requeueAfter(syncPeriod);
            }
            status.setCurrentMetrics(proposal.statuses);
            conditions.add(condition(old, "ScalingActive", "True", "ValidMetricFound",
                    "the HPA was able to successfully calculate a replica count from " + proposal.metricName, now));
            ScalingRules.Decision decision;
            synchronized (history) {
                decision = ScalingRules.normalize(current, proposal.replicas, min, max, hpa.getSpec().getBehavior(),
                        List.copyOf(history.recommendations), List.copyOf(history.scaleUps), List.copyOf(history.scaleDowns), now);
                history.recommendations.add(new ScalingRules.Timed(proposal.replicas, now));
            }
            conditions.set(0, condition(old, "AbleToScale", decision.ableToScale().status(), decision.ableToScale().reason(), decision.ableToScale().message(), now));
            conditions.add(condition(old, "ScalingLimited", decision.limited().status(), decision.limited().reason(), decision.limited().message(), now));
            desired = decision.replicas();
            reason = desired > current ? proposal.metricName + " above target" : "All metrics below target";
        }

        if (desired != current && reason != null) {
            try {
                scales.set(namespace, target, desired);
            } catch (RuntimeException e) {
                events.event(hpa, EventRecorder.WARNING, "FailedRescale", "New size: " + desired + "; reason: " + reason + "; error: " + e.getMessage());
                conditions.set(0, condition(old, "AbleToScale", "False", "FailedUpdateScale", "the HPA controller was unable to update the target scale: " + e.getMessage(), now));
                status.setDesiredReplicas(current);
                status.setConditions(conditions);
                writeStatus(hpa, status);
                return Result.requeueAfter(syncPeriod);
            }
            synchronized (history) {
                if (desired > current) history.scaleUps.add(new ScalingRules.Timed(desired - current, now));
                else history.scaleDowns.add(new ScalingRules.Timed(current - desired, now));
            }
            events.event(hpa, EventRecorder.NORMAL, "SuccessfulRescale", "New size: " + desired + "; reason: " + reason);
            conditions.set(0, condition(old, "AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to " + desired, now));
            status.setLastScaleTime(Times.format(now));
        }
        status.setDesiredReplicas(desired);
        status.setConditions(conditions);
        writeStatus(hpa, status);
        return Result.requeueAfter(syncPeriod);
    }

    private record Proposal(int replicas, String metricName, List<MetricStatus> statuses, String errorReason, String error) {}

    /** The highest count any metric asks for, with the metrics' current values; or the first failure. */
    private Proposal propose(HorizontalPodAutoscaler hpa, String namespace, TargetScale.Current scale, int current, Instant now) {
        if (scale.selector() == null || scale.selector().isEmpty()) {
            return new Proposal(0, null, null, "SelectorRequired", "selector is required");
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(scale.selector());
        } catch (RuntimeException e) {
            return new Proposal(0, null, null, "InvalidSelector", "couldn't convert selector into a corresponding internal selector object: " + e.getMessage());
        }
        List<Pod> selected = pods.list(namespace).stream().filter(p -> selector.matches(p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels())).toList();
        Map<String, PodMetricsSource.Sample> samples = null;
        int best = -1;
        String bestName = null;
        List<MetricStatus> statuses = new ArrayList<>();
        String firstError = null, firstReason = null;
        for (MetricSpec metric : hpa.getSpec().getMetrics() == null ? List.<MetricSpec>of() : hpa.getSpec().getMetrics()) {
            if (!"Resource".equals(metric.getType()) || metric.getResource() == null) {
                if (firstError == null) {
                    firstReason = "InvalidMetricSourceType";
                    firstError = "the metric source type " + metric.getType() + " is not served here (only Resource)";
                }
                continue;
            }
            String resource = metric.getResource().getName();
            var target = metric.getResource().getTarget();
            boolean utilization = "Utilization".equals(target.getType());
            Long average = null;
            if (!utilization) {
                Quantity q = target.getAverageValue();
                if (q == null) continue;
                var amount = Quantity.getAmountInBytes(q);
                average = "cpu".equals(resource) ? amount.movePointRight(3).longValue() : amount.longValue();
            }
            if (samples == null) {
                try {
                    samples = metrics.pods(namespace, scale.selector());
                } catch (RuntimeException e) {
                    return new Proposal(0, null, null, "FailedGetResourceMetric", "unable to get metrics for resource " + resource + ": " + e.getMessage());
                }
            }
            ReplicaCalculator.Outcome outcome = ReplicaCalculator.resource(current, resource,
                    utilization ? target.getAverageUtilization() : null, average, selected, samples, now);
            if (outcome.error() != null) {
                if (firstError == null) {
                    firstReason = "FailedGetResourceMetric";
                    firstError = "failed to get " + resource + " utilization: " + outcome.error();
                }
                continue;
            }
            String name = resource + (utilization ? " resource utilization (percentage of request)" : " resource");
            if (outcome.replicas() > best) {
                best = outcome.replicas();
                bestName = name;
            }
            statuses.add(new MetricStatusBuilder().withType("Resource").withNewResource().withName(resource).withNewCurrent()
                    .withAverageUtilization(outcome.utilization())
                    .withAverageValue(new Quantity("cpu".equals(resource) ? outcome.average() + "m" : Long.toString(outcome.average())))
                    .endCurrent().endResource().build());
        }
        if (best < 0) return new Proposal(0, null, null, firstReason == null ? "FailedGetResourceMetric" : firstReason,
                firstError == null ? "no metrics to compute a replica count from" : firstError);
        return new Proposal(best, bestName, statuses, null, null);
    }

    /** A condition whose lastTransitionTime moves only when its status does. */
    private static HorizontalPodAutoscalerCondition condition(HorizontalPodAutoscalerStatus old, String type, String status,
                                                              String reason, String message, Instant now) {
        String since = Times.format(now);
        if (old.getConditions() != null) {
            for (HorizontalPodAutoscalerCondition c : old.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) since = c.getLastTransitionTime();
            }
        }
        return new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder()
                .withType(type).withStatus(status).withReason(reason).withMessage(message).withLastTransitionTime(since).build();
    }

    private void writeStatus(HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerStatus status) {
        if (Objects.equals(hpa.getStatus(), status)) return;
        HorizontalPodAutoscaler copy = Copies.deep(hpa);
        copy.setStatus(status);
        try {
            objects.updateStatus(copy);
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e) || ObjectClient.isConflict(e)) return;
            throw e;
        }
    }
}
