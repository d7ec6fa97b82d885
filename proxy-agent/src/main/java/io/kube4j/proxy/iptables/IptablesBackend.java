package io.kube4j.proxy.iptables;

import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.sync.CommandRunner;
import io.kube4j.proxy.sync.ProxyBackend;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The iptables back end, the fallback where nftables is missing: every sync is one
 * {@code iptables-restore --noflush} of the kube4j chains (a restore is one transaction per
 * table), after making sure the built-in chains jump to them.
 */
public final class IptablesBackend implements ProxyBackend {

    /** Built-in chain → the kube4j chain it jumps to, in that table. */
    private static final List<List<String>> JUMPS = List.of(
            List.of("nat", "PREROUTING", IptablesRenderer.SERVICES),
            List.of("nat", "OUTPUT", IptablesRenderer.SERVICES),
            List.of("nat", "POSTROUTING", IptablesRenderer.POSTROUTING),
            List.of("filter", "INPUT", IptablesRenderer.FILTER),
            List.of("filter", "FORWARD", IptablesRenderer.FILTER),
            List.of("filter", "OUTPUT", IptablesRenderer.FILTER));

    private final CommandRunner commands;
    private Set<String> chains = Set.of();
    private boolean jumpsChecked;
    private String lastScript;

    public IptablesBackend(CommandRunner commands) {
        this.commands = commands;
    }

    @Override
    public String mode() {
        return "iptables";
    }

    @Override
    public void sync(ProxyRules rules) throws IOException {
        IptablesRenderer.Script script = IptablesRenderer.render(rules, chains);
        if (script.text().equals(lastScript)) return;
        CommandRunner.Result r = commands.run(List.of("iptables-restore", "--noflush"), script.text());
        if (!r.ok()) {
            lastScript = null;
            throw new IOException("iptables-restore failed (" + r.exitCode() + "): " + r.output());
        }
        chains = script.serviceChains();
        lastScript = script.text();
        if (!jumpsChecked) {
            ensureJumps();
            jumpsChecked = true;
        }
    }

    private void ensureJumps() throws IOException {
        for (List<String> j : JUMPS) {
            List<String> rule = List.of("-j", j.get(2));
            if (commands.run(concat(List.of("iptables", "-t", j.get(0), "-C", j.get(1)), rule), null).ok()) continue;
            CommandRunner.Result r = commands.run(concat(List.of("iptables", "-t", j.get(0), "-I", j.get(1), "1"), rule), null);
            if (!r.ok()) throw new IOException("cannot add the jump from " + j.get(1) + " to " + j.get(2) + ": " + r.output());
        }
    }

    @Override
    public void cleanup() throws IOException {
        for (List<String> j : JUMPS) commands.run(List.of("iptables", "-t", j.get(0), "-D", j.get(1), "-j", j.get(2)), null);
        sync(ProxyRules.empty());
        for (String c : List.of(IptablesRenderer.SERVICES, IptablesRenderer.NODEPORTS, IptablesRenderer.POSTROUTING, IptablesRenderer.MARK_MASQ)) {
            commands.run(List.of("iptables", "-t", "nat", "-F", c), null);
            commands.run(List.of("iptables", "-t", "nat", "-X", c), null);
        }
        commands.run(List.of("iptables", "-t", "filter", "-F", IptablesRenderer.FILTER), null);
        commands.run(List.of("iptables", "-t", "filter", "-X", IptablesRenderer.FILTER), null);
        lastScript = null;
        chains = Set.of();
        jumpsChecked = false;
    }

    @Override
    public long lastSyncSize() {
        return lastScript == null ? 0 : lastScript.lines().count();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
