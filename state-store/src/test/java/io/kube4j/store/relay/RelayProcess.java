package io.kube4j.store.relay;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A relay under test in a JVM of its own, started from this JVM's class path exactly as the
 * service runs, so a test can {@code kill -9} it. Reads its Prometheus metrics over HTTP.
 */
final class RelayProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private RelayProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts a relay named {@code name} and waits until its HTTP endpoints answer. */
    static RelayProcess start(String name, List<String> arguments) {
        int port = EtcdProcess.freePort();
        try {
            Path logs = Path.of("target", "relay-logs");
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"),
                    RelayApplication.class.getName(),
                    "--server.port=" + port,
                    "--kube4j.relay.instance-id=" + name));
            command.addAll(arguments);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            RelayProcess relay = new RelayProcess(name, port, log, process);
            relay.awaitHttp(Duration.ofSeconds(60));
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the relay gets no chance to flush or checkpoint. */
    void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: a graceful shutdown. */
    void stop() {
        process.destroy();
        waitForExit();
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
    }

    /** The sum of all series of one Prometheus metric, or 0 when it has none. */
    double metric(String metricName) {
        String body = get("/actuator/prometheus");
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            if (series.equals(metricName) || series.startsWith(metricName + "{")) {
                sum += Double.parseDouble(line.substring(space + 1));
            }
        }
        return sum;
    }

    boolean isLeader() {
        return metric("kube4j_relay_leader") == 1.0;
    }

    String health() {
        return get("/actuator/health");
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitHttp(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("relay " + name + " exited: " + logTail());
            try {
                if (health().contains("\"status\"")) return;
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("relay " + name + " did not come up: " + logTail());
    }

    private void waitForExit() {
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "relay " + name + " on port " + port;
    }
}
