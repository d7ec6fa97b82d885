package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.PodRuntimeStatus;
import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod status the kubelet would report: phase, conditions, IPs, container statuses and QoS
 * class, from the pod, what the runtime holds and what the agent knows besides (back-offs, image
 * errors, probe results). Pure; timestamps of conditions that did not change are kept from the
 * pod's current status, so an unchanged pod yields an equal status and no write.
 */
public final class PodStatusComputer {

    private PodStatusComputer() {
    }

    /**
     * What the agent knows of a pod besides the runtime's state.
     *
     * @param waiting  container name → {reason, message} of a container that cannot start (back-off, image)
     * @param ready    container id → the readiness probe's verdict (absent: no verdict yet)
     * @param started  container id → the startup probe's verdict (absent: no verdict yet)
     */
    public record Observations(Map<String, Waiting> waiting, Map<String, Boolean> ready, Map<String, Boolean> started,
                               boolean podFailed, String hostIP) {
        public Observations {
            waiting = Map.copyOf(waiting);
            ready = Map.copyOf(ready);
            started = Map.copyOf(started);
        }
    }

    /** Why a container waits. */
    public record Waiting(String reason, String message) {
    }

    /** The condition of a pod its node (or the API) is taking down: kept as written. */
    public static final String DISRUPTION_TARGET = "DisruptionTarget";
    private static final Set<String> COMPUTED = Set.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled");

    public static PodStatus compute(Pod pod, PodRuntimeStatus runtime, Observations seen, Instant now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        List<Container> containers = pod.getSpec().getContainers();
        SandboxState sandbox = runtime.sandbox();

        List<ContainerStatus> initStatuses = new ArrayList<>();
        boolean initialized = true;
        List<String> incomplete = new ArrayList<>();
        for (Container c : inits) {
            ContainerStatus s = containerStatus(pod, c, runtime, seen, initialized ? "PodInitializing" : "PodInitializing", true);
            initStatuses.add(s);
            boolean succeeded = s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() == 0;
            if (!succeeded) {
                initialized = false;
                incomplete.add(c.getName());
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        for (Container c : containers) {
            ContainerStatus s = containerStatus(pod, c, runtime, seen, initialized ? "ContainerCreating" : "PodInitializing", false);
            statuses.add(s);
            if (!Boolean.TRUE.equals(s.getReady())) unready.add(c.getName());
        }

        // Ephemeral containers count toward neither phase nor readiness; they are never ready.
        List<ContainerStatus> ephemeralStatuses = new ArrayList<>();
        if (pod.getSpec().getEphemeralContainers() != null) {
            for (var e : pod.getSpec().getEphemeralContainers()) {
                // One that ran in a sandbox since replaced is told as it was last seen: it does not run again.
                ContainerStatus told = PodActions.ranBefore(pod, e.getName()).orElse(null);
                if (runtime.latest(e.getName()) == null && told != null) {
                    ephemeralStatuses.add(told);
                    continue;
                }
                ContainerStatus s = containerStatus(pod, PodConfigs.asContainer(e), runtime, seen, "ContainerCreating", false);
                s.setReady(false);
                s.setStarted(null);
                ephemeralStatuses.add(s);
            }
        }

        String phase = phase(pod, initialized, inits, initStatuses, statuses, seen.podFailed());
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        if (terminal) {
            // A finished pod is never ready again.
            unready = containers.stream().map(Container::getName).toList();
            for (ContainerStatus s : statuses) s.setReady(false);
        }

        List<PodCondition> conditions = new ArrayList<>();
        boolean sandboxReady = sandbox != null && sandbox.ready();
        conditions.add(condition(old, "PodReadyToStartContainers", sandboxReady && !terminal, null, null, time));
        conditions.add(condition(old, "Initialized", initialized, initialized ? null : "ContainersNotInitialized",
                initialized ? null : "containers with incomplete status: [" + String.join(" ", incomplete) + "]", time));
        boolean ready = unready.isEmpty();
        String unreadyMessage = "containers with unready status: [" + String.join(" ", unready) + "]";
        if (terminal) {
            conditions.add(condition(old, "Ready", false, "PodCompleted", null, time));
            conditions.add(condition(old, "ContainersReady", false, "PodCompleted", null, time));
        } else {
            conditions.add(condition(old, "Ready", ready, ready ? null : "ContainersNotReady", ready ? null : unreadyMessage, time));
            conditions.add(condition(old, "ContainersReady", ready, ready ? null : "ContainersNotReady", ready ? null : unreadyMessage, time));
        }
        conditions.add(condition(old, "PodScheduled", true, null, null, time));
        // Conditions others own (readiness gates, DisruptionTarget) stay as they are.
        if (old.getConditions() != null) {
            for (PodCondition c : old.getConditions()) if (!COMPUTED.contains(c.getType())) conditions.add(c);
        }

        PodStatusBuilder status = new PodStatusBuilder()
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(seen.hostIP())
                .withHostIPs(seen.hostIP() == null ? List.of() : List.of(new HostIP(seen.hostIP())))
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : time)
                .withInitContainerStatuses(initStatuses.isEmpty() ? null : initStatuses)
                .withContainerStatuses(statuses)
                .withEphemeralContainerStatuses(ephemeralStatuses.isEmpty() ? null : ephemeralStatuses)
                .withQosClass(qosClass(pod));
        if (terminal && old.getReason() != null) status.withReason(old.getReason()).withMessage(old.getMessage());
        List<String> ips = podIPs(pod, sandbox, seen.hostIP());
        if (!ips.isEmpty()) {
            status.withPodIP(ips.getFirst()).withPodIPs(ips.stream().map(PodIP::new).toList());
        } else if (terminal && old.getPodIP() != null) {
            status.withPodIP(old.getPodIP()).withPodIPs(old.getPodIPs());
        }
        if (old.getNominatedNodeName() != null) status.withNominatedNodeName(old.getNominatedNodeName());
        return status.build();
    }

    private static List<String> podIPs(Pod pod, SandboxState sandbox, String hostIP) {
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) return hostIP == null ? List.of() : List.of(hostIP);
        if (sandbox == null || !sandbox.ready()) return List.of();
        return sandbox.ips();
    }

