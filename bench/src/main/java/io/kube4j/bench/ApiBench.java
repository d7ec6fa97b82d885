package io.kube4j.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.kube4j.store.EtcdStore;
import io.kube4j.store.EtcdStoreProperties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code ./kube4j bench api}: ConfigMap creates through the gateway against the same puts straight
 * into etcd at the same concurrency, then the latency from a write's acknowledgement to its event
 * at the last of many concurrent watchers.
 *
 * <p>Arguments ({@code --name=value}): server, ca, token-file, etcd, creates (default 20000),
 * concurrency (64), watchers (1000), watched-writes (200), http ({@code 2}, the default, or
 * {@code 1.1}), pod-creates (5000; 0 skips the pod phase), only ({@code creates} stops after the
 * ConfigMap and pod creates through the gateway, skipping etcd and the watch fan-out).
 *
 * <p>The pod phase creates pods like those of {@code ./kube4j bench scheduler} (one container with
 * requests, a node selector, a toleration) at the same concurrency, right after as many ConfigMap
 * creates on the same warm gateway, and prints both rates and their ratio: what the pod create path
 * (admission, defaulting, validation) costs over the simplest kind's.
 *
 * <p>With HTTP/2 the bench behaves as client-go does: one client multiplexes all its concurrent
 * creates over one connection, and the watchers share connections of at most
 * {@value #WATCHES_PER_CONNECTION} streams each (client-go opens another connection when one is
 * full). With HTTP/1.1 every request in flight, watches included, has a connection of its own.
 */
public final class ApiBench {

    /** Watches per HTTP/2 connection: well under the gateway's default of 1000 streams per connection. */
    static final int WATCHES_PER_CONNECTION = 500;

    private final Map<String, String> args;
    private final SSLContext ssl;
    private final HttpClient.Version version;
    private final HttpClient http;
    private final String server;
    private final String token;
    /** The namespaces this run created, deleted when it ends. */
    private final List<String> namespaces = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ApiBench(Map<String, String> args) throws Exception {
        this.args = args;
        this.server = args.getOrDefault("server", "https://127.0.0.1:6443");
        this.token = Files.readString(Path.of(args.get("token-file"))).trim();
        this.ssl = sslContext(Path.of(args.get("ca")));
        this.version = switch (args.getOrDefault("http", "2")) {
            case "2" -> HttpClient.Version.HTTP_2;
            case "1.1" -> HttpClient.Version.HTTP_1_1;
            default -> throw new IllegalArgumentException("--http must be 2 or 1.1, not " + args.get("http"));
        };
        this.http = newClient();
    }

