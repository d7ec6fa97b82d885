package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl ({@code /usr/bin/kubectl}) run as a user would, against a kubeconfig this class
 * writes: the judge of compatibility in end-to-end tests.
 */
public final class Kubectl {

    private final Path kubeconfig;
    private final Map<String, String> environment;

    private Kubectl(Path kubeconfig, Map<String, String> environment) {
        this.kubeconfig = kubeconfig;
        this.environment = environment;
    }

    /** A kubectl for an HTTPS server with the given CA certificate (PEM) and bearer token. */
    public static Kubectl forServer(String serverUrl, byte[] caPem, String token, Path dir) {
        String caData = caPem == null ? null : Base64.getEncoder().encodeToString(caPem);
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kube4j
                  cluster:
                    server: %s
                %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: kube4j
                  context:
                    cluster: kube4j
                    user: admin
                current-context: kube4j
                """.formatted(serverUrl,
                caData == null ? "" : "    certificate-authority-data: " + caData,
                token == null ? "none" : token);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, config);
            return new Kubectl(file, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A kubectl for the kubeconfig a user was handed (e.g. the one {@code ./kube4j compose-kubeconfig} writes). */
    public static Kubectl forKubeconfig(Path kubeconfig) {
        return new Kubectl(kubeconfig.toAbsolutePath(), Map.of());
    }

    /** The same kubectl with extra environment variables (e.g. {@code EDITOR}). */
    public Kubectl withEnvironment(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.putAll(extra);
        return new Kubectl(kubeconfig, Map.copyOf(env));
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** What one kubectl run printed and how it exited. */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /**
     * Runs kubectl with the arguments; waits at most 60 seconds, or 30 seconds longer than a
     * {@code --timeout=} the arguments give kubectl itself (so kubectl's own timeout speaks first).
     */
    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code stdin} as its standard input. */
    public Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kubectl", ".out");
            Path err = Files.createTempFile("kubectl", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("HOME", kubeconfig.getParent().toString());
            builder.environment().remove("KUBECONFIG");
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            long limit = waitLimitSeconds(args);
            if (!process.waitFor(limit, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish in " + limit + " s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs kubectl and fails with everything it printed unless it exits 0; returns stdout. */
    public String ok(String... args) {
        Result result = run(args);
        if (!result.ok()) throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + result);
        return result.out();
    }

    /** 60 seconds, or kubectl's own {@code --timeout=} (seconds, minutes or hours) plus 30 seconds when longer. */
    static long waitLimitSeconds(String... args) {
        long limit = 60;
        for (String arg : args) {
            var timeout = java.util.regex.Pattern.compile("--(?:request-)?timeout=(\\d+)([smh]?)").matcher(arg);
            if (!timeout.matches()) continue;
            long amount = Long.parseLong(timeout.group(1));
            long seconds = switch (timeout.group(2)) {
                case "m" -> amount * 60;
                case "h" -> amount * 3600;
                default -> amount;
            };
            limit = Math.max(limit, seconds + 30);
        }
        return limit;
    }

    /** The kubectl the tests run: {@code KUBE4J_KUBECTL}, else /usr/bin/kubectl. */
    public static String binary() {
        String configured = System.getenv("KUBE4J_KUBECTL");
        return configured != null && !configured.isBlank() ? configured : "/usr/bin/kubectl";
    }
}
