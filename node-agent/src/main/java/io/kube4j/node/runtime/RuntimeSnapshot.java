package io.kube4j.node.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the runtime holds at one moment, grouped by pod uid (from the labels the agent put on
 * every sandbox and container). Immutable.
 */
public record RuntimeSnapshot(Map<String, PodRuntimeStatus> pods) {

    public static final String LABEL_POD_NAME = "io.kubernetes.pod.name";
    public static final String LABEL_POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String LABEL_POD_UID = "io.kubernetes.pod.uid";
    public static final String LABEL_CONTAINER_NAME = "io.kubernetes.container.name";

    public RuntimeSnapshot {
        pods = Map.copyOf(pods);
    }

    public PodRuntimeStatus pod(String uid) {
        return pods.getOrDefault(uid, PodRuntimeStatus.empty(uid));
    }

    /** Groups sandboxes and containers by pod uid, newest first. */
    public static RuntimeSnapshot of(List<SandboxState> sandboxes, List<ContainerState> containers) {
        Map<String, List<SandboxState>> sandboxesByPod = new TreeMap<>();
        Map<String, List<ContainerState>> containersByPod = new TreeMap<>();
        for (SandboxState s : sandboxes) sandboxesByPod.computeIfAbsent(s.podUid(), k -> new ArrayList<>()).add(s);
        for (ContainerState c : containers) containersByPod.computeIfAbsent(c.podUid(), k -> new ArrayList<>()).add(c);
        Map<String, PodRuntimeStatus> pods = new TreeMap<>();
        for (String uid : sandboxesByPod.keySet()) pods.put(uid, null);
        for (String uid : containersByPod.keySet()) pods.put(uid, null);
        pods.replaceAll((uid, ignored) -> {
            List<SandboxState> ss = new ArrayList<>(sandboxesByPod.getOrDefault(uid, List.of()));
            List<ContainerState> cs = new ArrayList<>(containersByPod.getOrDefault(uid, List.of()));
            ss.sort(Comparator.comparing(SandboxState::createdAt).reversed());
            cs.sort(Comparator.comparing(ContainerState::createdAt).reversed());
            return new PodRuntimeStatus(uid, ss, cs);
        });
        return new RuntimeSnapshot(pods);
    }

    /** A pod's sandboxes and containers, newest first. */
    public record PodRuntimeStatus(String uid, List<SandboxState> sandboxes, List<ContainerState> containers) {
        public PodRuntimeStatus {
            sandboxes = List.copyOf(sandboxes);
            containers = List.copyOf(containers);
        }

        public static PodRuntimeStatus empty(String uid) {
            return new PodRuntimeStatus(uid, List.of(), List.of());
        }

        /** The newest sandbox, or null. */
        public SandboxState sandbox() {
            return sandboxes.isEmpty() ? null : sandboxes.getFirst();
        }

        /** The containers of one name in the newest sandbox, newest first. */
        public List<ContainerState> instances(String name) {
            SandboxState sandbox = sandbox();
            return containers.stream()
                    .filter(c -> c.name().equals(name) && (sandbox == null || c.sandboxId().equals(sandbox.id())))
                    .toList();
        }

        /** The newest container of that name in the newest sandbox, or null. */
        public ContainerState latest(String name) {
            List<ContainerState> all = instances(name);
            return all.isEmpty() ? null : all.getFirst();
        }

        /** The container of that name before the newest one, or null. */
        public ContainerState previous(String name) {
            List<ContainerState> all = instances(name);
            return all.size() < 2 ? null : all.get(1);
        }
    }

    /** A pod sandbox: its id, attempt, whether it is ready, and its IPs. */
    public record SandboxState(String id, String podUid, String podName, String podNamespace, int attempt,
                               boolean ready, List<String> ips, Instant createdAt) {
        public SandboxState {
            ips = List.copyOf(ips);
        }
    }

    /** A container's state in the runtime. {@code attempt} is its restart count. */
    public record ContainerState(String id, String sandboxId, String podUid, String name, int attempt,
                                 State state, Instant createdAt, Instant startedAt, Instant finishedAt,
                                 int exitCode, String reason, String message, String image, String imageRef,
                                 String logPath) {

        public enum State { CREATED, RUNNING, EXITED, UNKNOWN }

        public boolean running() {
            return state == State.RUNNING;
        }

        public boolean exited() {
            return state == State.EXITED;
        }
    }
}