    /** A client with its own connections: with HTTP/2, one connection that carries all its requests. */
    private HttpClient newClient() {
        return HttpClient.newBuilder()
                .sslContext(ssl)
                .version(version)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchArgs.parse(argv);
        ApiBench bench = new ApiBench(args);
        try {
            bench.run();
        } finally {
            bench.deleteNamespaces();
        }
        System.exit(0);
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int creates = intArg("creates", 20000);
        int concurrency = intArg("concurrency", 64);
        int watchers = intArg("watchers", 1000);
        int watchedWrites = intArg("watched-writes", 200);
        String run = Long.toString(System.currentTimeMillis(), 36);
        String payload = "x".repeat(900);

        System.out.println("client: " + (version == HttpClient.Version.HTTP_2
                ? "HTTP/2, creates multiplexed over one connection, watches " + WATCHES_PER_CONNECTION + " per connection"
                : "HTTP/1.1, a connection per request in flight"));
        // Warm both paths so neither pays for class loading or connection set-up in the timed part.
        String warm = "bench-warm-" + run;
        createNamespace(warm);
        timed(concurrency, Math.min(2000, creates), i -> createConfigMap(warm, "w-" + i, payload));
        try (Client etcd = Client.builder().endpoints(args.getOrDefault("etcd", "http://127.0.0.1:2379")).build()) {
            KV kv = etcd.getKVClient();
            timed(concurrency, Math.min(2000, creates), i -> put(kv, "/bench/" + run + "/warm/" + i, payload));

            String ns = "bench-" + run;
            createNamespace(ns);
            Result gateway = timed(concurrency, creates, i -> createConfigMap(ns, "cm-" + i, payload));
            podPhase(run, concurrency);
            if ("creates".equals(args.get("only"))) {
                System.out.printf("gateway: %d ConfigMap creates in %.2f s = %.0f/s, p50 %.1f ms, p99 %.1f ms%n", creates,
                        gateway.seconds, creates / gateway.seconds, gateway.percentile(50), gateway.percentile(99));
                return;
            }
            Result raw = timed(concurrency, creates, i -> put(kv, "/bench/" + run + "/cm-" + i, configMapJson(ns, "cm-" + i, payload)));
            double gatewayRate = creates / gateway.seconds;
            double etcdRate = creates / raw.seconds;
            System.out.printf("gateway: %d creates in %.2f s; etcd: %d puts in %.2f s%n", creates, gateway.seconds, creates, raw.seconds);
            // For reading the ratio: the store's own create (an etcd transaction that fails if the key exists),
            // without HTTP, TLS, JSON or admission, at the same concurrency.
            Result jetcdTxn = timed(concurrency, creates, i -> {
                ByteSequence key = ByteSequence.from("/bench/" + run + "/jtxn-" + i, StandardCharsets.UTF_8);
                kv.txn().If(new io.etcd.jetcd.op.Cmp(key, io.etcd.jetcd.op.Cmp.Op.EQUAL, io.etcd.jetcd.op.CmpTarget.createRevision(0)))
                        .Then(io.etcd.jetcd.op.Op.put(key, ByteSequence.from(configMapJson(ns, "x", payload), StandardCharsets.UTF_8),
                                io.etcd.jetcd.options.PutOption.DEFAULT))
                        .commit().get(60, TimeUnit.SECONDS);
            });
            System.out.printf("jetcd create transactions: %.0f/s, p99 %.1f ms%n", creates / jetcdTxn.seconds, jetcdTxn.percentile(99));
            try (EtcdStore store = new EtcdStore(EtcdStoreProperties.of(args.getOrDefault("etcd", "http://127.0.0.1:2379")))) {
                byte[] value = configMapJson(ns, "x", payload).getBytes(StandardCharsets.UTF_8);
                Result txn = timed(concurrency, creates, i -> store.create("/bench/" + run + "/txn-" + i, value));
                System.out.printf("store creates (etcd transactions, no gateway): %.0f/s, p99 %.1f ms%n",
                        creates / txn.seconds, txn.percentile(99));
            }

            double fanoutP99 = watchFanout(run, watchers, watchedWrites, payload);
            System.out.printf("bench api: gateway_creates_per_s=%.0f etcd_puts_per_s=%.0f ratio=%.2f create_p50_ms=%.1f create_p99_ms=%.1f watch_fanout_p99_ms=%.1f%n",
                    gatewayRate, etcdRate, gatewayRate / etcdRate, gateway.percentile(50), gateway.percentile(99), fanoutP99);
            etcd.getKVClient().delete(ByteSequence.from("/bench/", StandardCharsets.UTF_8),
                    io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get();
        }
    }

    /**
     * Pod creates against ConfigMap creates at the same concurrency: after a warm-up of the pod path, as many
     * ConfigMaps then as many pods, each into a namespace of its own, so that both run on the same warm
     * gateway; prints both rates and their ratio.
     */
    private void podPhase(String run, int concurrency) throws Exception {
        int pods = intArg("pod-creates", 5000);
        if (pods <= 0) return;
        String payload = "x".repeat(900);
        String warm = "bench-podwarm-" + run;
        createNamespace(warm);
        timed(concurrency, Math.min(2000, pods), i -> createPod(warm, "w-" + i));
        String cmNs = "bench-podcm-" + run;
        createNamespace(cmNs);
        Result configMaps = timed(concurrency, pods, i -> createConfigMap(cmNs, "cm-" + i, payload));
        String ns = "bench-pods-" + run;
        createNamespace(ns);
        Result result = timed(concurrency, pods, i -> createPod(ns, "pod-" + i));
        double podRate = pods / result.seconds;
        double configMapRate = pods / configMaps.seconds;
        System.out.printf("pods vs configmaps, %d each at concurrency %d: pod_creates_per_s=%.0f (p50 %.1f ms, p99 %.1f ms) "
                        + "configmap_creates_per_s=%.0f (p50 %.1f ms, p99 %.1f ms) pod_to_configmap_ratio=%.2f%n", pods,
                concurrency, podRate, result.percentile(50), result.percentile(99), configMapRate,
                configMaps.percentile(50), configMaps.percentile(99), podRate / configMapRate);
    }

    private void createPod(String ns, String name) throws Exception {
        post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name + "\",\"namespace\":\"" + ns + "\",\"labels\":{\"app\":\"app-" + (name.hashCode() & 127) + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{\"requests\":"
                + "{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}],\"nodeSelector\":{\"kube4j.io/bench\":\"" + ns + "\"},"
                + "\"tolerations\":[{\"operator\":\"Exists\"}]}}");
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private record Result(double seconds, long[] latenciesNanos) {
        double percentile(int p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }
    }

    private static Result timed(int concurrency, int count, Call call) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory());
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    long t0 = System.nanoTime();
                    call.run(i);
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(seconds, latencies);
    }

