package io.kube4j.proxy.iptables;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortRules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pure translation of {@link ProxyRules} into {@code iptables-restore} input, kube-proxy's
 * iptables layout: a dispatch chain matched per frontend, per-service chains choosing an
 * endpoint with {@code statistic --mode random} probabilities 1/n, 1/(n-1), …, per-endpoint
 * chains that DNAT (and mark hairpin traffic for masquerade), {@code recent} lists for
 * session affinity, and REJECT in the filter table for Services without endpoints.
 */
public final class IptablesRenderer {

    public static final String SERVICES = "KUBE4J-SERVICES";
    public static final String NODEPORTS = "KUBE4J-NODEPORTS";
    public static final String POSTROUTING = "KUBE4J-POSTROUTING";
    public static final String MARK_MASQ = "KUBE4J-MARK-MASQ";
    public static final String FILTER = "KUBE4J-REJECTS";

    /** The script, and the per-service chains it declares (the next script deletes those it no longer has). */
    public record Script(String text, Set<String> serviceChains) {
    }

    private IptablesRenderer() {
    }

    public static Script render(ProxyRules rules, Set<String> previousChains) {
        StringBuilder nat = new StringBuilder();
        StringBuilder filter = new StringBuilder();
        TreeSet<String> chains = new TreeSet<>();
        List<String> natRules = new ArrayList<>();
        natRules.add("-A " + MARK_MASQ + " -j MARK --or-mark 0x4000");
        natRules.add("-A " + POSTROUTING + " -m mark ! --mark 0x4000/0x4000 -j RETURN");
        natRules.add("-A " + POSTROUTING + " -j MARK --xor-mark 0x4000");
        natRules.add("-A " + POSTROUTING + " -j MASQUERADE");
        List<String> nodePortRules = new ArrayList<>();
        for (ServicePortRules s : rules.services()) {
            String id = hash(s.name() + "/" + s.affinitySeconds());
            String proto = s.name().protocol().lower();
            String svc = "K4J-SVC-" + id;
            String ext = "K4J-EXT-" + id;
            String comment = " -m comment --comment \"" + s.name() + "\"";
            String match = " -p " + proto + " -m " + proto + " --dport " + s.port();
            if (s.endpoints().isEmpty()) {
                filter.append("-A ").append(FILTER).append(comment).append(" -d ").append(s.clusterIP()).append("/32")
                        .append(match).append(" -j REJECT\n");
            } else {
                chains.add(svc);
                natRules.add("-A " + SERVICES + comment + " -d " + s.clusterIP() + "/32" + match + " -j " + svc);
                balance(natRules, chains, svc, id, proto, s.endpoints(), s.affinitySeconds());
            }
            if (!s.hasExternal()) continue;
            List<Backend> external = s.externalEndpoints();
            boolean reachable = s.externalLocal() ? !s.endpoints().isEmpty() || !external.isEmpty() : !s.endpoints().isEmpty();
            if (!reachable) {
                for (String ip : s.externalIPs()) {
                    filter.append("-A ").append(FILTER).append(comment).append(" -d ").append(ip).append("/32").append(match).append(" -j REJECT\n");
                }
                if (s.nodePort() > 0) {
                    for (String address : rules.nodePortAddresses()) {
                        filter.append("-A ").append(FILTER).append(comment).append(" -d ").append(address).append("/32 -p ").append(proto)
                                .append(" -m ").append(proto).append(" --dport ").append(s.nodePort()).append(" -j REJECT\n");
                    }
                }
                continue;
            }
            chains.add(ext);
            if (!s.externalLocal()) {
                natRules.add("-A " + ext + " -j " + MARK_MASQ);
                natRules.add("-A " + ext + " -j " + svc);
            } else {
                if (!s.endpoints().isEmpty()) {
                    natRules.add("-A " + ext + " -m addrtype --src-type LOCAL -j " + MARK_MASQ);
                    natRules.add("-A " + ext + " -m addrtype --src-type LOCAL -j " + svc);
                }
                if (external.isEmpty()) {
                    natRules.add("-A " + ext + " -j DROP");
                } else {
                    String local = "K4J-XLB-" + id;
                    chains.add(local);
                    natRules.add("-A " + ext + " -j " + local);
                    balance(natRules, chains, local, id, proto, external, s.affinitySeconds());
                }
            }
            for (String ip : s.externalIPs()) natRules.add("-A " + SERVICES + comment + " -d " + ip + "/32" + match + " -j " + ext);
            if (s.nodePort() > 0) {
                nodePortRules.add("-A " + NODEPORTS + comment + " -p " + proto + " -m " + proto + " --dport " + s.nodePort() + " -j " + ext);
            }
        }
        for (String address : rules.nodePortAddresses()) natRules.add("-A " + SERVICES + " -d " + address + "/32 -j " + NODEPORTS);
        natRules.addAll(nodePortRules);

        nat.append("*nat\n");
        for (String c : List.of(SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ)) nat.append(':').append(c).append(" - [0:0]\n");
        LinkedHashSet<String> stale = new LinkedHashSet<>(previousChains);
        stale.removeAll(chains);
        for (String c : chains) nat.append(':').append(c).append(" - [0:0]\n");
        // A stale chain is declared (which flushes it) so that its rules' references are gone before -X.
        for (String c : stale) nat.append(':').append(c).append(" - [0:0]\n");
        natRules.forEach(r -> nat.append(r).append('\n'));
        for (String c : stale) nat.append("-X ").append(c).append('\n');
        nat.append("COMMIT\n");
        nat.append("*filter\n:").append(FILTER).append(" - [0:0]\n").append(filter).append("COMMIT\n");
        return new Script(nat.toString(), Set.copyOf(chains));
    }

    private static void balance(List<String> out, Set<String> chains, String chain, String id, String proto,
                                List<Backend> backends, int affinity) {
        int n = backends.size();
        if (affinity > 0) {
            for (Backend b : backends) {
                out.add("-A " + chain + " -m recent --name " + sep(id, b) + " --rcheck --seconds " + affinity + " --reap -j " + sep(id, b));
            }
        }
        for (int i = 0; i < n; i++) {
            Backend b = backends.get(i);
            String pick = i == n - 1 ? "" : String.format(Locale.ROOT, " -m statistic --mode random --probability %.10f", 1.0 / (n - i));
            out.add("-A " + chain + pick + " -j " + sep(id, b));
            if (chains.add(sep(id, b))) {
                out.add("-A " + sep(id, b) + " -s " + b.ip() + "/32 -j " + MARK_MASQ);
                if (affinity > 0) out.add("-A " + sep(id, b) + " -m recent --name " + sep(id, b) + " --set");
                out.add("-A " + sep(id, b) + " -p " + proto + " -m " + proto + " -j DNAT --to-destination " + b);
            }
        }
    }

    private static String sep(String id, Backend b) {
        return "K4J-SEP-" + hash(id + "/" + b);
    }

    /** Sixteen base-32 characters: chain names stay within iptables' 28. */
    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            StringBuilder sb = new StringBuilder(16);
            long bits = 0;
            for (int i = 0; i < 8; i++) bits = bits << 8 | (d[i] & 0xff);
            for (int i = 0; i < 12; i++) sb.append(alphabet.charAt((int) (bits >>> (64 - 5 * (i + 1)) & 31)));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
