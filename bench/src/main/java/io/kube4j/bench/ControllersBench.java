package io.kube4j.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kube4j.machinery.client.GatewayClients;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * {@code ./kube4j bench controllers}: the ReplicaSet and Deployment controllers of the running
 * controller service at scale. On {@code nodes} Node objects, creates a {@code replicas}-replica
 * Deployment and times until every pod is bound to a node ({@code --until=bound}, the default: the
 * launcher runs the scheduler) or only exists ({@code --until=exist}, for a cluster without one); then
 * marks every pod Ready (untimed) and times a rolling update of all of them to a new image, during
 * which the bench marks each new pod Ready through {@code pods/{name}/status} as it appears — the
 * node agent's part. The nodes are hollow: labelled {@code kube4j.io/hollow=true} (the pods' node
 * selector, so no pod lands on a real node), kept Ready by heartbeats the bench writes into Redis
 * for them ({@link HollowHeartbeats}) as their agents would.
 *
 * <p>Arguments ({@code --name=value}): kubeconfig (required), redis (host:port of the cluster's
 * Redis; the launcher passes it), replicas (1000), nodes (100), until (bound|exist), warm-up (the pods of an
 * untimed Deployment first, as many as replicas; 0: none), keep (false:
 * delete what it made).
 */
public final class ControllersBench {

    private final Map<String, String> args;
    private final KubernetesClient client;
    private final ExecutorService writers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
    private final Semaphore inFlight = new Semaphore(64);
    /** As often as a node agent beats, well inside the node lifecycle controller's grace period. */
    private static final int HEARTBEAT_SECONDS = 5;
    /** The label of the bench's nodes, and its pods' node selector: they go nowhere a real agent would run them. */
    private static final String HOLLOW_LABEL = "kube4j.io/hollow";