    private static String configMapJson(String ns, String name, String payload) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + ns + "\"},\"data\":{\"payload\":\"" + payload + "\"}}";
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60));
    }

    /**
     * Deletes the namespaces the run made (the namespace controller then removes their ConfigMaps and pods), so
     * that the next run and the cluster's other work do not carry tens of thousands of objects and thousands of
     * unschedulable pods; a failure is printed, not thrown.
     */
    private void deleteNamespaces() {
        if (namespaces.isEmpty()) return;
        System.out.println("cleaning up: deleting the run's " + namespaces.size() + " namespaces");
        for (String ns : namespaces) {
            try {
                HttpResponse<String> response = http.send(request("/api/v1/namespaces/" + ns).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 && response.statusCode() != 202) {
                    System.out.println("  could not delete namespace " + ns + ": " + response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                System.out.println("  could not delete namespace " + ns + ": " + e);
            }
        }
    }

    private void createNamespace(String ns) throws Exception {
        namespaces.add(ns);
        post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    }

    private void createConfigMap(String ns, String name, String payload) throws Exception {
        post("/api/v1/namespaces/" + ns + "/configmaps", configMapJson(ns, name, payload));
    }

    private String post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void put(KV kv, String key, String value) throws Exception {
        kv.put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value, StandardCharsets.UTF_8))
                .get(60, TimeUnit.SECONDS);
    }

    /** p99 over writes of (time the last watcher saw the write − time the write was acknowledged). */
    private double watchFanout(String run, int watchers, int writes, String payload) throws Exception {
        String ns = "bench-watch-" + run;
        createNamespace(ns);
        String list = get("/api/v1/namespaces/" + ns + "/configmaps");
        String rv = list.replaceAll("(?s).*\"resourceVersion\":\"(\\d+)\".*", "$1");
        Map<String, long[]> seen = new ConcurrentHashMap<>();
        List<HttpClient> watchClients = new ArrayList<>();
        for (int c = 0; c < watchers; c += WATCHES_PER_CONNECTION) {
            // Connected before its watches start, as a long-running client is: a fresh client whose
            // first hundreds of requests start together would open a connection for each of them.
            HttpClient client = newClient();
            client.send(request("/version").GET().build(), HttpResponse.BodyHandlers.discarding());
            watchClients.add(client);
        }
        CountDownLatch connected = new CountDownLatch(watchers);
        CountDownLatch done = new CountDownLatch(watchers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            int watcher = w;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    HttpClient client = watchClients.get(watcher / WATCHES_PER_CONNECTION);
                    HttpResponse<InputStream> response = client.send(request("/api/v1/namespaces/" + ns
                                    + "/configmaps?watch=true&resourceVersion=" + rv + "&timeoutSeconds=600").GET().build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    connected.countDown();
                    try (Stream<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                            response.body(), StandardCharsets.UTF_8)).lines()) {
                        int received = 0;
                        for (String line : (Iterable<String>) lines::iterator) {
                            long now = System.nanoTime();
                            int at = line.indexOf("\"name\":\"wcm-");
                            if (at < 0) continue;
                            String name = line.substring(at + 8, line.indexOf('"', at + 8));
                            seen.computeIfAbsent(name, k -> new long[watchers])[watcher] = now;
                            if (++received == writes) break;
                        }
                    }
                } catch (Exception e) {
                    connected.countDown();
                    System.err.println("watcher " + watcher + " failed: " + e);
                } finally {
                    done.countDown();
                }
            }));
        }
        connected.await(120, TimeUnit.SECONDS);
        Thread.sleep(2000);
        long[] acked = new long[writes];
        for (int i = 0; i < writes; i++) {
            createConfigMap(ns, "wcm-" + i, payload);
            acked[i] = System.nanoTime();
            Thread.sleep(10);
        }
        done.await(120, TimeUnit.SECONDS);
        long[] fanout = new long[writes];
        int incomplete = 0;
        for (int i = 0; i < writes; i++) {
            long[] times = seen.get("wcm-" + i);
            long last = 0;
            boolean all = times != null;
            if (times != null) {
                for (long t : times) {
                    if (t == 0) all = false;
                    last = Math.max(last, t);
                }
            }
            if (!all) incomplete++;
            fanout[i] = Math.max(0, last - acked[i]);
        }
        if (incomplete > 0) System.out.println("warning: " + incomplete + " writes did not reach every watcher");
        Arrays.sort(fanout);
        return fanout[(int) Math.ceil(0.99 * writes) - 1] / 1e6;
    }

    private String get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static SSLContext sslContext(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("kube4j-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
