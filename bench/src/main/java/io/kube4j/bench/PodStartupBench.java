package io.kube4j.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kube4j.machinery.client.GatewayClients;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./kube4j bench pod-startup}: the node agent's pod start-up and its hollow nodes' footprint.
 * <ol>
 *   <li>{@code pods} (100) busybox pods sleeping, created at once on one real node (by
 *       {@code nodeSelector}, so the scheduler binds them): the time from just before each create
 *       to the watch event that shows it Running; p50 and p99.</li>
 *   <li>Hollow nodes: an agent JVM with {@code -Xmx2g} and the fake runtime hosting
 *       {@code hollow-nodes} (50) nodes with {@code hollow-pods} (30) pods each, all Running; its
 *       heap after a full GC, less the heap of the same JVM hosting one node with no pod, is the
 *       cost of those nodes; {@code hollow_nodes_per_2g} is how many such nodes fit in 2 GiB beside
 *       the JVM's own base, extrapolated linearly from that cost.</li>
 * </ol>
 * Arguments ({@code --name=value}): kubeconfig (required), node (the first Node not labelled
 * hollow), pods (0 skips the first part), hollow-nodes (0 skips the second part), hollow-pods, agent-jar and java (the hollow phase is skipped
 * without them), redis (host:port), keep (false).
 */
public final class PodStartupBench {

    private static final String HOLLOW_LABEL = "kube4j.io/hollow";

    private final Map<String, String> args;
    private final KubernetesClient client;

    private PodStartupBench(Map<String, String> args) {
        this.args = args;
        this.client = GatewayClients.fromKubeconfig(Path.of(args.get("kubeconfig")));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchArgs.parse(argv, "kubeconfig");
        new PodStartupBench(args).run();
        System.exit(0);
    }

    private void run() throws Exception {
        int pods = Integer.parseInt(args.getOrDefault("pods", "100"));
        String p50 = "n/a";
        String p99 = "n/a";
        if (pods > 0) {
            String node = args.containsKey("node") ? args.get("node") : realNode();
            long[] latencies = startPods(node, pods);
            p50 = Long.toString(percentile(latencies, 50));
            p99 = Long.toString(percentile(latencies, 99));
            System.out.printf("pod start-up on %s: %d pods, p50 %s ms, p99 %s ms, max %d ms%n", node, pods, p50, p99,
                    latencies[latencies.length - 1]);
        }
        String hollow = "n/a";
        int hollowNodes = Integer.parseInt(args.getOrDefault("hollow-nodes", "50"));
        if (hollowNodes <= 0) {
            System.out.println("hollow nodes: skipped (--hollow-nodes=0)");
        } else if (args.containsKey("agent-jar") && args.containsKey("java")) {
            long fit = hollowNodesPer2g(hollowNodes, Integer.parseInt(args.getOrDefault("hollow-pods", "30")));
            if (fit > 0) hollow = Long.toString(fit);
        } else {
            System.out.println("hollow nodes: skipped (no --agent-jar and --java)");
        }
        System.out.printf("bench pod-startup: p50_ms=%s p99_ms=%s hollow_nodes_per_2g=%s%n", p50, p99, hollow);
    }

