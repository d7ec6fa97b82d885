package io.kube4j.proxy.nftables;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the real {@code nft -f -}, optionally inside a network namespace ({@code ip netns exec NS})
 * for tests and benchmarks that must not touch the host's rules.
 */
public final class ProcessNftRunner implements NftRunner {

    private final List<String> command;

    public ProcessNftRunner(String netns) {
        List<String> c = new ArrayList<>();
        if (netns != null && !netns.isBlank()) c.addAll(List.of("ip", "netns", "exec", netns));
        c.addAll(List.of("nft", "-f", "-"));
        this.command = List.copyOf(c);
    }

    /** Whether an {@code nft} binary answers here. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("nft", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void run(String script) throws NftException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            // nft reads the whole script before it sends the batch, so a pipe never deadlocks on
            // its output; the output is read after the script is written.
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) throw new NftException("nft -f failed (" + rc + "): " + abbreviate(output));
        } catch (IOException e) {
            throw new NftException("cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted while nft ran");
        }
    }

    private static String abbreviate(String output) {
        return output.length() > 4000 ? output.substring(0, 4000) + "…" : output;
    }
}