    private ControllersBench(Map<String, String> args) {
        this.args = args;
        this.client = GatewayClients.fromKubeconfig(Path.of(args.get("kubeconfig")));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchArgs.parse(argv, "kubeconfig");
        new ControllersBench(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int replicas = Integer.parseInt(args.getOrDefault("replicas", "1000"));
        int nodes = Integer.parseInt(args.getOrDefault("nodes", "100"));
        boolean untilBound = "bound".equals(args.getOrDefault("until", "bound"));
        String ns = "bench-controllers-" + Long.toString(System.currentTimeMillis(), 36);

        createNodes(nodes);
        try (HollowHeartbeats beats = heartbeats(nodes)) {
            measure(ns, replicas, nodes, untilBound);
        }
    }

    /**
     * The bench's nodes have no agent: without heartbeats the node lifecycle controller takes them
     * for silent after its grace period (40 s) and marks them and their pods not ready mid-run.
     */
    private HollowHeartbeats heartbeats(int nodes) throws java.io.IOException {
        String redis = args.get("redis");
        if (redis == null) {
            System.out.println("no --redis: the bench's nodes get no heartbeats and turn NotReady after the node grace period");
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < nodes; i++) names.add(nodeName(i));
        return new HollowHeartbeats(redis, names).start(HEARTBEAT_SECONDS);
    }

    private void measure(String ns, int replicas, int nodes, boolean untilBound) throws Exception {
        int warmUp = Integer.parseInt(args.getOrDefault("warm-up", Integer.toString(replicas)));
        if (warmUp > 0) warmUp(ns + "-warm", warmUp, untilBound);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        PodTracker tracker = new PodTracker();
        try (var watch = client.pods().inNamespace(ns).watch(tracker)) {
            long start = System.nanoTime();
            client.apps().deployments().inNamespace(ns).resource(deployment(ns, replicas, "bench:1")).create();
            tracker.await(() -> (untilBound ? tracker.bound("bench:1") : tracker.existing("bench:1")) >= replicas, 600);
            double deploySeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("deploy: %d pods %s in %.2f s%n", replicas, untilBound ? "bound" : "exist (no scheduler: not bound)", deploySeconds);

            tracker.markReady("bench:1");
            awaitRolledOut(ns, replicas, 600);
            System.out.printf("all %d pods Ready; deployment available%n", replicas);

            tracker.readyImage = "bench:2";
            start = System.nanoTime();
            client.apps().deployments().inNamespace(ns).withName("bench").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("bench:2");
                return d;
            });
            awaitRolledOut(ns, replicas, 900);
            double rolloutSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("rollout: %d pods replaced in %.2f s%n", replicas, rolloutSeconds);
            double direct = directCreates(ns + "-direct", replicas, 64);
            System.out.printf("baseline: the bench itself creates the same %d pods through the gateway, 64 at a time, in %.2f s "
                    + "(the ceiling the ReplicaSet controller's creates approach)%n", replicas, direct);
            System.out.printf("bench controllers: deploy_1000_seconds=%.2f rollout_1000_seconds=%.2f%n", deploySeconds, rolloutSeconds);
        } finally {
            if (!Boolean.parseBoolean(args.getOrDefault("keep", "false"))) cleanUp(ns, nodes);
        }
    }

    /**
     * An untimed Deployment of {@code replicas} first, by default as large as the timed one, so that
     * the timed run measures the services' steady state and not the JIT compilation and connection
     * set-up of their pod paths (as ApiBench warms its paths). On a cluster just started, a 200-pod
     * warm-up left the timed deploy at about three times the time of the runs after it.
     */
    private void warmUp(String ns, int replicas, boolean untilBound) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        PodTracker tracker = new PodTracker();
        try (var watch = client.pods().inNamespace(ns).watch(tracker)) {
            client.apps().deployments().inNamespace(ns).resource(deployment(ns, replicas, "bench:1")).create();
            long start = System.nanoTime();
            tracker.await(() -> (untilBound ? tracker.bound("bench:1") : tracker.existing("bench:1")) >= replicas, 600);
            System.out.printf("warm-up: %d pods %s in %.2f s (untimed)%n", replicas, untilBound ? "bound" : "exist",
                    (System.nanoTime() - start) / 1e9);
        } finally {
            cleanUpNamespace(ns);
        }
    }

    /** Seconds the bench takes to create {@code count} pods of the same template itself, {@code concurrency} at a time. */
    private double directCreates(String ns, int count, int concurrency) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        var template = deployment(ns, 1, "bench:1").getSpec().getTemplate();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory());
        try {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                creates.add(pool.submit(() -> client.pods().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                        .withNewMetadata().withGenerateName("direct-").withLabels(template.getMetadata().getLabels()).endMetadata()
                        .withSpec(template.getSpec()).build()).create()));
            }
            for (var f : creates) f.get();
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdown();
            cleanUpNamespace(ns);
        }
    }

    private void createNodes(int count) throws Exception {
        List<java.util.concurrent.Future<?>> creates = new ArrayList<>();
        ExecutorService few = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory());
        for (int i = 0; i < count; i++) {
            String name = nodeName(i);
            creates.add(few.submit(() -> {
                if (client.nodes().withName(name).get() != null) return null;
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .addToLabels("kubernetes.io/hostname", name).addToLabels(HOLLOW_LABEL, "true").endMetadata()
                        .withNewStatus()
                        .addToCapacity("cpu", new Quantity("32")).addToCapacity("memory", new Quantity("128Gi")).addToCapacity("pods", new Quantity("110"))
                        .addToAllocatable("cpu", new Quantity("32")).addToAllocatable("memory", new Quantity("128Gi")).addToAllocatable("pods", new Quantity("110"))
                        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                        .endStatus().build()).create();
                return null;
            }));
        }
        for (var f : creates) f.get();
        few.shutdown();
    }

    private static String nodeName(int i) {
        return "bench-node-" + i;
    }

    private static Deployment deployment(String ns, int replicas, String image) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName("bench").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "bench").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "bench").endMetadata()
                .withNewSpec().addToNodeSelector(HOLLOW_LABEL, "true")
                .addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private void awaitRolledOut(String ns, int replicas, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Deployment d = client.apps().deployments().inNamespace(ns).withName("bench").get();
            var s = d.getStatus();
            if (s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                    && eq(s.getUpdatedReplicas(), replicas) && eq(s.getReplicas(), replicas) && eq(s.getAvailableReplicas(), replicas)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the deployment did not roll out within " + timeoutSeconds + " s");
    }

    private static boolean eq(Integer value, int expected) {
        return value != null && value == expected;
    }

    private void cleanUp(String ns, int nodes) {
        cleanUpNamespace(ns);
        try {
            for (int i = 0; i < nodes; i++) client.nodes().withName(nodeName(i)).delete();
        } catch (RuntimeException e) {
            System.err.println("deleting the bench's nodes failed: " + e.getMessage());
        }
    }

    private void cleanUpNamespace(String ns) {
        try {
            client.apps().deployments().inNamespace(ns).delete();
            client.apps().replicaSets().inNamespace(ns).delete();
            client.pods().inNamespace(ns).withGracePeriod(0).delete();
            client.namespaces().withName(ns).delete();
        } catch (RuntimeException e) {
            System.err.println("cleaning up " + ns + " failed: " + e.getMessage());
        }
    }

    /** The pods of the namespace as its watch reports them; marks the pods of {@link #readyImage} Ready as they appear. */
    private final class PodTracker implements Watcher<Pod> {
        final Map<String, Pod> pods = new ConcurrentHashMap<>();
        final Set<String> markedReady = ConcurrentHashMap.newKeySet();
        volatile String readyImage;

        @Override
        public void eventReceived(Action action, Pod pod) {
            try {
                track(action, pod);
            } catch (RuntimeException e) {
                System.err.println("tracking " + action + " of " + pod.getMetadata().getName() + " failed: " + e);
            }
        }

        private void track(Action action, Pod pod) {
            if (action == Action.BOOKMARK || action == Action.ERROR) return;
            String name = pod.getMetadata().getName();
            if (action == Action.DELETED) {
                pods.remove(name);
                return;
            }
            pods.put(name, pod);
            if (readyImage != null && image(pod).equals(readyImage) && pod.getMetadata().getDeletionTimestamp() == null
                    && !ready(pod) && markedReady.add(name)) {
                writers.execute(() -> markPodReady(pod));
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            System.err.println("the pod watch closed: " + cause);
        }

        long existing(String image) {
            return pods.values().stream().filter(p -> image(p).equals(image)).count();
        }

        long bound(String image) {
            return pods.values().stream().filter(p -> image(p).equals(image) && p.getSpec().getNodeName() != null).count();
        }

        void markReady(String image) throws InterruptedException {
            readyImage = image;
            for (Pod pod : List.copyOf(pods.values())) {
                if (image(pod).equals(image) && !ready(pod) && markedReady.add(pod.getMetadata().getName())) {
                    writers.execute(() -> markPodReady(pod));
                }
            }
        }

        void await(java.util.function.BooleanSupplier condition, int timeoutSeconds) throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + timeoutSeconds * 1_000_000_000L;
            long nextReport = start + 2_000_000_000L;
            while (!condition.getAsBoolean()) {
                long now = System.nanoTime();
                if (now > deadline) throw new IllegalStateException("not reached within " + timeoutSeconds + " s");
                if (now > nextReport) {
                    System.out.printf("  %.1f s: %d pods%n", (now - start) / 1e9, pods.size());
                    nextReport += 2_000_000_000L;
                }
                Thread.sleep(20);
            }
        }
    }

    private void markPodReady(Pod pod) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
        }
        try {
            inFlight.acquire();
            for (int attempt = 0; attempt < 5; attempt++) {
                Pod current = attempt == 0 ? pod : client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
                if (current == null) return;
                current.getStatus().setPhase("Running");
                current.getStatus().setStartTime(now);
                current.getStatus().setConditions(conditions);
                try {
                    client.resource(current).updateStatus();
                    return;
                } catch (RuntimeException conflict) {
                    // read it again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.release();
        }
    }

    private static String image(Pod pod) {
        return pod.getSpec().getContainers().getFirst().getImage();
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
