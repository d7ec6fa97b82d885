package io.kube4j.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Redis server ({@code redis-server}, installed by the launcher) as a child process on a
 * free loopback port, without persistence, as {@code ./kube4j up} runs it. It can be stopped,
 * killed and restarted on the same port, which tests of "Redis is down" need; {@link #close()}
 * deletes the directory {@link #start()} created.
 *
 * <p>{@link #command(String...)} speaks RESP itself so that tests can write what a node agent
 * writes without a client library.
 */
public final class RedisProcess extends ServerProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;

    private RedisProcess(Path dir, Path ownedDirectory, int port) {
        super(dir.resolve("redis.log"), ownedDirectory, STOP_TIMEOUT);
        this.dir = dir;
        this.port = port;
    }

    /** Starts Redis in a new temporary directory, deleted on {@link #close()}. */
    public static RedisProcess start() {
        try {
            Path root = Files.createTempDirectory("kube4j-redis");
            RedisProcess redis = new RedisProcess(root, root, freePort());
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
            Files.createDirectories(dir);
            Process process = launch(List.of(binary(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()));
            awaitPort(port, START_TIMEOUT, process, log());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server; is redis-server installed?", e);
        }
    }

    /**
     * Sends one command and returns its reply: a simple string, an error ({@code -ERR …}), an
     * integer or a bulk string as text, or null for a null reply. Arrays are not read.
     */
    public String command(String... args) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = line(in);
            return switch (line.charAt(0)) {
                case '+', ':' -> line.substring(1);
                case '-' -> line;
                case '$' -> {
                    int length = Integer.parseInt(line.substring(1));
                    if (length < 0) yield null;
                    String value = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                    in.readNBytes(2);
                    yield value;
                }
                default -> throw new IllegalStateException("unexpected reply to " + args[0] + ": " + line);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + String.join(" ", args), e);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') line.append((char) b);
        }
        if (line.isEmpty()) throw new IOException("connection closed");
        return line.toString();
    }

    private static String binary() {
        String configured = System.getenv("KUBE4J_REDIS_BINARY");
        if (configured != null && !configured.isBlank()) return configured;
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
    }
}
