package io.kube4j.node.runtime;

import io.kube4j.node.cri.api.ContainerConfig;
import io.kube4j.node.cri.api.PodSandboxConfig;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The container runtime as the agent uses it: the CRI's pod-sandbox, container and image calls,
 * in the CRI's own message types, so that the real runtime ({@code cri}) is a thin gRPC client
 * and the hollow one ({@code fake}) a map.
 *
 * <p>Thread-safe: the agent's pod workers call it concurrently, never for the same pod at once.
 * Calls block until the runtime answered. Failures are {@link RuntimeError}s; a missing object
 * on stop/remove is success (those calls are idempotent, as in the CRI).
 */
public interface ContainerRuntime {

    /** The runtime's name and version, e.g. {@code containerd 1.6.20}; also a liveness check. */
    String version();

    /** Every pod sandbox and container this runtime holds, with their current states. */
    RuntimeSnapshot snapshot();

    /** Creates and starts a pod sandbox (its network namespace and IP); returns its id. */
    String runPodSandbox(PodSandboxConfig config);

    /** Stops every container of the sandbox and the sandbox; idempotent. */
    void stopPodSandbox(String sandboxId);

    /** Removes a stopped sandbox and its containers; idempotent. */
    void removePodSandbox(String sandboxId);

    /** Creates a container in a sandbox; returns its id. */
    String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

    void startContainer(String containerId);

    /** Stops a container: its stop signal, then SIGKILL after {@code grace}; idempotent. */
    void stopContainer(String containerId, Duration grace);

    /** Removes a container; idempotent. */
    void removeContainer(String containerId);

    /** Runs a command in a running container and waits for it (at most {@code timeout}). */
    ExecResult execSync(String containerId, List<String> command, Duration timeout);

    /**
     * Prepares an interactive command in a running container and returns the URL where the
     * runtime's streaming server runs it once a client connects with one of the kubelet's streaming
     * protocols (remotecommand over SPDY/3.1 or WebSocket). The URL is single-use and expires
     * after a short while if no one connects.
     */
    default URI exec(String containerId, List<String> command, StreamFlags flags) {
        throw new RuntimeError(version() + " does not stream exec sessions", null);
    }

    /** As {@link #exec}, for attaching to the container's main process. */
    default URI attach(String containerId, StreamFlags flags) {
        throw new RuntimeError(version() + " does not stream attach sessions", null);
    }

    /** As {@link #exec}, for forwarding connections to {@code ports} in the sandbox's network namespace. */
    default URI portForward(String sandboxId, List<Integer> ports) {
        throw new RuntimeError(version() + " does not forward ports", null);
    }

    /** CPU and memory of every container the runtime runs; empty when it measures nothing. */
    default List<ContainerUsage> containerStats() {
        return List.of();
    }

    /** The image's id (e.g. {@code sha256:…}) when the runtime has it, else null. */
    String imageId(String image);

    /** Pulls an image; returns its reference. Fails with a {@link RuntimeError} when it cannot. */
    String pullImage(String image);

    /** The size in bytes the runtime gives for an image it has, or -1 when it has none or does not tell. */
    default long imageSize(String image) {
        return -1;
    }

    /** Which standard streams a streaming session carries, and whether it runs in a terminal. */
    record StreamFlags(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    }

    /**
     * One container's usage as the runtime measured it at {@code timestamp}: its cumulative CPU
     * time and its memory working set.
     */
    record ContainerUsage(String containerId, String podUid, String podNamespace, String podName,
                          String containerName, Instant timestamp,
                          long cpuUsageCoreNanos, long memoryWorkingSetBytes) {
    }

    /** The result of {@link #execSync}. */
    record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
        /** What the command printed, standard output then standard error, as UTF-8 without surrounding blanks. */
        public String output() {
            return (new String(stdout, java.nio.charset.StandardCharsets.UTF_8)
                    + new String(stderr, java.nio.charset.StandardCharsets.UTF_8)).strip();
        }
    }

    /** A failed runtime call, with the runtime's own message. */
    final class RuntimeError extends RuntimeException {
        public RuntimeError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
