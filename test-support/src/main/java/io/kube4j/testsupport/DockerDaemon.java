package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Docker engine for tests that build images or run docker-compose: the engine that already
 * answers on {@code /var/run/docker.sock}, or else a {@code dockerd} this fixture starts as the
 * machine notes describe (overlay2, its own data and exec roots), which {@link #close()} stops.
 * An engine that was already running is left alone.
 *
 * <p>The data root ({@code KUBE4J_DOCKER_ROOT}, default {@code /var/lib/kube4j/docker}, as the
 * launcher's) outlives the daemon, so images built by one run are there for the next. Starting
 * one needs root and Debian's {@code docker.io}. Not thread-safe: one test class drives it.
 */
public final class DockerDaemon implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process started;

    private DockerDaemon(Process started) {
        this.started = started;
    }

    /**
     * The running engine, or a new one started here.
     *
     * @throws IllegalStateException when none answers and none can be started (not root, no
     *                               dockerd, or it did not answer within a minute: its log says why)
     */
    public static DockerDaemon ensure() {
        if (answers()) return new DockerDaemon(null);
        Path root = Path.of(envOr("KUBE4J_DOCKER_ROOT", "/var/lib/kube4j/docker"));
        Path execRoot = Path.of(envOr("KUBE4J_DOCKER_EXEC_ROOT", "/run/kube4j-docker"));
        Path log = root.resolve("dockerd-test.log");
        try {
            Files.createDirectories(root);
            Files.createDirectories(execRoot);
            Process process = new ProcessBuilder("dockerd", "--storage-driver=overlay2",
                    "--data-root", root.toString(), "--exec-root", execRoot.toString(),
                    "-H", "unix:///var/run/docker.sock")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dockerd exited with " + process.exitValue() + "; see " + log);
                }
                if (answers()) return new DockerDaemon(process);
                Thread.sleep(250);
            }
            process.destroy();
            throw new IllegalStateException("dockerd did not answer within " + START_TIMEOUT + "; see " + log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start dockerd (apt-get install docker.io; run as root)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether this fixture started the engine (and so stops it on close). */
    public boolean startedHere() {
        return started != null;
    }

    /** What a command printed (standard output and error, merged) and how it exited. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs a command (docker, docker-compose, the launcher) in {@code dir} with extra environment
     * variables; waits at most {@code timeout}, then kills it.
     */
    public static Result run(Path dir, Map<String, String> environment, Duration timeout, String... command) {
        try {
            Path output = Files.createTempFile("docker", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                            + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command and fails with everything it printed unless it exits 0; returns its output. */
    public static String ok(Path dir, Map<String, String> environment, Duration timeout, String... command) {
        Result result = run(dir, environment, timeout, command);
        if (!result.ok()) {
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** Stops the engine if this fixture started it; its data root stays. */
    @Override
    public void close() {
        if (started == null || !started.isAlive()) return;
        started.destroy();
        try {
            if (!started.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean answers() {
        try {
            Process process = new ProcessBuilder(List.of("docker", "info", "--format", "{{.ServerVersion}}"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
