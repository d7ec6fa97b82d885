package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A kubectl that keeps running ({@code get -w}), read line by line while the test acts: the test
 * waits for what the watch prints instead of sleeping and hoping it was open in time.
 */
final class StreamingKubectl implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();

    private StreamingKubectl(Process process) {
        this.process = process;
        Thread.ofVirtual().name("streaming-kubectl").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process was stopped; what it printed so far stays readable
            }
        });
    }

    static StreamingKubectl start(Kubectl kubectl, String... args) {
        return start(kubectl, false, args);
    }

    /**
     * Also reads what kubectl logs on stderr: with {@code -v=6} it logs each request once answered,
     * which tells a test when a watch is open.
     */
    static StreamingKubectl startWithLog(Kubectl kubectl, String... args) {
        return start(kubectl, true, args);
    }

    private static StreamingKubectl start(Kubectl kubectl, boolean withLog, String... args) {
        List<String> command = new ArrayList<>();
        String configured = System.getenv("KUBE4J_KUBECTL");
        command.add(configured != null && !configured.isBlank() ? configured : "/usr/bin/kubectl");
        command.add("--kubeconfig=" + kubectl.kubeconfig());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (withLog) builder.redirectErrorStream(true);
        else builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HOME", kubectl.kubeconfig().getParent().toString());
        builder.environment().remove("KUBECONFIG");
        try {
            return new StreamingKubectl(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until some printed line matches; fails with everything printed if none does in time. */
    String awaitLine(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (matching.test(line)) return line;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no matching line in " + timeout + "; printed:\n" + String.join("\n", lines));
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
