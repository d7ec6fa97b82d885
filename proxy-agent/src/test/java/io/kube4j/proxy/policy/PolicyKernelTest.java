package io.kube4j.proxy.policy;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.nftables.NetworkNamespaces;
import io.kube4j.proxy.nftables.NftablesBackend;
import io.kube4j.proxy.nftables.ProcessNftRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kube4j.proxy.policy.PolicyFixtures.namespace;
import static io.kube4j.proxy.policy.PolicyFixtures.pod;
import static io.kube4j.proxy.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * NetworkPolicies from their YAML to the real kernel: a node namespace that routes between two
 * "pod" namespaces and a client namespace, each behind its own veth, the policy table programmed
 * in the node, and real connections that must pass or be dropped. The Service rules run beside
 * it, so a connection through a ClusterIP meets the policy of the pod it was sent to.
 */
class PolicyKernelTest {

    static final String WEB = "10.210.0.2";
    static final String TOOL = "10.211.0.2";
    static final String CLIENT = "10.212.0.2";
    static final String VIP = "10.96.110.10";

    static NetworkNamespaces netns;
    static String node;
    static String web;
    static String tool;
    static String client;
    static NftPolicyBackend policies;

    @BeforeAll
    static void namespaces() throws Exception {
        netns = new NetworkNamespaces();
        node = netns.add("node");
        web = netns.add("web");
        tool = netns.add("tool");
        client = netns.add("client");
        netns.link(node, "10.210.0.1", web, WEB);
        netns.link(node, "10.211.0.1", tool, TOOL);
        netns.link(node, "10.212.0.1", client, CLIENT);
        netns.sysctl(node, "net.ipv4.ip_forward", "1");
        netns.echoServer(web, WEB, 8080, "web");
        netns.echoServer(web, WEB, 9090, "web-admin");
        netns.echoServer(client, CLIENT, 8080, "client");
        policies = new NftPolicyBackend("kube4j-policy", new ProcessNftRunner(node));
        new NftablesBackend("kube4j", new ProcessNftRunner(node)).sync(new ProxyRules(List.of(new ServicePortRules(
                new ServicePortName("prod", "web", "http", Protocol.TCP), VIP, 80, 0, List.of(),
                List.of(new Backend(WEB, 8080)), false, List.of(), 0)), List.of()));
        for (String ns : List.of(tool, client)) netns.exec(ns, "ip", "route", "replace", VIP + "/32", "via", ns.equals(tool) ? "10.211.0.1" : "10.212.0.1");
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (netns != null) netns.close();
    }

    @Test
    void podsOnOneBridgeAreFilteredToo() throws Exception {
        // As the CNI bridge plugin wires a node's pods: one Linux bridge, a veth per pod, bridged
        // IPv4 passed to netfilter (what the agent switches on), so the forward hook sees it.
        String bridged = netns.add("bridged");
        String p1 = netns.add("p1");
        String p2 = netns.add("p2");
        netns.exec(bridged, "ip", "link", "add", "k4jbr0", "type", "bridge");
        netns.exec(bridged, "ip", "link", "set", "k4jbr0", "up");
        netns.sysctl(bridged, "net.bridge.bridge-nf-call-iptables", "1");
        int i = 0;
        for (String pod : List.of(p1, p2)) {
            i++;
            netns.exec(bridged, "ip", "link", "add", "k4jv" + i, "type", "veth", "peer", "name", "eth0", "netns", pod);
            netns.exec(bridged, "ip", "link", "set", "k4jv" + i, "master", "k4jbr0", "up");
            netns.exec(pod, "ip", "addr", "add", "10.246.0.1" + i + "/24", "dev", "eth0");
            netns.exec(pod, "ip", "link", "set", "eth0", "up");
        }
        netns.echoServer(p1, "10.246.0.11", 8080, "p1");
        assertThat(netns.get(p2, "10.246.0.11", 8080)).startsWith("p1 ");

        NftPolicyBackend onBridge = new NftPolicyBackend("kube4j-policy", new ProcessNftRunner(bridged));
        var pods = List.of(pod("prod", "p1", "10.246.0.11", "node", Map.of("app", "p1")),
                pod("prod", "p2", "10.246.0.12", "node", Map.of("app", "p2")));
        onBridge.sync(NetworkPolicyComputation.compute(new PolicyState(List.of(policy("prod", "deny", """
                podSelector: {matchLabels: {app: p1}}
                policyTypes: [Ingress]
                """)), pods, List.of(namespace("prod", Map.of())), "node")));
        assertThat(netns.getExitCode(p2, "10.246.0.11", 8080)).as("denied across the bridge").isEqualTo(28);
        onBridge.sync(PolicyRules.empty());
        assertThat(netns.get(p2, "10.246.0.11", 8080)).startsWith("p1 ");
    }

    static PolicyRules compute(String... specs) {
        var pods = List.of(pod("prod", "web", WEB, "node", Map.of("app", "web")),
                pod("prod", "tool", TOOL, "node", Map.of("app", "tool")));
        var list = new java.util.ArrayList<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy>();
        for (int i = 0; i < specs.length; i++) list.add(policy("prod", "p" + i, specs[i]));
        return NetworkPolicyComputation.compute(new PolicyState(list, pods, List.of(namespace("prod", Map.of())), "node"));
    }

    @Test
    void onlyWhatAPolicyAllowsPassesAndRepliesAlwaysDo() throws Exception {
        assertThat(netns.get(client, WEB, 8080)).as("no policy: open").startsWith("web ");

        policies.sync(compute("""
                podSelector: {matchLabels: {app: web}}
                ingress:
                - from: [{podSelector: {matchLabels: {app: tool}}}]
                  ports: [{port: http}]
                """, """
                podSelector: {matchLabels: {app: tool}}
                policyTypes: [Egress]
                egress:
                - to: [{ipBlock: {cidr: 10.210.0.0/16, except: [10.212.0.0/24]}}]
                """));
        assertThat(netns.get(tool, WEB, 8080)).as("allowed peer on the named port").isEqualTo("web " + TOOL);
        assertThat(netns.getExitCode(tool, WEB, 9090)).as("another port of the isolated pod: dropped").isEqualTo(28);
        assertThat(netns.getExitCode(client, WEB, 8080)).as("a peer no rule names: dropped").isEqualTo(28);
        assertThat(netns.get(web, CLIENT, 8080)).as("web's egress is not isolated; the reply passes").isEqualTo("client " + WEB);
        assertThat(netns.getExitCode(tool, CLIENT, 8080)).as("tool's egress: only inside the ipBlock, minus except").isEqualTo(28);
        assertThat(netns.get(tool, VIP, 80)).as("through the ClusterIP, judged on the chosen pod").isEqualTo("web " + TOOL);
        assertThat(netns.getExitCode(client, VIP, 80)).as("through the ClusterIP from a peer no rule names").isEqualTo(28);

        policies.sync(PolicyRules.empty());
        assertThat(netns.get(client, WEB, 8080)).as("policies gone: open again").startsWith("web ");
        assertThat(netns.get(tool, CLIENT, 8080)).startsWith("client ");
    }
}
