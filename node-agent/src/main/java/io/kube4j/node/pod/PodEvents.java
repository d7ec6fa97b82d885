package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.machinery.events.EventRecorder;

import java.time.Duration;

/**
 * The events the node agent records about its pods, with the reasons and messages the kubelet
 * gives them, so that {@code kubectl describe pod} and {@code kubectl events} tell the same story
 * as on Kubernetes: an image present, pulled or failing to pull; a container created, started,
 * stopped, unhealthy or in back-off. Container events name the container as the event's field
 * path ({@code spec.containers{name}} or {@code spec.initContainers{name}}).
 *
 * <p>Thread-safe when its recorder is; recording never fails the caller.
 */
public final class PodEvents {

    private final EventRecorder recorder;

    public PodEvents(EventRecorder recorder) {
        this.recorder = recorder;
    }

    /** Records nothing: hollow nodes, whose containers run nothing to report on. */
    public static final PodEvents NONE = new PodEvents(EventRecorder.NONE);

    public void imagePresent(Pod pod, Container c) {
        container(pod, c, EventRecorder.NORMAL, "Pulled", "Container image \"" + c.getImage() + "\" already present on machine");
    }

    public void pulling(Pod pod, Container c) {
        container(pod, c, EventRecorder.NORMAL, "Pulling", "Pulling image \"" + c.getImage() + "\"");
    }

    /** @param bytes the image's size, or a negative number when the runtime did not give it */
    public void pulled(Pod pod, Container c, Duration took, long bytes) {
        String d = goDuration(took);
        container(pod, c, EventRecorder.NORMAL, "Pulled", "Successfully pulled image \"" + c.getImage() + "\" in " + d
                + " (" + d + " including waiting)" + (bytes >= 0 ? ". Image size: " + bytes + " bytes." : ""));
    }

    public void pullFailed(Pod pod, Container c, String message) {
        container(pod, c, EventRecorder.WARNING, "Failed", message);
        container(pod, c, EventRecorder.WARNING, "Failed", "Error: ErrImagePull");
    }

    public void pullBackOff(Pod pod, Container c) {
        container(pod, c, EventRecorder.NORMAL, "BackOff", "Back-off pulling image \"" + c.getImage() + "\"");
        container(pod, c, EventRecorder.WARNING, "Failed", "Error: ImagePullBackOff");
    }

    public void neverPull(Pod pod, Container c, String message) {
        container(pod, c, EventRecorder.WARNING, "ErrImageNeverPull", message);
        container(pod, c, EventRecorder.WARNING, "Failed", "Error: ErrImageNeverPull");
    }

    /** A container that could not be created: {@code message} is its waiting message (config or runtime error). */
    public void createFailed(Pod pod, Container c, String message) {
        container(pod, c, EventRecorder.WARNING, "Failed", "Error: " + message);
    }

    public void created(Pod pod, Container c) {
        container(pod, c, EventRecorder.NORMAL, "Created", "Created container: " + c.getName());
    }

    public void started(Pod pod, Container c) {
        container(pod, c, EventRecorder.NORMAL, "Started", "Started container " + c.getName());
    }

    public void postStartFailed(Pod pod, Container c, String message) {
        container(pod, c, EventRecorder.WARNING, "FailedPostStartHook", message);
        container(pod, c, EventRecorder.NORMAL, "Killing", "FailedPostStartHook");
    }

    public void preStopFailed(Pod pod, Container c, String message) {
        container(pod, c, EventRecorder.WARNING, "FailedPreStopHook", message);
    }

    /** A container stopped: {@code message} says why, e.g. {@code Stopping container web} for a deletion. */
    public void killing(Pod pod, Container c, String message) {
        container(pod, c, EventRecorder.NORMAL, "Killing", message);
    }

    /** A container held back after failing: the CrashLoopBackOff story. */
    public void crashBackOff(Pod pod, Container c) {
        var m = pod.getMetadata();
        container(pod, c, EventRecorder.WARNING, "BackOff", "Back-off restarting failed container " + c.getName()
                + " in pod " + m.getName() + "_" + m.getNamespace() + "(" + m.getUid() + ")");
    }

    /** A probe that failed; {@code kind} is Liveness, Readiness or Startup, {@code output} what the probe gave. */
    public void unhealthy(Pod pod, Container c, String kind, String output) {
        container(pod, c, EventRecorder.WARNING, "Unhealthy", kind + " probe failed: " + output);
    }

    /** A volume that could not be set up; the pod waits in ContainerCreating until it can be. */
    public void failedMount(Pod pod, String volume, String message) {
        recorder.event(pod, EventRecorder.WARNING, "FailedMount",
                "MountVolume.SetUp failed for volume \"" + volume + "\" : " + message);
    }

    public void sandboxChanged(Pod pod) {
        recorder.event(pod, EventRecorder.NORMAL, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
    }

    public void sandboxFailed(Pod pod, String message) {
        recorder.event(pod, EventRecorder.WARNING, "FailedCreatePodSandBox", "Failed to create pod sandbox: " + message);
    }

    public void evicted(Pod pod, String message) {
        recorder.event(pod, EventRecorder.WARNING, "Evicted", message);
    }

    private void container(Pod pod, Container c, String type, String reason, String message) {
        recorder.event(pod, fieldPath(pod, c.getName()), type, reason, message);
    }

    /** {@code spec.initContainers{name}}, {@code spec.ephemeralContainers{name}} or {@code spec.containers{name}}: the list it is in. */
    static String fieldPath(Pod pod, String container) {
        boolean init = pod.getSpec().getInitContainers() != null
                && pod.getSpec().getInitContainers().stream().anyMatch(c -> container.equals(c.getName()));
        String list = init ? "initContainers" : PodConfigs.ephemeral(pod, container).isPresent() ? "ephemeralContainers" : "containers";
        return "spec." + list + "{" + container + "}";
    }

    /** A duration as Go prints a time.Duration cut to milliseconds: {@code 512ms}, {@code 1.5s}, {@code 1m2.003s}. */
    static String goDuration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms == 0) return "0s";
        if (ms < 1000) return ms + "ms";
        long minutes = ms / 60_000;
        long rest = ms % 60_000;
        String seconds = rest % 1000 == 0 ? String.valueOf(rest / 1000)
                : String.format("%d.%03d", rest / 1000, rest % 1000).replaceAll("0+$", "");
        return (minutes > 0 ? minutes + "m" : "") + seconds + "s";
    }
}