    private static ContainerStatus containerStatus(Pod pod, Container c, PodRuntimeStatus runtime, Observations seen,
                                                   String pendingReason, boolean init) {
        ContainerState latest = runtime.latest(c.getName());
        ContainerState previous = runtime.previous(c.getName());
        ContainerStatusBuilder b = new ContainerStatusBuilder()
                .withName(c.getName())
                .withImage(c.getImage())
                .withImageID("")
                .withRestartCount(latest == null ? PodActions.nextAttempt(runtime, c.getName()) : latest.attempt())
                .withReady(false)
                .withStarted(false);
        Waiting waiting = seen.waiting().get(c.getName());
        if (latest == null) {
            Waiting w = waiting != null ? waiting : new Waiting(pendingReason, null);
            b.withState(new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message()).endWaiting().build());
            return b.build();
        }
        b.withContainerID("containerd://" + latest.id()).withImageID(latest.imageRef() == null ? "" : latest.imageRef());
        if (latest.running()) {
            boolean started = c.getStartupProbe() == null || Boolean.TRUE.equals(seen.started().get(latest.id()));
            boolean ready = started && (c.getReadinessProbe() == null
                    ? true : Boolean.TRUE.equals(seen.ready().get(latest.id())));
            b.withStarted(started).withReady(!init && ready);
            b.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(latest.startedAt())).endRunning().build());
            if (previous != null && previous.exited()) b.withLastState(terminated(previous));
        } else if (latest.exited()) {
            if (waiting != null) {
                b.withState(new ContainerStateBuilder().withNewWaiting().withReason(waiting.reason()).withMessage(waiting.message()).endWaiting().build());
                b.withLastState(terminated(latest));
            } else {
                b.withState(terminated(latest));
                if (previous != null && previous.exited()) b.withLastState(terminated(previous));
            }
        } else {
            b.withState(new ContainerStateBuilder().withNewWaiting().withReason(pendingReason).endWaiting().build());
        }
        return b.build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerState terminated(ContainerState s) {
        String reason = s.reason() != null && !s.reason().isEmpty() && !"Completed".equals(s.reason()) && !"Error".equals(s.reason())
                ? s.reason() : (s.exitCode() == 0 ? "Completed" : "Error");
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(s.exitCode())
                .withReason(reason)
                .withMessage(s.message() == null || s.message().isEmpty() ? null : s.message())
                .withStartedAt(time(s.startedAt()))
                .withFinishedAt(time(s.finishedAt()))
                .withContainerID("containerd://" + s.id())
                .endTerminated().build();
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The kubelet's phase rules. */
    static String phase(Pod pod, boolean initialized, List<Container> inits, List<ContainerStatus> initStatuses,
                        List<ContainerStatus> statuses, boolean podFailed) {
        String old = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(old) || "Failed".equals(old)) return old;
        if (podFailed) return "Failed";
        String policy = PodActions.restartPolicy(pod);
        if (!initialized) {
            for (ContainerStatus s : initStatuses) {
                var t = s.getState().getTerminated();
                if (t != null && t.getExitCode() != 0 && "Never".equals(policy)) return "Failed";
            }
            return "Pending";
        }
        int running = 0, waiting = 0, stopped = 0, succeeded = 0;
        for (ContainerStatus s : statuses) {
            var state = s.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) succeeded++;
            } else if (state.getWaiting() != null) {
                if (s.getLastState() != null && s.getLastState().getTerminated() != null) stopped++;
                else waiting++;
            }
        }
        if (waiting > 0) return "Pending";
        if (running > 0) return "Running";
        if (stopped > 0) {
            if ("Always".equals(policy)) return "Running";
            if (stopped == succeeded) return "Succeeded";
            if ("Never".equals(policy)) return "Failed";
            return "Running";
        }
        return "Pending";
    }

    /**
     * {@code computed} with each condition's transition time taken from {@code written} — the
     * conditions this agent last wrote for the pod — where that has the same type and status and
     * an earlier time. The informer's copy of a pod may not show the agent's last write yet; computed
     * from it alone, a condition that stayed True would seem to have just become True.
     */
    public static PodStatus keepTransitionTimes(PodStatus computed, List<PodCondition> written) {
        if (written == null || written.isEmpty() || computed.getConditions() == null) return computed;
        List<PodCondition> conditions = new ArrayList<>(computed.getConditions().size());
        for (PodCondition c : computed.getConditions()) {
            PodCondition kept = c;
            for (PodCondition w : written) {
                if (w.getType().equals(c.getType()) && w.getStatus().equals(c.getStatus()) && w.getLastTransitionTime() != null
                        && c.getLastTransitionTime() != null && w.getLastTransitionTime().compareTo(c.getLastTransitionTime()) < 0) {
                    kept = new PodConditionBuilder(c).withLastTransitionTime(w.getLastTransitionTime()).build();
                }
            }
            conditions.add(kept);
        }
        return new io.fabric8.kubernetes.api.model.PodStatusBuilder(computed).withConditions(conditions).build();
    }

    private static PodCondition condition(PodStatus old, String type, boolean value, String reason, String message, String now) {
        String status = value ? "True" : "False";
        String since = now;
        if (old.getConditions() != null) {
            for (PodCondition c : old.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withLastProbeTime(null).build();
    }

    /** Guaranteed, Burstable or BestEffort, by the containers' requests and limits. */
    public static String qosClass(Pod pod) {
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) all.addAll(pod.getSpec().getInitContainers());
        boolean any = false;
        boolean guaranteed = true;
        for (Container c : all) {
            ResourceRequirements r = c.getResources();
            if (r != null && ((r.getRequests() != null && !r.getRequests().isEmpty()) || (r.getLimits() != null && !r.getLimits().isEmpty()))) {
                any = true;
            }
            for (String resource : List.of("cpu", "memory")) {
                Quantity limit = ContainerResources.limit(c, resource);
                Quantity request = ContainerResources.effectiveRequest(c, resource);
                if (limit == null || request == null
                        || Quantity.getAmountInBytes(limit).compareTo(Quantity.getAmountInBytes(request)) != 0) {
                    guaranteed = false;
                }
            }
        }
        if (!any) return "BestEffort";
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
