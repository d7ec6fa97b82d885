package io.kube4j.proxy.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A fake {@link ElementLoader}: records what it is given; chains "exist" where a test says so. */
final class RecordingElementLoader implements ElementLoader {

    record Call(String table, List<SetElements> sets) {
    }

    final List<Call> calls = new ArrayList<>();
    final Set<String> chains = new HashSet<>();

    @Override
    public void add(String table, List<SetElements> sets) {
        calls.add(new Call(table, sets));
    }

    @Override
    public boolean hasChain(String table, String chain) {
        return chains.contains(table + " " + chain);
    }
}
