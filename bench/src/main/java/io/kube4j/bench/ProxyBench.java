package io.kube4j.bench;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kube4j.proxy.model.ClusterState;
import io.kube4j.proxy.model.IncrementalRuleComputation;
import io.kube4j.proxy.model.Ipv4;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.RuleComputation;
import io.kube4j.proxy.nftables.ElementLoader;
import io.kube4j.proxy.nftables.NetlinkElementLoader;
import io.kube4j.proxy.nftables.NftRunner;
import io.kube4j.proxy.nftables.NftablesBackend;
import io.kube4j.proxy.nftables.ProcessNftRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./kube4j bench proxy}: the nftables back end against the real kernel, in scratch network
 * namespaces this benchmark makes and removes (the host's rules are never touched):
 * <ul>
 * <li>full sync: ClusterIP Services (the first one a NodePort) × endpoints as API objects → {@link RuleComputation} → one
 *     {@code nft -f} replacing the table, at 1,000 and 10,000 Services (median of a few runs);</li>
 * <li>incremental: at 10,000 Services, one endpoint of one Service changes; the time from the
 *     new objects to the kernel holding the change (compute, diff, nft);</li>
 * <li>VIP overhead: an HTTP request's time (curl's time_total, inside the node namespace) through
 *     a ClusterIP minus the same to the pod's IP directly, medians, with the 10,000 Services
 *     programmed.</li>
 * </ul>
 * Arguments ({@code --name=value}; the launcher's cluster arguments are ignored): small (1000),
 * large (10000), endpoints (10), runs (3), changes (5), requests (200), nodes (1: every endpoint
 * on the benchmark's node; with N, endpoint k of the whole list runs on node k mod N, so this node
 * holds 1/N of them, as in a cluster of N nodes; it matters to the hairpin set, which holds only
 * the endpoints that may be this node's pods).
 */
public final class ProxyBench {

    private static final String TABLE = "kube4j";
    private final Map<String, String> args;
    private final String prefix = "k4jbench" + ProcessHandle.current().pid();
    private final List<String> namespaces = new ArrayList<>();
    private Process server;
    /** Nodes the endpoints are spread over; node 0 is the benchmark's own. */
    private int nodes = 1;

    private ProxyBench(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchArgs.parse(argv);
        ProxyBench bench = new ProxyBench(args);
        try {
            bench.run();
        } finally {
            bench.cleanup();
        }
        System.exit(0);
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int small = intArg("small", 1000), large = intArg("large", 10000), endpoints = intArg("endpoints", 10);
        int runs = intArg("runs", 3), changes = intArg("changes", 5), requests = intArg("requests", 200);
        nodes = Math.max(1, intArg("nodes", 1));
        String node = namespace("node");
        String pod = namespace("pod");
        sh("ip", "link", "add", "k4jbn", "netns", node, "type", "veth", "peer", "name", "k4jbp", "netns", pod);
        exec(node, "ip", "addr", "add", "10.250.0.1/24", "dev", "k4jbn");
        exec(node, "ip", "link", "set", "k4jbn", "up");
        exec(pod, "ip", "addr", "add", "10.250.0.2/24", "dev", "k4jbp");
        exec(pod, "ip", "link", "set", "k4jbp", "up");
        exec(pod, "ip", "route", "add", "default", "via", "10.250.0.1");
        exec(node, "ip", "route", "add", "default", "via", "10.250.0.2");

        double full1k = median(fullSyncs(node, small, endpoints, runs));
        System.out.printf("full sync, %d services x %d endpoints: %.0f ms (median of %d)%n", small, endpoints, full1k, runs);
        double full10k = median(fullSyncs(node, large, endpoints, runs));
        System.out.printf("full sync, %d services x %d endpoints: %.0f ms (median of %d)%n", large, endpoints, full10k, runs);

        // The large table stays programmed for the incremental changes and the latency measurement.
        List<Service> services = services(large);
        List<EndpointSlice> slices = slices(large, endpoints);
        // Service 0 points at the real pod, so that its VIP answers.
        slices.set(0, slice(0, List.of("10.250.0.2")));
        NftablesBackend backend = new NftablesBackend(TABLE, new ProcessNftRunner(node), loader(node));
        // As the agent does: unchanged Services' rules are remembered between syncs.
        IncrementalRuleComputation computation = new IncrementalRuleComputation();
        backend.sync(computation.compute(state(services, slices)));
        double[] incremental = new double[changes];
        double[] computing = new double[changes];
        double[] cpu = new double[changes];
        for (int i = 0; i < changes; i++) {
            int victim = 1 + i * (large - 1) / Math.max(1, changes);
            List<String> ips = new ArrayList<>(endpointIps(victim, endpoints));
            ips.set(0, Ipv4.fromLong(Ipv4.toLong("10.200.0.0") + i + 1));
            slices.set(victim, slice(victim, ips));
            long start = System.nanoTime();
            long cpuStart = cpuNanos();
            ProxyRules rules = computation.compute(state(services, slices));
            long computed = System.nanoTime();
            backend.sync(rules);
            incremental[i] = (System.nanoTime() - start) / 1e6;
            computing[i] = (computed - start) / 1e6;
            cpu[i] = (cpuNanos() - cpuStart) / 1e6;
        }
        System.out.printf("  (incremental: CPU time, this thread plus nft: %.0f ms median; load average %s)%n", median(cpu), loadAverage());
        double incrementalMs = median(incremental);
        System.out.printf("incremental: one endpoint changed at %d services: %.0f ms, of which computing the rules %.0f ms"
                + " (medians of %d; %d nft statements sent)%n", large, incrementalMs, median(computing), changes, backend.lastSyncSize());

        Path script = Files.createTempFile("echo", ".py");
        Files.writeString(script, """
                import socket
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("10.250.0.2", 8080)); s.listen(128)
                while True:
                    c, a = s.accept()
                    c.recv(4096); c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n"); c.close()
                """);
        server = new ProcessBuilder("ip", "netns", "exec", pod, "/usr/bin/python3", script.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(500);
        String vip = services.getFirst().getSpec().getClusterIP();
        // One curl process for all requests, alternating the two targets: each request is a new
        // connection (the server closes it), and no process start-up lands inside a measurement.
        double[] times = curl(node, List.of("http://" + vip + ":80/", "http://10.250.0.2:8080/"), requests);
        double[] viaVip = new double[requests], direct = new double[requests];
        for (int i = 0; i < requests; i++) {
            viaVip[i] = times[2 * i];
            direct[i] = times[2 * i + 1];
        }
        double overheadUs = (median(viaVip) - median(direct)) * 1e6;
        System.out.printf("request through the ClusterIP: %.0f us, to the pod directly: %.0f us (medians of %d)%n",
                median(viaVip) * 1e6, median(direct) * 1e6, requests);
        if (nodes > 1) System.out.printf("(endpoints spread over %d nodes, 1/%d of them on this node)%n", nodes, nodes);
        System.out.printf("bench proxy: full_sync_1k_ms=%.0f full_sync_10k_ms=%.0f incremental_ms=%.0f vip_overhead_us=%.0f%n",
                full1k, full10k, incrementalMs, overheadUs);
    }

    private double[] fullSyncs(String node, int count, int endpoints, int runs) throws Exception {
        List<Service> services = services(count);
        List<EndpointSlice> slices = slices(count, endpoints);
        double[] out = new double[runs];
        double[] cpu = new double[runs];
        double[][] stages = new double[6][runs];
        for (int r = 0; r < runs; r++) {
            // A new back end knows nothing of the kernel: its first sync replaces the table whole.
            StageTimer timer = new StageTimer(new ProcessNftRunner(node), loader(node));
            NftablesBackend backend = new NftablesBackend(TABLE, timer, timer.loader == null ? null : timer);
            long start = System.nanoTime();
            long cpuStart = cpuNanos();
            long threadStart = THREADS.getCurrentThreadCpuTime();
            ProxyRules rules = compute(services, slices);
            long computed = THREADS.getCurrentThreadCpuTime();
            timer.reset();
            backend.sync(rules);
            out[r] = (System.nanoTime() - start) / 1e6;
            cpu[r] = (cpuNanos() - cpuStart) / 1e6;
            stages[0][r] = (computed - threadStart) / 1e6;
            stages[1][r] = (timer.renderEnd - computed) / 1e6;
            stages[2][r] = timer.nftUser / 1e6;
            stages[3][r] = timer.nftSys / 1e6;
            stages[4][r] = timer.runnerThread / 1e6;
            stages[5][r] = timer.loaderThread / 1e6;
        }
        System.out.printf("  (%d services: CPU time of the sync, this thread plus nft: %.0f ms median; load average %s)%n",
                count, median(cpu), loadAverage());
        System.out.printf("  (%d services, CPU medians by stage: rules %.0f ms, rendering %.0f ms, nft user %.0f ms,"
                        + " nft sys (kernel and nft's own page faults) %.0f ms, this thread while the runner ran %.0f ms,"
                        + " elements over netlink (this thread, the kernel's work included) %.0f ms)%n",
                count, median(stages[0]), median(stages[1]), median(stages[2]), median(stages[3]), median(stages[4]), median(stages[5]));
        return out;
    }

    /** The netlink element loader unless --netlink=false (full syncs then go through nft alone, as where none can be made). */
    private ElementLoader loader(String node) {
        if (!Boolean.parseBoolean(args.getOrDefault("netlink", "true"))) return null;
        NetlinkElementLoader loader = new NetlinkElementLoader(node);
        return loader.available() ? loader : null;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Splits a sync's CPU time at the hand-over to the runner: what came before is rendering; what
     * the runner's child processes spent (user, system) and this thread spent inside the runner
     * (writing the script, or talking to the kernel itself) is programming.
     */
    private static final class StageTimer implements NftRunner, ElementLoader {
        private final NftRunner delegate;
        final ElementLoader loader;
        long renderEnd = -1, nftUser, nftSys, runnerThread, loaderThread;

        StageTimer(NftRunner delegate, ElementLoader loader) {
            this.delegate = delegate;
            this.loader = loader;
        }

        void reset() {
            renderEnd = -1;
            nftUser = nftSys = runnerThread = loaderThread = 0;
        }

        @Override
        public void add(String table, List<SetElements> sets) throws NftException {
            long thread = THREADS.getCurrentThreadCpuTime();
            try {
                loader.add(table, sets);
            } finally {
                loaderThread += THREADS.getCurrentThreadCpuTime() - thread;
            }
        }

        @Override
        public boolean hasChain(String table, String chain) throws NftException {
            return loader.hasChain(table, chain);
        }

        @Override
        public void run(String script) throws NftException {
            long thread = THREADS.getCurrentThreadCpuTime();
            if (renderEnd < 0) renderEnd = thread;
            long[] before = childTimes();
            try {
                delegate.run(script);
            } finally {
                long[] after = childTimes();
                nftUser += after[0] - before[0];
                nftSys += after[1] - before[1];
                runnerThread += THREADS.getCurrentThreadCpuTime() - thread;
            }
        }

        /** User and system CPU nanoseconds of the children waited for so far (10 ms ticks). */
        private static long[] childTimes() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return new long[]{Long.parseLong(fields[13]) * 10_000_000L, Long.parseLong(fields[14]) * 10_000_000L};
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * CPU time spent so far by this thread and by the child processes waited for (nft): wall time on
     * a machine shared with other work overstates what a sync costs, CPU time does not.
     */
    private static long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 16 and 17 of /proc/<pid>/stat (cutime, cstime), counted from field 3 here; clock ticks of 10 ms.
        long children = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + children;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static ProxyRules compute(List<Service> services, List<EndpointSlice> slices) {
        return RuleComputation.compute(state(services, slices));
    }

    private static ClusterState state(List<Service> services, List<EndpointSlice> slices) {
        return new ClusterState(services, slices, List.of(), "bench-node", List.of("10.250.0.1", "127.0.0.1"));
    }

    private static List<Service> services(int count) {
        List<Service> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new ServiceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + i).endMetadata()
                    .withNewSpec().withType(i == 0 ? "NodePort" : "ClusterIP").withClusterIP(Ipv4.fromLong(Ipv4.toLong("10.96.16.0") + i))
                    .withSelector(Map.of("app", "svc-" + i))
                    .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNodePort(i == 0 ? 30000 : null).endPort()
                    .endSpec().build());
        }
        return out;
    }

    private static List<String> endpointIps(int service, int endpoints) {
        List<String> ips = new ArrayList<>(endpoints);
        for (int e = 0; e < endpoints; e++) ips.add(Ipv4.fromLong(Ipv4.toLong("10.128.0.0") + (long) service * endpoints + e));
        return ips;
    }

    private List<EndpointSlice> slices(int count, int endpoints) {
        List<EndpointSlice> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(slice(i, endpointIps(i, endpoints)));
        return out;
    }

    private EndpointSlice slice(int service, List<String> ips) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("bench").withName("svc-" + service + "-1")
                .withLabels(Map.of(RuleComputation.SERVICE_NAME_LABEL, "svc-" + service)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (int e = 0; e < ips.size(); e++) {
            long k = (long) service * ips.size() + e;
            String node = k % nodes == 0 ? "bench-node" : "bench-node-" + k % nodes;
            b.addNewEndpoint().withAddresses(ips.get(e)).withNodeName(node).withNewConditions().withReady(true).endConditions().endEndpoint();
        }
        return b.build();
    }

    /** curl's time_total in seconds of each GET, {@code rounds} times through {@code urls}, from inside {@code ns}. */
    private static double[] curl(String ns, List<String> urls, int rounds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, "curl", "-s", "--max-time", "3", "-w", "%{time_total}\\n"));
        for (int r = 0; r < rounds; r++) {
            for (String url : urls) {
                command.addAll(List.of("-o", "/dev/null", url));
            }
        }
        String[] lines = output(command.toArray(String[]::new)).trim().split("\\s+");
        double[] out = new double[lines.length];
        for (int i = 0; i < lines.length; i++) out[i] = Double.parseDouble(lines[i]);
        if (out.length != rounds * urls.size()) throw new IOException("curl answered " + out.length + " of " + rounds * urls.size() + " requests");
        return out;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private String namespace(String suffix) throws IOException, InterruptedException {
        String name = prefix + suffix;
        sh("ip", "netns", "add", name);
        namespaces.add(name);
        exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    private static void exec(String ns, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        sh(c.toArray(String[]::new));
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        output(command);
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private void cleanup() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces.reversed()) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (IOException e) {
                System.err.println("could not remove the namespace " + ns + ": " + e.getMessage());
            }
        }
    }
}
