package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.EtcdProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the gateway's CPU per pod create, bind and status patch: a real etcd, the gateway as a JVM of its
 * own (the launcher's heap flags, full JIT; {@link GatewayProcess}), a steady stream of requests from this JVM, and the gateway's
 * utime + stime from /proc around each phase. With {@code jfr=DIR} each phase is also recorded with JFR's
 * profile settings into {@code DIR/<phase>.jfr}.
 *
 * <p>Run with {@code java -cp <test classpath> io.kube4j.gateway.e2e.CreateLoadProfile [count=20000]
 * [threads=8] [warm=5000] [jfr=/tmp/prof]}.
 */
public final class CreateLoadProfile {

    private static final long TICKS_PER_SECOND = 100;

    public static void main(String[] argv) throws Exception {
        int count = 20000, threads = 8, warm = 5000;
        Path jfr = null;
        List<String> phases = List.of("create", "bind", "status");
        for (String a : argv) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "count" -> count = Integer.parseInt(kv[1]);
                case "threads" -> threads = Integer.parseInt(kv[1]);
                case "warm" -> warm = Integer.parseInt(kv[1]);
                case "jfr" -> jfr = Path.of(kv[1]);
                case "phases" -> phases = List.of(kv[1].split(","));
                default -> throw new IllegalArgumentException(a);
            }
        }
        Path dir = Files.createTempDirectory("kube4j-load");
        try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
             GatewayProcess gateway = GatewayProcess.start(dir, etcd, Map.of(), List.of("-Xms512m", "-Xmx2g"), Duration.ofSeconds(900))) {
            try (HttpClient http = HttpClient.newBuilder().sslContext(ApiHttp.trusting(gateway.caPem()))
                    .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build()) {
                String url = gateway.url();
                String token = gateway.token();
                Load load = new Load(http, url, token);
                long pid = gateway.pid();
                System.out.println("gateway pid " + pid + " dir " + dir);
                load.post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\"}}");
                load.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"warm\"}}");
                load.post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"load\"}}");
                // Warm-up: every path, long enough for C2 to compile what the measured phases run.
                for (int round = 0; round < 2; round++) {
                    int base = round * warm;
                    run(threads, warm, i -> load.createPod("warm", "w-" + (base + i)));
                    run(threads, warm, i -> load.bind("warm", "w-" + (base + i)));
                    run(threads, warm, i -> load.status("warm", "w-" + (base + i)));
                }
                for (String phase : phases) {
                    if (jfr != null) {
                        Files.createDirectories(jfr);
                        jcmd(pid, "JFR.start", "name=" + phase, "settings=profile",
                                "filename=" + jfr.resolve(phase + ".jfr"), "jdk.CPUTimeSample#enabled=true",
                                "jdk.CPUTimeSample#throttle=1ms");
                    }
                    long cpu0 = cpuTicks(pid);
                    long t0 = System.nanoTime();
                    Call call = switch (phase) {
                        case "create" -> i -> load.createPod("load", "pod-" + i);
                        case "bind" -> i -> load.bind("load", "pod-" + i);
                        default -> i -> load.status("load", "pod-" + i);
                    };
                    run(threads, count, call);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long cpu = cpuTicks(pid) - cpu0;
                    if (jfr != null) jcmd(pid, "JFR.stop", "name=" + phase);
                    System.out.printf("%s: %d in %.1f s (%.0f/s), gateway cpu %.2f s = %.3f ms per %s%n", phase, count,
                            seconds, count / seconds, cpu / (double) TICKS_PER_SECOND,
                            cpu * 1000.0 / TICKS_PER_SECOND / count, phase);
                }
            }
        }
        Directories.deleteRecursively(dir);
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields after the command: state is index 0, utime is field 14 (index 11), stime 15 (index 12).
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void jcmd(long pid, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        p.waitFor();
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private static void run(int threads, int count, Call call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) call.run(i);
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        pool.shutdown();
    }

    private record Load(HttpClient http, String url, String token) {

        void createPod(String ns, String name) throws Exception {
            post("/api/v1/namespaces/" + ns + "/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                    + name + "\",\"namespace\":\"" + ns + "\",\"labels\":{\"app\":\"app-" + (name.hashCode() & 127) + "\"}},"
                    + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{\"requests\":"
                    + "{\"cpu\":\"100m\",\"memory\":\"128Mi\"}}}],\"nodeSelector\":{\"kube4j.io/bench\":\"" + ns + "\"},"
                    + "\"tolerations\":[{\"operator\":\"Exists\"}]}}");
        }

        void bind(String ns, String name) throws Exception {
            post("/api/v1/namespaces/" + ns + "/pods/" + name + "/binding", "{\"apiVersion\":\"v1\",\"kind\":\"Binding\","
                    + "\"metadata\":{\"name\":\"" + name + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-1\"}}");
        }

        void status(String ns, String name) throws Exception {
            send("PATCH", "/api/v1/namespaces/" + ns + "/pods/" + name + "/status", "application/strategic-merge-patch+json",
                    "{\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.244.0.5\","
                            + "\"startTime\":\"2026-11-26T10:00:00Z\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                            + "\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-11-26T10:00:01Z\"}],"
                            + "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":0,\"image\":\"busybox\","
                            + "\"imageID\":\"\",\"started\":true,\"state\":{\"running\":{\"startedAt\":\"2026-11-26T10:00:01Z\"}}}]}}");
        }

        void post(String path, String body) throws Exception {
            send("POST", path, "application/json", body);
        }

        void send(String method, String path, String contentType, String body) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(60))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
        }
    }
}
