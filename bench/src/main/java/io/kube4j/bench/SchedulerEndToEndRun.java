package io.kube4j.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kube4j.machinery.client.GatewayClients;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The scheduler end to end, part (b) of {@code ./kube4j bench scheduler}: Node objects created through the
 * gateway (hollow: no agent behind them), then pods created as fast as the gateway takes them; the rate is pods
 * per second from the first create to the last pod seen bound (through a watch, as a client sees it). Everything
 * it made is deleted afterwards, the pods without a grace period: no kubelet runs on the benchmark's nodes to finish a
 * graceful deletion, and pods left terminating would keep their namespace, and the namespace controller's retries,
 * alive.
 *
 * <p>Before the timed part, as the in-process part warms its framework, the run lets the cluster absorb the nodes
 * (until no node of the run has changed for {@value #QUIET_SECONDS} s, at most {@code settle}: the controllers'
 * podCIDR allocation and the scheduler's node cache otherwise compete with the pods) and creates warm-up pods that
 * must be bound first, so that the rate is that of a running cluster rather than of its first-use code paths.
 *
 * <p>The pods select the benchmark's nodes and tolerate every taint, so the node-lifecycle controller's taints
 * for nodes that never send heartbeats do not change the result.
 */
public final class SchedulerEndToEndRun {

    /**
     * What one run measured.
     *
     * @param createSeconds from the first create to the last create's answer: the rate the benchmark itself
     *                      feeds pods at, the ceiling of the end-to-end rate
     * @param seconds       from the first create to the last pod seen bound
     */
    public record Result(int nodes, int pods, int bound, double createSeconds, double seconds) {
        public double podsPerSecond() {
            return bound / seconds;
        }

        public double createsPerSecond() {
            return pods / createSeconds;
        }
    }

    static final int QUIET_SECONDS = 3;

    private final KubernetesClient client;
    private final int concurrency;
    private final int warmupPods;
    private final Duration settle;
    private final String label;

    /** A run without warm-up or settling: the cluster's first-use figure. */
    public SchedulerEndToEndRun(KubernetesClient client, int concurrency) {
        this(client, concurrency, 0, Duration.ZERO);
    }

    /**
     * @param warmupPods pods created and bound before the timed part (counted in neither figure)
     * @param settle     the longest wait for the nodes to stop changing before the warm-up; zero skips it
     */
    public SchedulerEndToEndRun(KubernetesClient client, int concurrency, int warmupPods, Duration settle) {
        this.client = client;
        this.concurrency = concurrency;
        this.warmupPods = warmupPods;
        this.settle = settle;
        this.label = "sbench-" + Long.toHexString(System.currentTimeMillis());
    }

    public Result run(int nodeCount, int podCount, Duration timeout) throws Exception {
        String namespace = label;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            all(pool, nodeCount, i -> () -> client.nodes().resource(node(i)).create());
            settleNodes();
            Set<String> bound = ConcurrentHashMap.newKeySet();
            CountDownLatch warm = new CountDownLatch(warmupPods);
            CountDownLatch allBound = new CountDownLatch(1);
            try (BoundPodWatch ignored = new BoundPodWatch(client, namespace, name -> {
                if (name.startsWith("warm-")) {
                    if (bound.add(name)) warm.countDown();
                    return;
                }
                bound.add(name);
                if (bound.size() - warmupPods >= podCount) allBound.countDown();
            })) {
                if (warmupPods > 0) {
                    long warmStart = System.nanoTime();
                    all(pool, warmupPods, i -> () -> createPod(namespace, "warm-" + i, i));
                    boolean warmed = warm.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    System.out.printf("  e2e warm-up: %d pods created and %s in %.2f s%n", warmupPods,
                            warmed ? "bound" : "not all bound", (System.nanoTime() - warmStart) / 1e9);
                }
                long start = System.nanoTime();
                all(pool, podCount, i -> () -> createPod(namespace, "pod-" + i, i));
                double createSeconds = (System.nanoTime() - start) / 1e9;
                boolean done = allBound.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
                double seconds = (System.nanoTime() - start) / 1e9;
                int timedBound = bound.size() - warmupPods;
                if (!done) System.out.printf("  only %d of %d pods bound within %s%n", timedBound, podCount, timeout);
                return new Result(nodeCount, podCount, timedBound, createSeconds, seconds);
            }
        } finally {
            cleanUp(namespace, podCount);
        }
    }

    /** Deletes what the run made; a failure here is reported, not thrown, so the measurement is kept. */
    private void cleanUp(String namespace, int podCount) {
        System.out.printf("  e2e cleaning up: deleting the run's pods, namespace and nodes%n");
        // One request per pod: a single deletecollection of thousands can outlast the client's request timeout.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            all(pool, warmupPods + podCount, i -> () -> client.pods().inNamespace(namespace)
                    .withName(i < warmupPods ? "warm-" + i : "pod-" + (i - warmupPods)).withGracePeriod(0).delete());
        } catch (Exception e) {
            System.out.printf("  could not delete every pod of %s without a grace period: %s%n", namespace, e.getMessage());
        }
        try {
            client.namespaces().withName(namespace).delete();
            client.nodes().withLabel("kube4j.io/bench", label).delete();
        } catch (RuntimeException e) {
            System.out.printf("  could not delete the benchmark's namespace %s and nodes labelled kube4j.io/bench=%s: %s%n",
                    namespace, label, e.getMessage());
        }
    }

    /**
     * Waits until no node of this run has changed for {@value #QUIET_SECONDS} s, or {@link #settle} passed; prints
     * how long it took and how many changes it saw.
     */
    private void settleNodes() throws InterruptedException {
        if (settle.isZero()) return;
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(start);
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        try (Watch ignored = client.nodes().withLabel("kube4j.io/bench", label).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node node) {
                changes.incrementAndGet();
                last.set(System.nanoTime());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            long quiet = TimeUnit.SECONDS.toNanos(QUIET_SECONDS);
            while (System.nanoTime() - last.get() < quiet && System.nanoTime() - start < settle.toNanos()) {
                Thread.sleep(200);
            }
        }
        System.out.printf("  e2e nodes settled in %.1f s (%d node changes seen)%n", (System.nanoTime() - start) / 1e9,
                changes.get());
    }

    /** Runs {@code count} tasks, {@code concurrency} at a time; rethrows the first failure. */
    private void all(ExecutorService pool, int count, IntFunction<Runnable> task) throws Exception {
        Semaphore slots = new Semaphore(concurrency);
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.acquire();
            Runnable r = task.apply(i);
            futures.add(pool.submit(() -> {
                try {
                    r.run();
                } finally {
                    slots.release();
                }
            }));
        }
        for (Future<?> f : futures) f.get();
    }

    private Node node(int i) {
        Map<String, Quantity> alloc = Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"),
                "pods", new Quantity("110"));
        String name = String.format("%s-node-%04d", label, i);
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("kube4j.io/bench", label, "kubernetes.io/hostname", name,
                        "topology.kubernetes.io/zone", "zone-" + (i % 10)))
                .endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    /**
     * Creates the run's pod {@code name} through the client's HTTP layer (its connection, TLS and credentials)
     * from ready JSON, as client-go's typed clients send bytes, rather than through fabric8's object model,
     * whose building, serialising and reading back of each pod would otherwise cost the machine the gateway
     * and scheduler share more than the gateway's own create does.
     */
    private void createPod(String namespace, String name, int i) {
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(GatewayClients.url(client, "/api/v1/namespaces/" + namespace + "/pods"))
                .post("application/json", podJson(namespace, name, i).getBytes(StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating pod " + namespace + "/" + name + " failed: " + e, e);
        }
        if (response.code() != 201) {
            throw new IllegalStateException("creating pod " + namespace + "/" + name + " answered " + response.code()
                    + ": " + response.body());
        }
    }

    /**
     * The run's pod {@code name}: one container requesting 100m CPU and 128Mi, one of 100 {@code app} labels, the
     * run's node selector (its own Node objects only) and a toleration of every taint.
     */
    String podJson(String namespace, String name, int i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"labels\":{\"app\":\"app-" + (i % 100) + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}],"
                + "\"nodeSelector\":{\"kube4j.io/bench\":\"" + label + "\"},\"tolerations\":[{\"operator\":\"Exists\"}]}}";
    }
}
