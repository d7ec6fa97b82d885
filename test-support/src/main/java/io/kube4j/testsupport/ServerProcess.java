package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server that a test runs as a child process on loopback ports chosen before it starts, with
 * its output appended to a log file. It can be stopped (SIGTERM), killed (SIGKILL) and restarted
 * on the same ports and data, which crash tests need; {@link #close()} stops it and deletes the
 * temporary directory it created for itself (never a directory the caller gave it).
 *
 * <p>Subclasses say how to start the server ({@link #startProcess()}, usually {@link #launch}
 * followed by {@link #awaitPort}). Not thread-safe: one test thread drives an instance.
 */
public abstract class ServerProcess implements AutoCloseable {

    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final Path log;
    private final Path ownedDirectory;
    private final Duration stopTimeout;
    private Process process;

    /**
     * @param log            the file the server's output is appended to
     * @param ownedDirectory a temporary directory this instance created and deletes on {@link #close()}, or
     *                       null when its files live where the caller said
     * @param stopTimeout    how long a graceful stop may take before the process is killed
     */
    protected ServerProcess(Path log, Path ownedDirectory, Duration stopTimeout) {
        this.log = log;
        this.ownedDirectory = ownedDirectory;
        this.stopTimeout = stopTimeout;
    }

    /** Starts the server process (again) and returns once it serves; called by {@link #restart()}. */
    protected abstract void startProcess();

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server gracefully (SIGTERM) and waits for it to exit. Does nothing when it is not running. */
    public void stop() {
        if (process == null) return;
        process.destroy();
        waitForExit(stopTimeout);
    }

    /** Kills the server at once (SIGKILL), as a crash would. Does nothing when it is not running. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitForExit(KILL_TIMEOUT);
    }

    /** Starts the server again on the same ports with the same data, after {@link #stop} or {@link #kill}. */
    public void restart() {
        if (isRunning()) stop();
        startProcess();
    }

    /** Stops the server, then deletes the temporary directory it created, if any. */
    @Override
    public void close() {
        stop();
        if (ownedDirectory != null) Directories.deleteRecursively(ownedDirectory);
    }

    /** Starts {@code command} with its output appended to the log; it becomes this server's process. */
    protected final Process launch(List<String> command) throws IOException {
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return process;
    }

    /** The running process, or null after {@link #stop} or {@link #kill}. */
    protected final Process process() {
        return process;
    }

    protected final Path log() {
        return log;
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** A loopback port that is free now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts connections on the loopback port, or fails with the log's tail. */
    static void awaitPort(int port, Duration timeout, Process process, Path log) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + ": " + tail(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port + " after " + timeout + ": " + tail(log));
    }

    /** The last 20 lines of a log, for failure messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
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
}
