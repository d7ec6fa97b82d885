package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/**
 * Plays the node agent for batch workloads: gives each pod of a namespace the phase
 * {@code outcome} names for it — {@code Running} (and Ready), {@code Succeeded} or {@code Failed},
 * null to leave it alone — through {@code pods/{name}/status}, with the container's termination
 * (exit code, finishedAt) a kubelet would report. A background thread; a conflict just means the
 * next round tries again.
 */
final class PodOutcomes implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final Function<Pod, String> outcome;
    private final Thread thread;
    private volatile boolean running = true;

    PodOutcomes(KubernetesClient client, String namespace, Function<Pod, String> outcome) {
        this.client = client;
        this.namespace = namespace;
        this.outcome = outcome;
        this.thread = Thread.ofPlatform().daemon().name("pod-outcomes-" + namespace).start(this::run);
    }

    private void run() {
        while (running) {
            try {
                for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                    if (pod.getMetadata().getDeletionTimestamp() != null) continue;
                    String phase = outcome.apply(pod);
                    String current = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    if (phase == null || phase.equals(current) || "Succeeded".equals(current) || "Failed".equals(current)) continue;
                    setPhase(pod, phase);
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) return;
            }
        }
    }

    private void setPhase(Pod pod, String phase) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        boolean ready = phase.equals("Running");
        var container = new ContainerStatusBuilder().withName(pod.getSpec().getContainers().getFirst().getName())
                .withImage(pod.getSpec().getContainers().getFirst().getImage()).withReady(ready).withRestartCount(0);
        if (ready) container.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
        else container.withNewState().withNewTerminated().withExitCode(phase.equals("Succeeded") ? 0 : 1)
                .withReason(phase.equals("Succeeded") ? "Completed" : "Error").withStartedAt(now).withFinishedAt(now).endTerminated().endState();
        pod.getStatus().setPhase(phase);
        pod.getStatus().setStartTime(now);
        pod.getStatus().setContainerStatuses(List.of(container.build()));
        pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withReason(ready ? null : "PodCompleted").withLastTransitionTime(now).build()));
        try {
            client.resource(pod).updateStatus();
        } catch (RuntimeException conflictOrGone) {
            // the next round reads the pod again
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
