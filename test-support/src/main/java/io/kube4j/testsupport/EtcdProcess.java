package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A real etcd server ({@code /usr/bin/etcd}) as a child process on free loopback ports, with its
 * own data directory. It can be stopped, killed and restarted on the same ports and data, which
 * the crash tests of the store and the relay need.
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final Path log;
    private Process process;

    private EtcdProcess(Path dataDir, int clientPort, int peerPort) {
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /** Starts etcd with a new temporary data directory. */
    public static EtcdProcess start() {
        try {
            Path root = Files.createTempDirectory("kube4j-etcd");
            return start(root.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts etcd on free ports with the given data directory (created if missing). */
    public static EtcdProcess start(Path dataDir) {
        EtcdProcess etcd = new EtcdProcess(dataDir, freePort(), freePort());
        etcd.startProcess();
        return etcd;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:23790}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops etcd gracefully (SIGTERM) and waits for it to exit. */
    public void stop() {
        if (process == null) return;
        process.destroy();
        waitForExit();
    }

    /** Kills etcd at once (SIGKILL), as a crash would. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitForExit();
    }

    /** Starts etcd again on the same ports with the same data, after {@link #stop} or {@link #kill}. */
    public void restart() {
        if (isRunning()) stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void startProcess() {
        try {
            Files.createDirectories(dataDir);
            String name = "kube4j-test";
            String peer = "http://127.0.0.1:" + peerPort;
            List<String> command = List.of(binary(),
                    "--name", name,
                    "--data-dir", dataDir.toString(),
                    "--listen-client-urls", endpoint(),
                    "--advertise-client-urls", endpoint(),
                    "--listen-peer-urls", peer,
                    "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", name + "=" + peer,
                    "--quota-backend-bytes", String.valueOf(8L * 1024 * 1024 * 1024));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitPort(clientPort, START_TIMEOUT, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd; is etcd-server installed?", e);
        }
    }

    private static String binary() {
        String configured = System.getenv("KUBE4J_ETCD_BINARY");
        if (configured != null && !configured.isBlank()) return configured;
        return Files.isExecutable(Path.of("/usr/bin/etcd")) ? "/usr/bin/etcd" : "etcd";
    }

    /** A loopback port that is free now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
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
