package io.kube4j.proxy.sync;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the kernel tools the iptables and IPVS back ends drive ({@code iptables-restore},
 * {@code ipvsadm-restore}, …). Contract: {@link #run} returns the exit code and output; it does
 * not throw for a non-zero exit. Implementations are thread-safe.
 */
public interface CommandRunner {

    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> command, String stdin) throws IOException;

    /** The real thing, optionally inside a network namespace. */
    static CommandRunner process(String netns) {
        return (command, stdin) -> {
            List<String> c = new ArrayList<>();
            if (netns != null && !netns.isBlank()) c.addAll(List.of("ip", "netns", "exec", netns));
            c.addAll(command);
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                return new Result(p.waitFor(), out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + String.join(" ", c) + " ran", e);
            }
        };
    }
}