    private String realNode() {
        return client.nodes().list().getItems().stream()
                .filter(n -> n.getMetadata().getLabels() == null || !"true".equals(n.getMetadata().getLabels().get(HOLLOW_LABEL)))
                .map(n -> n.getMetadata().getName()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no real (not hollow) node in the cluster"));
    }

    // ---- phase 1: start-up latency

    private long[] startPods(String node, int count) throws Exception {
        String ns = "bench-pods-" + Long.toString(System.currentTimeMillis(), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        awaitServiceAccount(ns);
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Long> running = new ConcurrentHashMap<>();
        CountDownLatch allRunning = new CountDownLatch(count);
        Watcher<Pod> watcher = new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                long now = System.nanoTime();
                if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                        && running.putIfAbsent(pod.getMetadata().getName(), now) == null) {
                    allRunning.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                System.err.println("the watch of " + ns + " closed: " + cause);
            }
        };
        try (var watch = client.pods().inNamespace(ns).watch(watcher)) {
            List<Thread> creators = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < count; i++) {
                String name = "sleeper-" + i;
                Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                        .withNewSpec().withNodeSelector(Map.of("kubernetes.io/hostname", node))
                        .withTerminationGracePeriodSeconds(0L)
                        .addNewContainer().withName("sleep").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                        .endSpec().build();
                creators.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        sent.put(name, System.nanoTime());
                        client.pods().inNamespace(ns).resource(pod).create();
                    } catch (Exception e) {
                        System.err.println("create " + name + " failed: " + e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : creators) t.join();
            if (!allRunning.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(allRunning.getCount() + " of " + count + " pods not Running after 10 minutes");
            }
        } finally {
            if (!Boolean.parseBoolean(args.getOrDefault("keep", "false"))) deleteNamespace(ns);
        }
        long[] latencies = sent.entrySet().stream().mapToLong(e -> (running.get(e.getKey()) - e.getValue()) / 1_000_000).sorted().toArray();
        return latencies;
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /**
     * Waits until the controllers gave a new namespace what its pods' token volume needs (the {@code default}
     * ServiceAccount, the {@code kube-root-ca.crt} ConfigMap), so that the timed start-ups do not include that.
     */
    private void awaitServiceAccount(String ns) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && (client.serviceAccounts().inNamespace(ns).withName("default").get() == null
                || client.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get() == null)) {
            Thread.sleep(100);
        }
    }

    private void deleteNamespace(String ns) throws InterruptedException {
        client.pods().inNamespace(ns).withGracePeriod(0).delete();
        client.namespaces().withName(ns).delete();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && !client.pods().inNamespace(ns).list().getItems().isEmpty()) Thread.sleep(1000);
    }

    // ---- phase 2: hollow nodes in 2 GiB

    private long hollowNodesPer2g(int nodes, int podsPerNode) throws Exception {
        Path dir = Files.createTempDirectory("kube4j-hollow-bench");
        long base;
        try (HollowAgent one = HollowAgent.start(args, dir.resolve("base"), "bench-base", 1, "10.201.0.0/24")) {
            awaitReadyNodes("bench-base", 1);
            base = one.heapUsedAfterGc();
            System.out.printf("hollow agent, 1 node and no pod: %d MiB of heap after GC%n", base >> 20);
        } finally {
            deleteNodes("bench-base");
        }
        String ns = "bench-hollow-" + Long.toString(System.currentTimeMillis(), 36);
        try (HollowAgent agent = HollowAgent.start(args, dir.resolve("many"), "bench-hollow", nodes, "10.202.0.0/24")) {
            long t0 = System.nanoTime();
            awaitReadyNodes("bench-hollow", nodes);
            System.out.printf("%d hollow nodes Ready in %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            int total = nodes * podsPerNode;
            Semaphore inFlight = new Semaphore(32);
            List<Thread> creators = new ArrayList<>();
            t0 = System.nanoTime();
            for (int n = 0; n < nodes; n++) {
                for (int p = 0; p < podsPerNode; p++) {
                    String nodeName = "bench-hollow-" + n;
                    Pod pod = new PodBuilder().withNewMetadata().withName("h" + n + "-" + p).withNamespace(ns).endMetadata()
                            .withNewSpec().withNodeName(nodeName).withTerminationGracePeriodSeconds(0L)
                            .addNewContainer().withName("app").withImage("busybox:1.35").endContainer()
                            .endSpec().build();
                    inFlight.acquire();
                    creators.add(Thread.ofVirtual().start(() -> {
                        try {
                            client.pods().inNamespace(ns).resource(pod).create();
                        } catch (RuntimeException e) {
                            System.err.println("create failed: " + e);
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
            for (Thread t : creators) t.join();
            await(() -> client.pods().inNamespace(ns).list().getItems().stream()
                    .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).count() >= total, 600);
            System.out.printf("%d pods Running on the hollow nodes in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
            long used = agent.heapUsedAfterGc();
            if (used <= base) {
                // Too few nodes to rise above what one full GC leaves behind: no figure rather than a wild one.
                System.out.printf("hollow agent, %d nodes x %d pods: %d MiB of heap after GC, not above the base of %d MiB; "
                        + "too few nodes to measure (--hollow-nodes)%n", nodes, podsPerNode, used >> 20, base >> 20);
                return -1;
            }
            long perNode = Math.max(1, (used - base) / Math.max(1, nodes - 1));
            long fit = ((2L << 30) - base) / perNode;
            System.out.printf("hollow agent, %d nodes x %d pods: %d MiB of heap after GC; %d KiB per node beyond the base "
                    + "of %d MiB; fits %d nodes in 2 GiB (extrapolated)%n", nodes, podsPerNode, used >> 20, perNode >> 10,
                    base >> 20, fit);
            return fit;
        } finally {
            if (!Boolean.parseBoolean(args.getOrDefault("keep", "false"))) {
                deleteNamespace(ns);
                deleteNodes("bench-hollow");
            }
        }
    }

    private void awaitReadyNodes(String prefix, int count) throws InterruptedException {
        await(() -> client.nodes().list().getItems().stream()
                .filter(n -> n.getMetadata().getName().startsWith(prefix) && ready(n)).count() >= count, 600);
    }

    private static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return false;
        return node.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void deleteNodes(String prefix) {
        client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).filter(n -> n.startsWith(prefix))
                .forEach(n -> client.nodes().withName(n).delete());
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not reached in " + seconds + " s");
            Thread.sleep(1000);
        }
    }

    /** A node-agent JVM of the fake runtime with {@code -Xmx2g}, hosting {@code nodes} hollow nodes. */
    private record HollowAgent(Process process, Path java) implements AutoCloseable {

        static HollowAgent start(Map<String, String> args, Path dir, String name, int nodes, String podCidr) throws IOException {
            Files.createDirectories(dir);
            Path java = Path.of(args.get("java"));
            String redis = args.getOrDefault("redis", "127.0.0.1:6379");
            List<String> command = List.of(java.toString(), "-Xmx2g", "-jar", args.get("agent-jar"),
                    "--server.port=" + freePort(), "--server.address=127.0.0.1", "--management.server.port=-1",
                    "--kube4j.node.runtime=fake", "--kube4j.node.hollow-count=" + nodes, "--kube4j.node.name=" + name,
                    "--kube4j.node.address=127.0.0.1",
                    "--kube4j.node.pod-cidr=" + podCidr, "--kube4j.node.kubeconfig=" + args.get("kubeconfig"),
                    "--kube4j.node.root-dir=" + dir, "--kube4j.node.sync-period=30s", "--kube4j.node.status-period=30s",
                    "--spring.data.redis.host=" + redis.substring(0, redis.lastIndexOf(':')),
                    "--spring.data.redis.port=" + redis.substring(redis.lastIndexOf(':') + 1),
                    "--spring.main.banner-mode=off");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("agent.log").toFile()).start();
            return new HollowAgent(process, java);
        }

        /** The heap in use after a full GC, as {@code jcmd GC.heap_info} reports it. */
        long heapUsedAfterGc() throws IOException, InterruptedException {
            Path jcmd = java.resolveSibling("jcmd");
            run(jcmd.toString(), Long.toString(process.pid()), "GC.run");
            String info = run(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info");
            Matcher m = Pattern.compile("garbage-first heap .*?used (\\d+)K").matcher(info);
            if (!m.find()) throw new IllegalStateException("no heap usage in: " + info);
            return Long.parseLong(m.group(1)) * 1024;
        }

        private static String run(String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
