package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd (with runc and the CNI bridge plugins) as a child process, configured as
 * {@code ./kube4j up} configures a node's containerd — the same script writes the configuration —
 * but with its own root, state, socket, bridge and pod subnet, and with the local images
 * ({@code busybox:1.35}, {@code nginx:1.22}, the pause image) imported.
 *
 * <p>{@link #close()} kills every container it ran, stops containerd, unmounts what it left and
 * deletes its directory. Needs root and the Debian packages containerd, runc,
 * containernetworking-plugins, busybox-static and nginx (the launcher's TEST_APT_PACKAGES).
 */
public final class ContainerdProcess extends ServerProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final String podCidr;
    private final String bridge;
    private final Path script;

    private ContainerdProcess(Path dir, String podCidr, String bridge, Path script) {
        super(dir.resolve("containerd.log"), dir, STOP_TIMEOUT);
        this.dir = dir;
        this.podCidr = podCidr;
        this.bridge = bridge;
        this.script = script;
    }

    /** Starts a containerd with a random pod subnet inside 10.250.0.0/16 and the local images. */
    public static ContainerdProcess start() {
        int third = ThreadLocalRandom.current().nextInt(1, 250);
        return start("10.250." + third + ".0/24");
    }

    /** Starts a containerd whose CNI network hands out addresses from {@code podCidr}. */
    public static ContainerdProcess start(String podCidr) {
        try {
            // Short: unix socket paths are limited to 108 bytes.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "k4jcd");
            String bridge = "k4j" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
            ContainerdProcess containerd = new ContainerdProcess(dir, podCidr, bridge, script());
            containerd.run(List.of("config", dir.toString(), podCidr, bridge));
            containerd.startProcess();
            Path images = imagesDir();
            containerd.run(List.of("images", images.toString()));
            containerd.run(List.of("import", dir.toString(),
                    images.resolve("pause.tar").toString(), images.resolve("busybox.tar").toString(),
                    images.resolve("nginx.tar").toString()));
            return containerd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** containerd's CRI socket. */
    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    public String podCidr() {
        return podCidr;
    }

    /** The directory of this containerd's root, state and CNI configuration. */
    public Path dir() {
        return dir;
    }

    @Override
    protected void startProcess() {
        try {
            Process process = launch(List.of("containerd", "--config", dir.resolve("config.toml").toString()));
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) throw new IllegalStateException("containerd exited: " + tail(log()));
                if (exec(List.of("ready", dir.toString())) == 0) return;
                sleep(100);
            }
            throw new IllegalStateException("containerd not ready after " + START_TIMEOUT + ": " + tail(log()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start containerd; is it installed?", e);
        }
    }

    @Override
    public void close() {
        if (isRunning()) exec(List.of("clean", dir.toString(), bridge));
        stop();
        exec(List.of("clean", dir.toString(), bridge));
        super.close();
    }

    private void run(List<String> args) {
        if (exec(args) != 0) throw new IllegalStateException("containerd-node.sh " + args + " failed: " + tail(log()));
    }

    private int exec(List<String> args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The project's containerd-node.sh, found from the working directory up. */
    static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("node-agent/containerd/containerd-node.sh");
            if (Files.isRegularFile(candidate)) return candidate;
            dir = dir.getParent();
        }
        throw new IllegalStateException("no node-agent/containerd/containerd-node.sh above " + Path.of("").toAbsolutePath());
    }

    /** Where the image tarballs are built once per machine and reused (the script rebuilds them when its inputs change). */
    private static Path imagesDir() throws IOException {
        Path images = Path.of(System.getProperty("java.io.tmpdir"), "kube4j-images");
        Files.createDirectories(images);
        return images;
    }
}
