package io.kube4j.controller.e2e;

import io.kube4j.controller.ControllerApplication;
import io.kube4j.testcluster.LocalCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The controller service as a JVM of its own, started from the test class path, so a test can
 * {@code kill -9} it and start it again against the same cluster, as a crash and a supervisor's
 * restart would. Ready when it logs that its controllers run (informers listed, shards joined).
 */
final class ControllerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final List<String> arguments;
    private final Path log;
    private Process process;
    private int starts;

    ControllerProcess(LocalCluster cluster, Path log, String replicaId) {
        this.log = log;
        this.arguments = List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--kube4j.controllers.kubeconfig=" + cluster.kubeconfig(),
                "--kube4j.controllers.kafka-bootstrap-servers=" + cluster.kafkaBootstrapServers(),
                "--kube4j.controllers.partitions=" + LocalCluster.PARTITIONS,
                "--kube4j.controllers.shard-session-timeout=6s",
                "--kube4j.controllers.replica-id=" + replicaId);
    }

    void start() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ControllerApplication.class.getName()));
        command.addAll(arguments);
        try {
            long linesBefore = Files.exists(log) ? Files.readAllLines(log).size() : 0;
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            starts++;
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) throw new IllegalStateException("the controller service exited with " + process.exitValue() + ":\n" + tail());
                List<String> lines = Files.readAllLines(log);
                if (lines.stream().skip(linesBefore).anyMatch(l -> l.contains("controllers running as"))) return;
                Thread.sleep(250);
            }
            throw new IllegalStateException("the controller service did not start within " + START_TIMEOUT + ":\n" + tail());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful leave of the shard group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new IllegalStateException("the controller service outlived SIGKILL");
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
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
}
