package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Plays the node agent that does not exist yet: marks the pods of a namespace Running and Ready
 * through {@code pods/{name}/status}, the real gateway API a kubelet uses, as they appear —
 * those whose pod {@code becomesReady} accepts (a test makes an image that "never starts" by
 * refusing it). A background thread; a conflict just means the next round tries again.
 */
final class PodReadiness implements AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private volatile Predicate<Pod> becomesReady;
    private final ExecutorService writers = Executors.newFixedThreadPool(32, Thread.ofVirtual().factory());
    private final Thread thread;
    private volatile boolean running = true;

    PodReadiness(KubernetesClient client, String namespace, Predicate<Pod> becomesReady) {
        this.client = client;
        this.namespace = namespace;
        this.becomesReady = becomesReady;
        this.thread = Thread.ofPlatform().daemon().name("pod-readiness-" + namespace).start(this::run);
    }

    void becomesReady(Predicate<Pod> predicate) {
        this.becomesReady = predicate;
    }

    static boolean image(Pod pod, String image) {
        return pod.getSpec().getContainers().getFirst().getImage().equals(image);
    }

    private void run() {
        while (running) {
            try {
                List<Future<?>> writes = new ArrayList<>();
                for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                    if (pod.getMetadata().getDeletionTimestamp() != null || ready(pod) || !becomesReady.test(pod)) continue;
                    writes.add(writers.submit(() -> markReady(pod)));
                }
                for (Future<?> f : writes) f.get();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) return;
            }
        }
    }

    static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void markReady(Pod pod) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
        }
        pod.getStatus().setPhase("Running");
        pod.getStatus().setConditions(conditions);
        pod.getStatus().setStartTime(now);
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
        writers.shutdownNow();
    }
}
