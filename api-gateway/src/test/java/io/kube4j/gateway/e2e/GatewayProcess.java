package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.EtcdProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The real gateway as a JVM of its own, started from the test classpath through
 * {@link GatewayLauncher}, so a test can {@code kill -9} it and start it again on the same port,
 * PKI and etcd, as a crash and a supervisor's restart would.
 */
final class GatewayProcess implements AutoCloseable {

    /** The test JVMs' flags: a small heap and the client compiler, which start quickest. */
    static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final List<String> arguments;
    private final List<String> jvmOptions;
    private final Duration startTimeout;
    private final int port;
    private final Path log;
    private Process process;
    private String token;
    private byte[] caPem;

    private GatewayProcess(Path dir, List<String> arguments, List<String> jvmOptions, Duration startTimeout, int port) {
        this.dir = dir;
        this.arguments = arguments;
        this.jvmOptions = jvmOptions;
        this.startTimeout = startTimeout;
        this.port = port;
        this.log = dir.resolve("gateway.log");
    }

    /** Starts a gateway on a free port for the etcd, with its PKI under {@code dir}, and waits until it is ready. */
    static GatewayProcess start(Path dir, EtcdProcess etcd, Map<String, String> properties) {
        return start(dir, etcd, properties, TEST_JVM_OPTIONS, START_TIMEOUT);
    }

    /** As {@link #start(Path, EtcdProcess, Map)}, its JVM run with {@code jvmOptions}, ready within {@code startTimeout}. */
    static GatewayProcess start(Path dir, EtcdProcess etcd, Map<String, String> properties, List<String> jvmOptions,
                                Duration startTimeout) {
        int port = EtcdProcess.freePort();
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--kube4j.etcd.endpoints=" + etcd.endpoint(),
                "--kube4j.gateway.pki-dir=" + dir.resolve("pki"),
                "--kube4j.gateway.tls.enabled=true",
                "--management.server.port=-1",
                "--spring.main.banner-mode=off"));
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        GatewayProcess gateway = new GatewayProcess(dir, arguments, jvmOptions, startTimeout, port);
        gateway.launch();
        return gateway;
    }

    String url() {
        return "https://127.0.0.1:" + port;
    }

    String token() {
        return token;
    }

    byte[] caPem() {
        return caPem;
    }

    /** The gateway JVM's process id, e.g. for jcmd or /proc. */
    long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) throw new IllegalStateException("the gateway outlived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the gateway again with the same arguments (port, PKI, etcd) and waits until it is ready. */
    void restart() {
        if (process.isAlive()) kill();
        launch();
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GatewayLauncher.class.getName()));
        command.addAll(arguments);
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code /readyz}: the gateway writes its PKI first, so the CA and token are read after. */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Path ca = dir.resolve("pki/ca.crt");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the gateway exited with " + process.exitValue() + ":\n" + tail());
            if (Files.exists(ca) && Files.exists(dir.resolve("pki/tokens.csv")) && ready(Files.readAllBytes(ca))) {
                caPem = Files.readAllBytes(ca);
                token = Files.readAllLines(dir.resolve("pki/tokens.csv")).stream()
                        .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("the gateway was not ready after " + startTimeout + ":\n" + tail());
    }

    private boolean ready(byte[] caPem) {
        try (HttpClient http = HttpClient.newBuilder().sslContext(ApiHttp.trusting(caPem))
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException | RuntimeException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
