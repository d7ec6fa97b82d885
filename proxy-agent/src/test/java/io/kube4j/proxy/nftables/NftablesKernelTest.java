package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The nftables back end against the real kernel: a node namespace whose table the back end
 * programs, two "pods" in another namespace behind a veth, and a client namespace outside the
 * node. Requests go to the node's service addresses and must reach the pods. Full syncs are
 * staged as in production (rules by nft, the bulk elements over netlink); the subclass
 * {@link NftablesScriptKernelTest} runs the same cases with full syncs as one nft script.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NftablesKernelTest {

    static final String VIP = "10.96.100.10";
    static final String NODE_POD_SIDE = "10.200.0.1";
    static final String POD_A = "10.200.0.2";
    static final String POD_B = "10.200.0.3";
    static final String NODE_CLIENT_SIDE = "10.201.0.1";
    static final String CLIENT = "10.201.0.2";

    NetworkNamespaces netns;
    String node;
    String pods;
    String client;
    NftablesBackend backend;

    /** A back end as a newly started agent has it: it knows nothing of the kernel's tables. */
    NftablesBackend newBackend() {
        return new NftablesBackend("kube4j", new ProcessNftRunner(node), new NetlinkElementLoader(node));
    }

    @BeforeAll
    void namespaces() throws Exception {
        netns = new NetworkNamespaces();
        node = netns.add("node");
        pods = netns.add("pods");
        client = netns.add("client");
        netns.link(node, NODE_POD_SIDE, pods, POD_A);
        netns.addAddress(pods, "k4jb0", POD_B + "/24");
        netns.link(node, NODE_CLIENT_SIDE, client, CLIENT);
        // A host has a default route: without one, the node's own connections to a virtual IP fail
        // at routing, before netfilter sees them.
        netns.exec(node, "ip", "route", "replace", "default", "via", CLIENT);
        netns.sysctl(node, "net.ipv4.ip_forward", "1");
        // NodePorts on 127.0.0.1: DNAT of a loopback-sourced packet to another interface needs it.
        netns.sysctl(node, "net.ipv4.conf.all.route_localnet", "1");
        netns.echoServer(pods, POD_A, 8080, "a");
        netns.echoServer(pods, POD_B, 8080, "b");
        netns.echoServer(pods, POD_B, 8081, "b-8081");
        netns.udpEchoServer(pods, POD_A, 5353, "dns-a");
        netns.udpEchoServer(pods, POD_B, 5353, "dns-b");
        backend = newBackend();
    }

    @AfterAll
    void cleanup() throws Exception {
        if (netns != null) netns.close();
    }

    static ServicePortRules service(String name, String vip, int nodePort, List<Backend> endpoints, boolean local,
                                    List<Backend> localEndpoints, int affinity, List<String> externalIPs) {
        return new ServicePortRules(new ServicePortName("default", name, "http", Protocol.TCP), vip, 80, nodePort,
                externalIPs, endpoints, local, localEndpoints, affinity);
    }

    static List<Backend> both() {
        return List.of(new Backend(POD_A, 8080), new Backend(POD_B, 8080));
    }

    static ProxyRules rules(ServicePortRules... services) {
        return new ProxyRules(List.of(services), List.of(NODE_CLIENT_SIDE, NODE_POD_SIDE, "127.0.0.1"));
    }

    @Test
    void clusterIpBalancesAcrossEndpointsAndNodePortsMasqueradeOutsideTraffic() throws Exception {
        backend.sync(rules(service("web", VIP, 30080, both(), false, List.of(), 0, List.of("10.202.0.9"))));

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40 && seen.size() < 2; i++) seen.add(netns.get(node, VIP, 80).split(" ")[0]);
        assertThat(seen).as("both endpoints answer through the virtual IP").containsExactlyInAnyOrder("a", "b");

        // From outside the node, through the node port: masqueraded, so the pod sees the node's address.
        String viaNodePort = netns.get(client, NODE_CLIENT_SIDE, 30080);
        assertThat(viaNodePort).isNotNull();
        assertThat(viaNodePort.split(" ")[1]).isEqualTo(NODE_POD_SIDE);
        // On the node itself, on every node address and on 127.0.0.1.
        assertThat(netns.get(node, NODE_POD_SIDE, 30080)).isNotNull();
        assertThat(netns.get(node, "127.0.0.1", 30080)).isNotNull();
        // An external IP, routed to the node.
        netns.exec(client, "ip", "route", "replace", "10.202.0.9/32", "via", NODE_CLIENT_SIDE);
        assertThat(netns.get(client, "10.202.0.9", 80)).isNotNull();
    }

    @Test
    void aServiceWithoutEndpointsRefusesAndAnUpdateReachesTheNewEndpoint() throws Exception {
        backend.sync(rules(service("empty", "10.96.100.11", 0, List.of(), false, List.of(), 0, List.of())));
        assertThat(netns.getExitCode(node, "10.96.100.11", 80)).as("curl: connection refused").isEqualTo(7);

        backend.sync(rules(service("empty", "10.96.100.11", 0, List.of(new Backend(POD_B, 8080)), false, List.of(), 0, List.of())));
        assertThat(netns.get(node, "10.96.100.11", 80)).startsWith("b ");
        assertThat(backend.lastSyncSize()).as("an incremental sync, not the whole table").isLessThan(10);

        backend.sync(rules());
        assertThat(netns.getExitCode(node, "10.96.100.11", 80)).as("no rule left: nothing answers").isNotZero();
    }

    @Test
    void endpointsListeningOnDifferentPortsAreEachReachedOnTheirOwnPort() throws Exception {
        backend.sync(rules(service("ports", "10.96.100.15", 0, List.of(new Backend(POD_A, 8080), new Backend(POD_B, 8081)),
                false, List.of(), 0, List.of())));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40 && seen.size() < 2; i++) seen.add(netns.get(node, "10.96.100.15", 80).split(" ")[0]);
        assertThat(seen).containsExactlyInAnyOrder("a", "b-8081");
    }

    @Test
    void udpServicesDnatToo() throws Exception {
        ServicePortRules dns = new ServicePortRules(new ServicePortName("kube-system", "kube-dns", "dns", Protocol.UDP), "10.96.0.10", 53, 0,
                List.of(), List.of(new Backend(POD_B, 5353)), false, List.of(), 0);
        backend.sync(new ProxyRules(List.of(dns), List.of(NODE_POD_SIDE)));
        assertThat(netns.udp(node, "10.96.0.10", 53)).isEqualTo("dns-b");

        ServicePortRules two = new ServicePortRules(dns.name(), "10.96.0.10", 53, 0, List.of(),
                List.of(new Backend(POD_A, 5353), new Backend(POD_B, 5353)), false, List.of(), 0);
        backend.sync(new ProxyRules(List.of(two), List.of(NODE_POD_SIDE)));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 40 && seen.size() < 2; i++) seen.add(netns.udp(node, "10.96.0.10", 53));
        assertThat(seen).as("each new flow may go to either endpoint").containsExactlyInAnyOrder("dns-a", "dns-b");
    }

    @Test
    void servicesWithTheSameEndpointCountShareOnePickChainWhichGoesWithTheLastOfThem() throws Exception {
        ServicePortRules first = service("first", "10.96.100.20", 0, both(), false, List.of(), 0, List.of());
        ServicePortRules second = service("second", "10.96.100.21", 0, both(), false, List.of(), 0, List.of());
        backend.sync(rules(first, second));
        assertThat(chains()).contains("pick-tcp-2").doesNotContain("pick-tcp-1");
        for (String vip : List.of("10.96.100.20", "10.96.100.21")) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 40 && seen.size() < 2; i++) seen.add(netns.get(node, vip, 80).split(" ")[0]);
            assertThat(seen).as("both endpoints answer through " + vip).containsExactlyInAnyOrder("a", "b");
        }

        // One of them down to one endpoint: its own pick chain, the other keeps the shared one.
        ServicePortRules secondOnB = service("second", "10.96.100.21", 0, List.of(new Backend(POD_B, 8080)), false, List.of(), 0, List.of());
        backend.sync(rules(first, secondOnB));
        assertThat(chains()).contains("pick-tcp-1", "pick-tcp-2");
        for (int i = 0; i < 6; i++) assertThat(netns.get(node, "10.96.100.21", 80)).startsWith("b ");

        // The last Service with two endpoints gone: its pick chain goes too.
        backend.sync(rules(secondOnB));
        assertThat(chains()).contains("pick-tcp-1").doesNotContain("pick-tcp-2");
        assertThat(netns.getExitCode(node, "10.96.100.20", 80)).as("the deleted Service's address answers no more").isNotZero();
        assertThat(netns.get(node, "10.96.100.21", 80)).startsWith("b ");
    }

    /** The chains of whichever kube4j table the back end uses. */
    private String chains() throws Exception {
        return netns.tryExec(node, "nft", "list", "chains", "ip").output();
    }

    @Test
    void sessionAffinityKeepsAClientOnOneEndpoint() throws Exception {
        backend.sync(rules(service("sticky", "10.96.100.12", 0, both(), false, List.of(), 600, List.of())));
        netns.exec(client, "ip", "route", "replace", "10.96.100.12/32", "via", NODE_CLIENT_SIDE);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) seen.add(netns.get(client, "10.96.100.12", 80).split(" ")[0]);
        assertThat(seen).as("every request of one client went to one endpoint").hasSize(1);
    }

    @Test
    void externalTrafficPolicyLocalKeepsTheClientAddress() throws Exception {
        backend.sync(rules(service("local", "10.96.100.13", 30081, both(), true, List.of(new Backend(POD_A, 8080)), 0, List.of())));
        for (int i = 0; i < 6; i++) {
            String reply = netns.get(client, NODE_CLIENT_SIDE, 30081);
            assertThat(reply).as("only the local endpoint, and the client's own address").isEqualTo("a " + CLIENT);
        }
    }

    @Test
    void aPodReachingItselfThroughItsServiceIsMasqueraded() throws Exception {
        backend.sync(rules(service("self", "10.96.100.14", 0, List.of(new Backend(POD_A, 8080)), false, List.of(), 0, List.of())));
        String reply = netns.get(pods, "10.96.100.14", 80);
        assertThat(reply).isEqualTo("a " + NODE_POD_SIDE);
    }

    @Test
    void aRestartedAgentsFullSyncReplacesTheTableInUse() throws Exception {
        backend.sync(rules(service("before", "10.96.100.16", 0, both(), false, List.of(), 0, List.of())));
        assertThat(netns.get(node, "10.96.100.16", 80)).isNotNull();

        NftablesBackend restarted = newBackend();
        restarted.sync(rules(service("after", "10.96.100.17", 0, both(), false, List.of(), 0, List.of())));
        backend = restarted;
        assertThat(netns.get(node, "10.96.100.17", 80)).isNotNull();
        assertThat(netns.getExitCode(node, "10.96.100.16", 80)).as("the old table's Service is gone").isNotZero();
        String tables = netns.tryExec(node, "nft", "list", "tables").output();
        assertThat(tables.lines().filter(l -> l.startsWith("table ip kube4j")).toList()).as(tables).hasSize(1);

        // Incremental syncs go to whichever table is in use.
        restarted.sync(rules(service("after", "10.96.100.17", 0, List.of(new Backend(POD_B, 8080)), false, List.of(), 0, List.of())));
        assertThat(restarted.lastSyncSize()).as("an incremental sync").isLessThan(10);
        for (int i = 0; i < 6; i++) assertThat(netns.get(node, "10.96.100.17", 80)).startsWith("b ");
    }

    @Test
    void theElementLoaderAddsElementsAsNftWouldAndReportsTheKernelsRefusal() throws Exception {
        NetworkNamespaces.Result made = netns.tryExec(node, "sh", "-c", "printf '%s\\n' 'add table ip loader-test'"
                + " 'add map ip loader-test slots { typeof ct mark . numgen random mod 2 : ip daddr . th dport ; }'"
                + " 'add set ip loader-test pairs { type ipv4_addr . ipv4_addr ; }'"
                + " 'add map ip loader-test marks { type ipv4_addr . inet_proto . inet_service : mark ; }'"
                + " 'add map ip loader-test verdicts { type ipv4_addr . inet_proto . inet_service : verdict ; }'"
                + " 'add chain ip loader-test pick-udp-10' 'add chain ip loader-test a-chain-with-a-long-name-ns/name/tcp/http'"
                + " | nft -f -");
        assertThat(made.exitCode()).as(made.output()).isZero();
        NetlinkElementLoader loader = new NetlinkElementLoader(node);
        byte[] slots = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(16).putInt(3).array();
        byte[] target = {10, (byte) 200, 0, 2, 0x1f, (byte) 0x90, 0, 0};
        byte[] pair = {10, (byte) 200, 0, 2, 10, (byte) 200, 0, 2};
        byte[] udpKey = {10, 96, 0, 10, 17, 0, 0, 0, 0, 53, 0, 0};
        byte[] tcpKey = {10, 96, 0, 11, 6, 0, 0, 0, 0, 80, 0, 0};
        byte[] mark = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(16).array();
        byte[] keys = java.nio.ByteBuffer.allocate(24).put(udpKey).put(tcpKey).array();
        loader.add("loader-test", List.of(new ElementLoader.SetElements("slots", 8, 8, 1, slots, target),
                new ElementLoader.SetElements("pairs", 8, 0, 1, pair, new byte[0]),
                new ElementLoader.SetElements("marks", 12, 4, 1, udpKey, mark),
                ElementLoader.SetElements.gotos("verdicts", 12, keys, List.of("pick-udp-10", "a-chain-with-a-long-name-ns/name/tcp/http"))));
        String listed = netns.tryExec(node, "nft", "list", "table", "ip", "loader-test").output();
        assertThat(listed).contains("0x00000010 . 3 : 10.200.0.2 . 8080").contains("10.200.0.2 . 10.200.0.2")
                .contains("10.96.0.10 . udp . 53 : 0x00000010")
                .contains("10.96.0.10 . udp . 53 : goto pick-udp-10")
                .contains("10.96.0.11 . tcp . 80 : goto a-chain-with-a-long-name-ns/name/tcp/http");
        assertThat(loader.hasChain("loader-test", "none")).isFalse();

        assertThatThrownBy(() -> loader.add("loader-test", List.of(new ElementLoader.SetElements("absent", 4, 0, 1, mark, new byte[0]))))
                .isInstanceOf(NftRunner.NftException.class).hasMessageContaining("errno 2");
        assertThatThrownBy(() -> loader.add("loader-test", List.of(ElementLoader.SetElements.gotos("verdicts", 12, udpKey, List.of("no-such-chain")))))
                .as("a verdict naming no chain").isInstanceOf(NftRunner.NftException.class);
        netns.exec(node, "nft", "delete", "table", "ip", "loader-test");
    }

    @Test
    void theElementLoaderSplitsAVerdictMapOfManyLongNamedChainsIntoMessages() throws Exception {
        StringBuilder script = new StringBuilder("add table ip loader-split\n"
                + "add map ip loader-split verdicts { type ipv4_addr . inet_proto . inet_service : verdict ; }\n");
        int count = 3000;
        java.nio.ByteBuffer keys = java.nio.ByteBuffer.allocate(count * 12);
        List<String> targets = new java.util.ArrayList<>();
        String longName = "x".repeat(200);
        for (int i = 0; i < count; i++) {
            String chain = longName + (i % 50);
            if (i < 50) script.append("add chain ip loader-split ").append(chain).append('\n');
            keys.put(new byte[]{10, 97, (byte) (i >> 8), (byte) i, 6, 0, 0, 0, 0, 80, 0, 0});
            targets.add(chain);
        }
        java.nio.file.Path file = java.nio.file.Files.createTempFile("split", ".nft");
        java.nio.file.Files.writeString(file, script);
        netns.exec(node, "nft", "-f", file.toString());
        java.nio.file.Files.delete(file);
        // 3,000 elements of ~240 bytes: far more than one message's 64 KiB of elements.
        new NetlinkElementLoader(node).add("loader-split", List.of(ElementLoader.SetElements.gotos("verdicts", 12, keys.array(), targets)));
        String listed = netns.tryExec(node, "nft", "list", "map", "ip", "loader-split", "verdicts").output();
        assertThat(listed.split("goto ", -1)).hasSize(count + 1);
        assertThat(listed).contains("10.97.11.183 . tcp . 80 : goto " + longName + (2999 % 50));
        netns.exec(node, "nft", "delete", "table", "ip", "loader-split");
    }
}
