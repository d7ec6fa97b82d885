package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.PodRuntimeStatus;
import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What to do to a pod's sandbox and containers to move it toward its spec: the result of
 * {@link #compute}, carried out by {@link PodSyncer}. A value; empty when the pod is as it should be.
 *
 * @param killPod           stop every container and the sandbox (pod deleted, finished, or its sandbox died)
 * @param createSandbox     run a new sandbox (then {@code start} runs in it)
 * @param sandboxAttempt    the attempt number of the new sandbox
 * @param kill              containers to stop, with why
 * @param start             containers to create and start, in order (ephemeral ones as soon as the sandbox runs, once)
 * @param waiting           containers held back (CrashLoopBackOff), by name, with the reason's message
 * @param podFailed         an init container failed and the restart policy forbids another try
 * @param requeueAfter      when to look again though nothing happens (a back-off ends), or null
 */
public record PodActions(boolean killPod, boolean createSandbox, int sandboxAttempt, List<Kill> kill,
                         List<Start> start, Map<String, String> waiting, boolean podFailed, Duration requeueAfter) {

    public static final Duration BACKOFF_INITIAL = Duration.ofSeconds(10);
    public static final Duration BACKOFF_MAX = Duration.ofMinutes(5);

    public PodActions {
        kill = List.copyOf(kill);
        start = List.copyOf(start);
        waiting = Map.copyOf(waiting);
    }

    /** A container to stop. */
    public record Kill(String containerId, String name, String reason) {
    }

    /** Which list of the pod's spec a container is in. */
    public enum Kind { INIT, REGULAR, EPHEMERAL }

    /** A container of the spec to create and start; {@code attempt} becomes its restart count. */
    public record Start(String name, Kind kind, int attempt) {
    }

    public boolean isEmpty() {
        return !killPod && !createSandbox && kill.isEmpty() && start.isEmpty();
    }

    /**
     * Decides what the runtime must do for {@code pod}, from the pod, what the runtime holds for it
     * and the probe verdicts. Pure: the same inputs give the same actions.
     *
     * @param unhealthy ids of running containers whose liveness or startup probe failed
     */
    public static PodActions compute(Pod pod, PodRuntimeStatus runtime, Instant now, Set<String> unhealthy) {
        Builder b = new Builder();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean terminal = "Succeeded".equals(phase) || "Failed".equals(phase);
        SandboxState sandbox = runtime.sandbox();
        if (pod.getMetadata().getDeletionTimestamp() != null || terminal) {
            if (somethingRuns(runtime)) b.killPod = true;
            return b.build();
        }
        String policy = restartPolicy(pod);
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        List<Container> containers = pod.getSpec().getContainers();

        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        if (sandbox == null || !sandbox.ready() || (!hostNetwork && sandbox.ips().isEmpty())) {
            if (sandbox != null) {
                b.killPod = somethingRuns(runtime);
                boolean anyRan = containers.stream().anyMatch(c -> nextAttempt(runtime, c.getName()) > 0);
                if ("Never".equals(policy) && anyRan) return b.build();
            }
            b.createSandbox = true;
            b.sandboxAttempt = sandbox == null ? 0 : sandbox.attempt() + 1;
            if (!inits.isEmpty()) {
                b.start.add(new Start(inits.getFirst().getName(), Kind.INIT, nextAttempt(runtime, inits.getFirst().getName())));
            } else {
                for (Container c : containers) b.start.add(new Start(c.getName(), Kind.REGULAR, nextAttempt(runtime, c.getName())));
            }
            return b.build();
        }

        // Ephemeral containers start once the sandbox runs, initialized or not, and never again: not when the
        // runtime has one (running or exited) nor when the pod's status tells of one (its sandbox was replaced since).
        // One with a target waits until the target runs, whose processes it is to see.
        if (pod.getSpec().getEphemeralContainers() != null) {
            for (EphemeralContainer e : pod.getSpec().getEphemeralContainers()) {
                if (runtime.latest(e.getName()) != null || ranBefore(pod, e.getName()).isPresent()) continue;
                if (e.getTargetContainerName() != null && !e.getTargetContainerName().isEmpty()) {
                    ContainerState target = runtime.latest(e.getTargetContainerName());
                    if (target == null || !target.running()) continue;
                }
                b.start.add(new Start(e.getName(), Kind.EPHEMERAL, 0));
            }
        }

        for (Container init : inits) {
            ContainerState latest = runtime.latest(init.getName());
            if (latest == null) {
                b.start.add(new Start(init.getName(), Kind.INIT, nextAttempt(runtime, init.getName())));
                return b.build();
            }
            if (latest.running()) {
                if (unhealthy.contains(latest.id())) b.kill.add(new Kill(latest.id(), init.getName(), "failed its probe"));
                return b.build();
            }
            if (latest.exited() && latest.exitCode() == 0) continue;
            if (latest.exited() && "Never".equals(policy)) {
                b.podFailed = true;
                b.killPod = somethingRuns(runtime);
                return b.build();
            }
            restartOrWait(b, init.getName(), Kind.INIT, latest, now);
            return b.build();
        }

        for (Container c : containers) {
            ContainerState latest = runtime.latest(c.getName());
            if (latest == null) {
                b.start.add(new Start(c.getName(), Kind.REGULAR, nextAttempt(runtime, c.getName())));
            } else if (latest.running()) {
                if (unhealthy.contains(latest.id())) {
                    b.kill.add(new Kill(latest.id(), c.getName(), "Container " + c.getName() + " failed liveness probe, will be restarted"));
                }
            } else if (!latest.exited()) {
                // Created but never started (the agent stopped in between) or unknown: replace it.
                b.kill.add(new Kill(latest.id(), c.getName(), "not running"));
                b.start.add(new Start(c.getName(), Kind.REGULAR, latest.attempt() + 1));
            } else if (shouldRestart(policy, latest.exitCode())) {
                restartOrWait(b, c.getName(), Kind.REGULAR, latest, now);
            }
        }
        return b.build();
    }

    /** The status the pod tells of an ephemeral container of that name that ran (it has a container id), if any. */
    static java.util.Optional<io.fabric8.kubernetes.api.model.ContainerStatus> ranBefore(Pod pod, String name) {
        if (pod.getStatus() == null || pod.getStatus().getEphemeralContainerStatuses() == null) return java.util.Optional.empty();
        return pod.getStatus().getEphemeralContainerStatuses().stream()
                .filter(s -> name.equals(s.getName()) && s.getContainerID() != null && !s.getContainerID().isEmpty()).findFirst();
    }

    private static void restartOrWait(Builder b, String name, Kind kind, ContainerState exited, Instant now) {
        Duration delay = backoff(exited.attempt());
        Instant finished = exited.finishedAt() == null ? now : exited.finishedAt();
        Instant allowed = finished.plus(delay);
        if (now.isBefore(allowed)) {
            b.waiting.put(name, "back-off " + format(delay) + " restarting failed container=" + name);
            Duration wait = Duration.between(now, allowed);
            if (b.requeueAfter == null || wait.compareTo(b.requeueAfter) < 0) b.requeueAfter = wait;
        } else {
            b.start.add(new Start(name, kind, exited.attempt() + 1));
        }
    }

    /**
     * The wait before restarting a container that exited after {@code restarts} restarts: none the
     * first time, then 10 s doubling up to 5 minutes (the kubelet's CrashLoopBackOff).
     */
    public static Duration backoff(int restarts) {
        if (restarts <= 0) return Duration.ZERO;
        long seconds = BACKOFF_INITIAL.toSeconds() << Math.min(restarts - 1, 20);
        return seconds >= BACKOFF_MAX.toSeconds() ? BACKOFF_MAX : Duration.ofSeconds(seconds);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }

    static boolean shouldRestart(String policy, int exitCode) {
        return switch (policy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
        };
    }

    static String restartPolicy(Pod pod) {
        String policy = pod.getSpec().getRestartPolicy();
        return policy == null || policy.isEmpty() ? "Always" : policy;
    }

    /** The restart count a new container of that name gets: one more than any earlier one's, in any sandbox. */
    static int nextAttempt(PodRuntimeStatus runtime, String name) {
        return runtime.containers().stream().filter(c -> c.name().equals(name))
                .mapToInt(c -> c.attempt() + 1).max().orElse(0);
    }

    private static boolean somethingRuns(PodRuntimeStatus runtime) {
        return runtime.sandboxes().stream().anyMatch(SandboxState::ready)
                || runtime.containers().stream().anyMatch(c -> !c.exited());
    }

    private static final class Builder {
        boolean killPod;
        boolean createSandbox;
        int sandboxAttempt;
        final List<Kill> kill = new ArrayList<>();
        final List<Start> start = new ArrayList<>();
        final Map<String, String> waiting = new LinkedHashMap<>();
        boolean podFailed;
        Duration requeueAfter;

        PodActions build() {
            return new PodActions(killPod, createSandbox, sandboxAttempt, kill, start, waiting, podFailed, requeueAfter);
        }
    }
}
