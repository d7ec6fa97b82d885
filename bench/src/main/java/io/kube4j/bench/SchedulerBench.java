package io.kube4j.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.kube4j.scheduler.algorithm.ScheduleResult;
import io.kube4j.scheduler.algorithm.SchedulingAlgorithm;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.config.ProfileFactory;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.PluginRegistry;
import io.kube4j.scheduler.queue.SchedulingQueue;
import io.kube4j.scheduler.scheduling.Scheduler;
import io.kube4j.scheduler.scheduling.SchedulingEvents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code ./kube4j bench scheduler}: (a) the scheduling framework alone, in process: the default profile schedules
 * 10,000 pods (80% plain, 20% with pod anti-affinity, pod affinity or topology spread constraints) onto 1,000
 * nodes, then onto 5,000 nodes, through the real queue, cache (assume) and algorithm, binding with a binder that
 * only records. (b) end to end through the gateway, the relay and Kafka with the cluster's scheduler
 * ({@link SchedulerEndToEndRun}): 1,000 Node objects, 3,000 pods, from first create to last bound.
 *
 * <p>Arguments ({@code --name=value}): nodes (1000), big-nodes (5000), pods (10000), parallelism (the available
 * processors), warmup-pods (3000), rounds (3: the best round is reported, each printed); kubeconfig (the
 * cluster for part b; without it part b prints n/a), e2e (false skips part b), e2e-nodes (1000), e2e-pods
 * (3000), e2e-concurrency (64), e2e-timeout-s (300), e2e-warmup-pods (as many as e2e-pods: created and bound before the timed
 * part; 0 measures the cluster's first pods), e2e-settle-s (30: the longest wait for the nodes to stop changing
 * before the warm-up; 0 skips it).
 */
public final class SchedulerBench {

    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final String HOSTNAME = "kubernetes.io/hostname";

    private final Map<String, String> args;

    private SchedulerBench(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchArgs.parse(argv);
        new SchedulerBench(args).run();
        System.exit(0);
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int nodes = intArg("nodes", 1000);
        int bigNodes = intArg("big-nodes", 5000);
        int pods = intArg("pods", 10000);
        int parallelism = intArg("parallelism", Runtime.getRuntime().availableProcessors());
        int rounds = intArg("rounds", 3);
        System.out.printf("scheduler framework: default profile, parallelism %d, %d pods (80%% plain, 20%% affinity/spread)%n",
                parallelism, pods);
        try (Parallelizer parallel = new Parallelizer(parallelism)) {
            measure(nodes, intArg("warmup-pods", 3000), parallel, "warm-up");
            double best = 0;
            for (int r = 1; r <= rounds; r++) best = Math.max(best, measure(nodes, pods, parallel, "round " + r));
            double bestBig = 0;
            for (int r = 1; r <= rounds; r++) bestBig = Math.max(bestBig, measure(bigNodes, pods, parallel, "round " + r));
            String e2e = endToEnd();
            System.out.printf("bench scheduler: framework_pods_per_s=%.0f framework_5k_nodes_pods_per_s=%.0f e2e_pods_per_s=%s%n",
                    best, bestBig, e2e);
        }
    }

    /**
     * Part (b) against the running cluster's scheduler, when a kubeconfig is given ({@code ./kube4j bench} gives
     * one); {@code n/a} otherwise or when it fails, with the reason printed.
     */
    private String endToEnd() {
        String kubeconfig = args.get("kubeconfig");
        if (kubeconfig == null || "false".equals(args.get("e2e"))) {
            System.out.println("e2e: no --kubeconfig (or --e2e=false): e2e_pods_per_s=n/a");
            return "n/a";
        }
        try (var client = io.kube4j.machinery.client.GatewayClients.fromKubeconfig(java.nio.file.Path.of(kubeconfig))) {
            int nodes = intArg("e2e-nodes", 1000);
            int pods = intArg("e2e-pods", 3000);
            var result = new SchedulerEndToEndRun(client, intArg("e2e-concurrency", 64), intArg("e2e-warmup-pods", pods),
                    Duration.ofSeconds(intArg("e2e-settle-s", 30)))
                    .run(nodes, pods, Duration.ofSeconds(intArg("e2e-timeout-s", 300)));
            System.out.printf("  e2e      %5d nodes: %d pods created in %.2f s (%.0f creates/s), %d bound in %.2f s = %.0f pods/s%n",
                    result.nodes(), result.pods(), result.createSeconds(), result.createsPerSecond(), result.bound(),
                    result.seconds(), result.podsPerSecond());
            return result.bound() == pods ? String.format("%.0f", result.podsPerSecond()) : "n/a";
        } catch (Exception e) {
            System.out.println("e2e failed (" + e + "): e2e_pods_per_s=n/a");
            return "n/a";
        }
    }

