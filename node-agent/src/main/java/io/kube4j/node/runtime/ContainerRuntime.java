package io.kube4j.node.runtime;

import io.kube4j.node.cri.api.ContainerConfig;
import io.kube4j.node.cri.api.PodSandboxConfig;

import java.time.Duration;
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

    /** The image's id (e.g. {@code sha256:…}) when the runtime has it, else null. */
    String imageId(String image);

    /** Pulls an image; returns its reference. Fails with a {@link RuntimeError} when it cannot. */
    String pullImage(String image);

    /** The result of {@link #execSync}. */
    record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    }

    /** A failed runtime call, with the runtime's own message. */
    final class RuntimeError extends RuntimeException {
        public RuntimeError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
