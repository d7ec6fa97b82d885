package io.kube4j.proxy.routes;

import io.kube4j.proxy.sync.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the main routing table hold exactly the desired {@link PodRoute}s among the routes this
 * agent owns, which it marks with its own routing protocol number ({@code proto 148}) so that
 * routes others made are never touched and a restarted agent finds and corrects what it made.
 *
 * <p>Contract: {@link #sync} is called from one thread at a time; it is idempotent (the routes
 * are read back from the kernel each time, and only differences are changed). A route the kernel
 * refuses (a gateway that is not on a connected network) is reported in the result and tried
 * again at the next sync; the others are still programmed.
 */
public final class PodRouteProgrammer {

    private static final Logger log = LoggerFactory.getLogger(PodRouteProgrammer.class);
    /** The routing protocol number that marks the routes this agent owns. */
    public static final String PROTO = "148";

    private final CommandRunner commands;

    public PodRouteProgrammer(CommandRunner commands) {
        this.commands = commands;
    }

    /** Routes the kernel holds with this agent's protocol: CIDR → gateway. */
    public Map<String, String> current() throws IOException {
        CommandRunner.Result r = commands.run(List.of("ip", "-4", "route", "show", "proto", PROTO), null);
        if (!r.ok()) throw new IOException("ip route show failed: " + r.output().trim());
        Map<String, String> out = new HashMap<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || f[0].isEmpty()) continue;
            String via = null;
            for (int i = 1; i + 1 < f.length; i++) if (f[i].equals("via")) via = f[i + 1];
            // "ip route" prints a /32 without its length.
            out.put(f[0].contains("/") ? f[0] : f[0] + "/32", via);
        }
        return out;
    }

    /** Programs {@code desired}; returns the routes that failed, with the kernel's message. */
    public List<String> sync(List<PodRoute> desired) throws IOException {
        Map<String, String> current = current();
        List<String> failures = new ArrayList<>();
        Map<String, String> wanted = new HashMap<>();
        for (PodRoute r : desired) wanted.put(r.cidr(), r.via());
        for (Map.Entry<String, String> e : current.entrySet()) {
            if (wanted.containsKey(e.getKey())) continue;
            CommandRunner.Result r = commands.run(List.of("ip", "-4", "route", "del", e.getKey(), "proto", PROTO), null);
            if (r.ok()) log.info("route to pods {} via {} removed", e.getKey(), e.getValue());
            else failures.add("del " + e.getKey() + ": " + r.output().trim());
        }
        for (PodRoute route : desired) {
            if (route.via().equals(current.get(route.cidr()))) continue;
            CommandRunner.Result r = commands.run(List.of("ip", "-4", "route", "replace", route.cidr(), "via", route.via(),
                    "proto", PROTO), null);
            if (r.ok()) log.info("route to pods {} via {}", route.cidr(), route.via());
            else failures.add(route.cidr() + " via " + route.via() + ": " + r.output().trim());
        }
        return failures;
    }
}
