package io.kube4j.proxy.iptables;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.nftables.NetworkNamespaces;
import io.kube4j.proxy.sync.CommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The iptables back end against the real kernel, in a node namespace the test made (see the nftables kernel test). */
class IptablesKernelTest {

    static NetworkNamespaces netns;
    static String node;
    static String pods;
    static IptablesBackend backend;

    @BeforeAll
    static void namespaces() throws Exception {
        netns = new NetworkNamespaces();
        node = netns.add("node");
        pods = netns.add("pods");
        netns.link(node, "10.220.0.1", pods, "10.220.0.2");
        netns.addAddress(pods, "k4jb0", "10.220.0.3/24");
        netns.exec(node, "ip", "route", "replace", "default", "via", "10.220.0.2");
        netns.sysctl(node, "net.ipv4.conf.all.route_localnet", "1");
        netns.echoServer(pods, "10.220.0.2", 8080, "a");
        netns.echoServer(pods, "10.220.0.3", 8080, "b");
        backend = new IptablesBackend(CommandRunner.process(node));
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (netns != null) netns.close();
    }

    static ProxyRules rules(List<Backend> endpoints) {
        return new ProxyRules(List.of(new ServicePortRules(new ServicePortName("default", "web", "http", Protocol.TCP),
                "10.96.200.10", 80, 30090, List.of(), endpoints, false, List.of(), 0)), List.of("10.220.0.1", "127.0.0.1"));
    }

    @Test
    void clusterIpAndNodePortReachBothEndpointsThenAServiceWithoutEndpointsRefuses() throws Exception {
        backend.sync(rules(List.of(new Backend("10.220.0.2", 8080), new Backend("10.220.0.3", 8080))));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40 && seen.size() < 2; i++) seen.add(netns.get(node, "10.96.200.10", 80).split(" ")[0]);
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
        assertThat(netns.get(node, "127.0.0.1", 30090)).isNotNull();
        assertThat(netns.get(node, "10.220.0.1", 30090)).isNotNull();

        backend.sync(rules(List.of()));
        assertThat(netns.getExitCode(node, "10.96.200.10", 80)).as("curl: connection refused").isEqualTo(7);

        backend.cleanup();
        assertThat(netns.tryExec(node, "iptables-save").output()).doesNotContain("KUBE4J", "K4J-");
    }
}
