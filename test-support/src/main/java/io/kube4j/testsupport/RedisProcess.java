package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Redis server ({@code redis-server}) as a child process on a free loopback port, without
 * persistence (as the launcher runs it: Redis holds only ephemeral data). It can be stopped,
 * killed and restarted on the same port, which tests of losing Redis need. {@link #close()}
 * deletes its temporary directory.
 */
public final class RedisProcess extends ServerProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;

    private RedisProcess(Path dir, int port) {
        super(dir.resolve("redis.log"), dir, STOP_TIMEOUT);
        this.dir = dir;
        this.port = port;
    }

    /** Starts Redis on a free port with a new temporary directory, deleted on {@link #close()}. */
    public static RedisProcess start() {
        try {
            RedisProcess redis = new RedisProcess(Files.createTempDirectory("kube4j-redis"), freePort());
            redis.startProcess();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    @Override
    protected void startProcess() {
        try {
            Process process = launch(List.of(binary(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
            awaitPort(port, START_TIMEOUT, process, log());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis; is redis-server installed?", e);
        }
    }

    private static String binary() {
        String configured = System.getenv("KUBE4J_REDIS_BINARY");
        if (configured != null && !configured.isBlank()) return configured;
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
    }
}
