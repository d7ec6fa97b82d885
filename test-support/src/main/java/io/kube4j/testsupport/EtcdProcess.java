package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real etcd server ({@code /usr/bin/etcd}) as a child process on free loopback ports, with its
 * own data directory. It can be stopped, killed and restarted on the same ports and data, which
 * the crash tests of the store and the relay need. {@link #close()} deletes the data directory
 * when {@link #start()} created it.
 */
public final class EtcdProcess extends ServerProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;

    private EtcdProcess(Path dataDir, Path ownedDirectory, int clientPort, int peerPort) {
        super(dataDir.resolveSibling(dataDir.getFileName() + ".log"), ownedDirectory, STOP_TIMEOUT);
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Starts etcd with a new temporary data directory, deleted on {@link #close()}. */
    public static EtcdProcess start() {
        try {
            Path root = Files.createTempDirectory("kube4j-etcd");
            return start(root.resolve("data"), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts etcd on free ports with the given data directory (created if missing, kept on close). */
    public static EtcdProcess start(Path dataDir) {
        return start(dataDir, null);
    }

    private static EtcdProcess start(Path dataDir, Path ownedDirectory) {
        EtcdProcess etcd = new EtcdProcess(dataDir, ownedDirectory, freePort(), freePort());
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

    @Override
    protected void startProcess() {
        try {
            Files.createDirectories(dataDir);
            String name = "kube4j-test";
            String peer = "http://127.0.0.1:" + peerPort;
            Process process = launch(List.of(binary(),
                    "--name", name,
                    "--data-dir", dataDir.toString(),
                    "--listen-client-urls", endpoint(),
                    "--advertise-client-urls", endpoint(),
                    "--listen-peer-urls", peer,
                    "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", name + "=" + peer,
                    "--quota-backend-bytes", String.valueOf(8L * 1024 * 1024 * 1024)));
            awaitPort(clientPort, START_TIMEOUT, process, log());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd; is etcd-server installed?", e);
        }
    }

    private static String binary() {
        String configured = System.getenv("KUBE4J_ETCD_BINARY");
        if (configured != null && !configured.isBlank()) return configured;
        return Files.isExecutable(Path.of("/usr/bin/etcd")) ? "/usr/bin/etcd" : "etcd";
    }
}
