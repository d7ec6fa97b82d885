package io.kube4j.proxy.ipvs;

import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.sync.CommandRunner;
import io.kube4j.proxy.sync.ProxyBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The IPVS back end: each sync replaces the IPVS table with the {@link IpvsPlan} in one
 * {@code ipvsadm-restore} (after {@code ipvsadm -C}) and binds the virtual addresses to the dummy
 * interface {@code kube4j-ipvs0}. Masquerading for node ports and hairpin traffic is left to the
 * nftables table in this mode, as kube-proxy's IPVS mode leaves it to iptables.
 * In dry-run mode it prints the ipvsadm rules it would apply and touches nothing.
 */
public final class IpvsBackend implements ProxyBackend {

    static final String DUMMY = "kube4j-ipvs0";
    private static final Logger log = LoggerFactory.getLogger(IpvsBackend.class);

    private final CommandRunner commands;
    private final boolean dryRun;
    private final PrintStream out;
    private IpvsPlan applied;

    public IpvsBackend(CommandRunner commands, boolean dryRun, PrintStream out) {
        this.commands = commands;
        this.dryRun = dryRun;
        this.out = out;
    }

    @Override
    public String mode() {
        return "ipvs";
    }

    @Override
    public void sync(ProxyRules rules) throws IOException {
        IpvsPlan plan = IpvsPlan.of(rules);
        if (plan.equals(applied)) return;
        if (dryRun) {
            out.print("# ipvs --dry-run: " + plan.virtualServers().size() + " virtual servers; addresses on " + DUMMY + ": "
                    + String.join(" ", plan.boundAddresses()) + "\n" + plan.ipvsadmRules());
            out.flush();
            applied = plan;
            return;
        }
        applied = null;
        commands.run(List.of("ip", "link", "add", DUMMY, "type", "dummy"), null);
        for (String address : plan.boundAddresses()) {
            commands.run(List.of("ip", "addr", "replace", address + "/32", "dev", DUMMY), null);
        }
        check(commands.run(List.of("ipvsadm", "-C"), null), "ipvsadm -C");
        check(commands.run(List.of("ipvsadm-restore"), plan.ipvsadmRules()), "ipvsadm-restore");
        applied = plan;
        log.debug("programmed {} IPVS virtual servers", plan.virtualServers().size());
    }

    private static void check(CommandRunner.Result r, String what) throws IOException {
        if (!r.ok()) throw new IOException(what + " failed (" + r.exitCode() + "): " + r.output());
    }

    @Override
    public void cleanup() throws IOException {
        applied = null;
        if (dryRun) return;
        commands.run(List.of("ipvsadm", "-C"), null);
        commands.run(List.of("ip", "link", "del", DUMMY), null);
    }
}
