package io.kube4j.node.runtime;

import io.kube4j.node.cri.api.ContainerConfig;
import io.kube4j.node.cri.api.PodSandboxConfig;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hollow node's runtime: starts no process; sandboxes get the next address of the node's pod
 * subnet and containers run at once and for ever, until stopped (exit code 0). Every image is
 * present. A few hundred bytes per container, so one JVM can hold many hollow nodes.
 * Thread-safe.
 */
public final class FakeRuntime implements ContainerRuntime {

    private final Map<String, SandboxState> sandboxes = new ConcurrentHashMap<>();
    private final Map<String, ContainerState> containers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger nextHost = new AtomicInteger(2);
    private final String subnetPrefix;
    private final Clock clock;

    /** @param podCidr an IPv4 /24 (or wider) subnet; addresses are handed out from its first 254 */
    public FakeRuntime(String podCidr, Clock clock) {
        String network = podCidr.substring(0, podCidr.indexOf('/'));
        this.subnetPrefix = network.substring(0, network.lastIndexOf('.') + 1);
        this.clock = clock;
    }

    @Override
    public String version() {
        return "fake 0.1.0 (CRI v1)";
    }

    @Override
    public RuntimeSnapshot snapshot() {
        return RuntimeSnapshot.of(List.copyOf(sandboxes.values()), List.copyOf(containers.values()));
    }

    private String id() {
        return Long.toHexString(ids.incrementAndGet());
    }

    private Instant now() {
        // Strictly increasing creation times keep "newest first" exact.
        return clock.instant().plusNanos(ids.get());
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        String id = id();
        int host = nextHost.getAndUpdate(h -> h >= 254 ? 2 : h + 1);
        var m = config.getMetadata();
        sandboxes.put(id, new SandboxState(id, m.getUid(), m.getName(), m.getNamespace(), m.getAttempt(), true,
                List.of(subnetPrefix + host), now()));
        return id;
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        containers.replaceAll((id, c) -> c.sandboxId().equals(sandboxId) && !c.exited() ? exited(c) : c);
        sandboxes.computeIfPresent(sandboxId, (id, s) -> new SandboxState(s.id(), s.podUid(), s.podName(), s.podNamespace(),
                s.attempt(), false, List.of(), s.createdAt()));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        containers.values().removeIf(c -> c.sandboxId().equals(sandboxId));
        sandboxes.remove(sandboxId);
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        SandboxState sandbox = sandboxes.get(sandboxId);
        if (sandbox == null) throw new RuntimeError("CreateContainer: no sandbox " + sandboxId, null);
        String id = id();
        containers.put(id, new ContainerState(id, sandboxId, sandbox.podUid(), config.getMetadata().getName(),
                config.getMetadata().getAttempt(), ContainerState.State.CREATED, now(), null, null, 0, "", "",
                config.getImage().getImage(), "sha256:" + "0".repeat(64), config.getLogPath()));
        return id;
    }

    @Override
    public void startContainer(String containerId) {
        ContainerState c = containers.get(containerId);
        if (c == null) throw new RuntimeError("StartContainer: no container " + containerId, null);
        containers.put(containerId, new ContainerState(c.id(), c.sandboxId(), c.podUid(), c.name(), c.attempt(),
                ContainerState.State.RUNNING, c.createdAt(), clock.instant(), null, 0, "", "", c.image(), c.imageRef(), c.logPath()));
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        containers.computeIfPresent(containerId, (id, c) -> c.exited() ? c : exited(c));
    }

    private ContainerState exited(ContainerState c) {
        return new ContainerState(c.id(), c.sandboxId(), c.podUid(), c.name(), c.attempt(), ContainerState.State.EXITED,
                c.createdAt(), c.startedAt() == null ? clock.instant() : c.startedAt(), clock.instant(), 0, "Completed", "",
                c.image(), c.imageRef(), c.logPath());
    }

    @Override
    public void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        return new ExecResult(0, new byte[0], new byte[0]);
    }

    @Override
    public String imageId(String image) {
        return "sha256:" + "0".repeat(64);
    }

    @Override
    public String pullImage(String image) {
        return imageId(image);
    }
}
