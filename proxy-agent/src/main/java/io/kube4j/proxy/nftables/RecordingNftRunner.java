package io.kube4j.proxy.nftables;

import java.util.ArrayList;
import java.util.List;

/**
 * A fake nftables for unit tests: records every script and applies none; {@link #failNext}
 * makes the next run fail as a kernel refusal would.
 */
public final class RecordingNftRunner implements NftRunner {

    private final List<String> scripts = new ArrayList<>();
    private String failure;

    @Override
    public synchronized void run(String script) throws NftException {
        scripts.add(script);
        if (failure != null) {
            String message = failure;
            failure = null;
            throw new NftException(message);
        }
    }

    public synchronized void failNext(String message) {
        failure = message;
    }

    public synchronized List<String> scripts() {
        return List.copyOf(scripts);
    }

    public synchronized String last() {
        return scripts.isEmpty() ? null : scripts.getLast();
    }
}