    /** Schedules {@code podCount} pods onto a fresh cluster of {@code nodeCount} nodes; pods per second. */
    private double measure(int nodeCount, int podCount, Parallelizer parallel, String label) throws InterruptedException {
        SchedulerCache cache = new SchedulerCache();
        for (int i = 0; i < nodeCount; i++) cache.addOrUpdateNode(node(i, nodeCount));
        Map<String, Set<ClusterEvent>> events = new HashMap<>();
        PluginRegistry registry = new PluginRegistry();
        for (String name : PluginRegistry.DEFAULT_FILTERS) events.put(name, registry.create(name, null).eventsToRegister());
        BindPlugin binder = new BindPlugin() {
            @Override
            public String name() {
                return "RecordingBinder";
            }

            @Override
            public Status bind(CycleState state, PodInfo pod, String nodeName) {
                return Status.SUCCESS;
            }
        };
        registry.register(binder.name(), a -> binder);
        Map<String, Framework> profiles = new ProfileFactory(registry, List.of(binder.name())).build(SchedulerConfiguration.defaults());
        SchedulingQueue queue = new SchedulingQueue(events, System::nanoTime, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(5));
        Scheduler scheduler = new Scheduler(cache, queue, profiles,
                new SchedulingAlgorithm(0, parallel, 64, new SplittableRandom(42)), Runnable::run, SchedulingEvents.NONE);
        List<PodInfo> infos = new ArrayList<>(podCount);
        for (int i = 0; i < podCount; i++) infos.add(PodInfo.of(pod(i)));

        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        for (PodInfo p : infos) queue.add(p);
        int scheduled = 0;
        int unschedulable = 0;
        for (int i = 0; i < podCount; i++) {
            ScheduleResult r = scheduler.scheduleOne(Duration.ZERO);
            if (r instanceof ScheduleResult.Scheduled) scheduled++;
            else unschedulable++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        double rate = podCount / seconds;
        // CPU seconds of the whole process (GC and JIT included) say what a pod costs when the machine is shared.
        System.out.printf("  %-8s %5d nodes: %d pods in %.2f s = %.0f pods/s; %.2f CPU s = %.0f pods per CPU second (%d placed, %d unschedulable)%n",
                label, nodeCount, podCount, seconds, rate, cpuSeconds, podCount / cpuSeconds, scheduled, unschedulable);
        return rate;
    }

    /** Node i: 16 cpu, 64Gi, 110 pods, in one of 10 zones. */
    private static Node node(int i, int total) {
        Map<String, Quantity> alloc = Map.of("cpu", new Quantity("16"), "memory", new Quantity("64Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        String name = String.format("node-%05d", i);
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of(HOSTNAME, name, ZONE, "zone-" + (i % 10), "kubernetes.io/os", "linux")).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withAllocatable(alloc).withCapacity(alloc).endStatus().build();
    }

    /**
     * Pod i, of app {@code app-(i % 200)}: 80% plain; of the rest, a quarter each with required anti-affinity by
     * hostname, preferred anti-affinity by hostname, required affinity by zone to its app, and a zone spread
     * constraint (DoNotSchedule, maxSkew 1).
     */
    private static Pod pod(int i) {
        SplittableRandom random = new SplittableRandom(i);
        String app = "app-" + (i % 200);
        Container c = new ContainerBuilder().withName("c").withImage("registry.local/app:" + (i % 20))
                .withNewResources()
                .addToRequests("cpu", new Quantity((100 + random.nextInt(5) * 100) + "m"))
                .addToRequests("memory", new Quantity((128 + random.nextInt(4) * 128) + "Mi"))
                .endResources().build();
        PodBuilder b = new PodBuilder().withNewMetadata().withName("pod-" + i).withNamespace("bench")
                .withUid("uid-" + i).withLabels(Map.of("app", app)).endMetadata()
                .withNewSpec().withContainers(c).endSpec();
        int kind = i % 20; // 0..3 special = 20%
        var selector = new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build();
        switch (kind) {
            case 0 -> b.editSpec().withNewAffinity().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                    new PodAffinityTermBuilder().withTopologyKey(HOSTNAME).withLabelSelector(selector).build())
                    .endPodAntiAffinity().endAffinity().endSpec();
            case 1 -> b.editSpec().withNewAffinity().withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
                    new WeightedPodAffinityTermBuilder().withWeight(100).withPodAffinityTerm(
                            new PodAffinityTermBuilder().withTopologyKey(HOSTNAME).withLabelSelector(selector).build()).build())
                    .endPodAntiAffinity().endAffinity().endSpec();
            case 2 -> b.editSpec().withNewAffinity().withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                    new PodAffinityTermBuilder().withTopologyKey(ZONE).withLabelSelector(selector).build())
                    .endPodAffinity().endAffinity().endSpec();
            case 3 -> b.editSpec().withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                    .withTopologyKey(ZONE).withMaxSkew(1).withWhenUnsatisfiable("DoNotSchedule")
                    .withLabelSelector(selector).build()).endSpec();
            default -> {
            }
        }
        return b.build();
    }
}
