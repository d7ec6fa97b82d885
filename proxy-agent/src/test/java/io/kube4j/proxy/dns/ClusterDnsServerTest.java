package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DNS server over real sockets on loopback, asked by dnsjava's own resolver over UDP and TCP;
 * names outside the cluster go to an upstream that is a second server of this kind.
 */
class ClusterDnsServerTest {

    static ClusterDnsServer upstream;
    static ClusterDnsServer server;

    static Service service(String ns, String name, String clusterIP, String type, String externalName) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIP).withExternalName(externalName)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec().build();
    }

    static EndpointSlice slice(String ns, String service, Map<String, String> hostToIp, String notReadyIp) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(service + "-x")
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        hostToIp.forEach((host, ip) -> b.addNewEndpoint().withAddresses(ip).withHostname(host)
                .withNewConditions().withReady(true).endConditions().endEndpoint());
        if (notReadyIp != null) b.addNewEndpoint().withAddresses(notReadyIp).withNewConditions().withReady(false).endConditions().endEndpoint();
        return b.build();
    }

    @BeforeAll
    static void start() throws IOException {
        DnsRecords outside = DnsRecords.build("example.test", List.of(service("ns", "www", "192.0.2.80", "ClusterIP", null)), List.of());
        upstream = new ClusterDnsServer(new ClusterDnsResolver(() -> outside, q -> {
            throw new IOException("no upstream");
        }), "127.0.0.1", 0);
        DnsRecords cluster = DnsRecords.build("cluster.local",
                List.of(service("default", "web", "10.96.0.20", "ClusterIP", null),
                        service("default", "db", "None", "ClusterIP", null),
                        service("default", "search", null, "ExternalName", "www.ns.svc.example.test")),
                List.of(slice("default", "db", Map.of("db-0", "10.244.0.10", "db-1", "10.244.0.11"), "10.244.0.12")));
        server = new ClusterDnsServer(new ClusterDnsResolver(() -> cluster,
                new ResolverUpstream(List.of("127.0.0.1:" + upstream.port()), Duration.ofSeconds(2))), "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (upstream != null) upstream.close();
    }

    record Case(String name, String type, int rcode, List<String> answers) {
        @Override
        public String toString() {
            return type + " " + name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("web.default.svc.cluster.local.", "A", Rcode.NOERROR, List.of("10.96.0.20")),
                new Case("WEB.Default.svc.cluster.local.", "A", Rcode.NOERROR, List.of("10.96.0.20")),
                new Case("_http._tcp.web.default.svc.cluster.local.", "SRV", Rcode.NOERROR, List.of("0 100 80 web.default.svc.cluster.local.")),
                new Case("db.default.svc.cluster.local.", "A", Rcode.NOERROR, List.of("10.244.0.10", "10.244.0.11")),
                new Case("db-1.db.default.svc.cluster.local.", "A", Rcode.NOERROR, List.of("10.244.0.11")),
                new Case("_http._tcp.db.default.svc.cluster.local.", "SRV", Rcode.NOERROR,
                        List.of("0 50 8080 db-0.db.default.svc.cluster.local.", "0 50 8080 db-1.db.default.svc.cluster.local.")),
                new Case("search.default.svc.cluster.local.", "A", Rcode.NOERROR, List.of("www.ns.svc.example.test.")),
                new Case("web.default.svc.cluster.local.", "AAAA", Rcode.NOERROR, List.of()),
                new Case("nothing.default.svc.cluster.local.", "A", Rcode.NXDOMAIN, List.of()),
                new Case("10-244-0-7.default.pod.cluster.local.", "A", Rcode.NOERROR, List.of("10.244.0.7")),
                new Case("www.ns.svc.example.test.", "A", Rcode.NOERROR, List.of("192.0.2.80")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersOverUdpAndTcp(Case c) throws Exception {
        for (boolean tcp : List.of(false, true)) {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.port()));
            resolver.setTCP(tcp);
            resolver.setTimeout(Duration.ofSeconds(3));
            Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(c.name), Type.value(c.type), 1)));
            assertThat(reply.getRcode()).as("rcode over %s", tcp ? "TCP" : "UDP").isEqualTo(c.rcode);
            List<String> answers = reply.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).sorted().toList();
            assertThat(answers).as("answers over %s", tcp ? "TCP" : "UDP").containsExactlyElementsOf(c.answers);
        }
    }

    @Test
    void negativeAnswersCarryTheZonesSoa() throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.port()));
        Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("nothing.default.svc.cluster.local."), Type.A, 1)));
        assertThat(reply.getSection(Section.AUTHORITY)).singleElement()
                .satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA));
    }

    /** On the wildcard address every one of the machine's addresses answers UDP from itself (a connected socket takes nothing else). */
    @Test
    void onTheWildcardAddressEachAddressAnswersFromItself() throws Exception {
        DnsRecords cluster = DnsRecords.build("cluster.local", List.of(service("default", "web", "10.96.0.20", "ClusterIP", null)), List.of());
        try (ClusterDnsServer wildcard = new ClusterDnsServer(new ClusterDnsResolver(() -> cluster, q -> {
            throw new IOException("no upstream");
        }), "0.0.0.0", 0)) {
            List<java.net.InetAddress> addresses = new java.util.ArrayList<>();
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) continue;
                for (var a : java.util.Collections.list(nic.getInetAddresses())) if (a instanceof java.net.Inet4Address) addresses.add(a);
            }
            assertThat(addresses).isNotEmpty();
            byte[] query = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, 1)).toWire();
            for (var address : addresses) {
                try (var socket = new java.net.DatagramSocket()) {
                    socket.connect(new InetSocketAddress(address, wildcard.port()));
                    socket.setSoTimeout(3000);
                    socket.send(new java.net.DatagramPacket(query, query.length));
                    var packet = new java.net.DatagramPacket(new byte[512], 512);
                    socket.receive(packet);
                    Message reply = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                    assertThat(reply.getSection(Section.ANSWER)).as("from %s", address).singleElement()
                            .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.96.0.20"));
                }
            }
        }
    }

    /**
     * An address that appears after the server started (the bridge to nodes added later) answers once the
     * addresses are read again, and one that went is let go; 127.0.0.2 stands in for it (all of 127/8 is local).
     */
    @Test
    void onTheWildcardAddressAddressesThatComeAndGoAreFollowed() throws Exception {
        DnsRecords cluster = DnsRecords.build("cluster.local", List.of(service("default", "web", "10.96.0.20", "ClusterIP", null)), List.of());
        java.net.InetAddress first = java.net.InetAddress.getByName("127.0.0.1");
        java.net.InetAddress later = java.net.InetAddress.getByName("127.0.0.2");
        var present = new java.util.concurrent.atomic.AtomicReference<>(List.of(first));
        try (ClusterDnsServer wildcard = new ClusterDnsServer(new ClusterDnsResolver(() -> cluster, q -> {
            throw new IOException("no upstream");
        }), "0.0.0.0", 0, present::get, Duration.ZERO)) {
            assertThat(wildcard.udpAddresses()).containsExactly(first);

            present.set(List.of(first, later));
            wildcard.refreshAddresses();
            assertThat(wildcard.udpAddresses()).containsExactlyInAnyOrder(first, later);
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(later, wildcard.port()));
            resolver.setTimeout(Duration.ofSeconds(3));
            Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, 1)));
            assertThat(reply.getSection(Section.ANSWER)).singleElement()
                    .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.96.0.20"));

            present.set(List.of(first));
            wildcard.refreshAddresses();
            assertThat(wildcard.udpAddresses()).containsExactly(first);
            // The port is free on the address that went: nothing of the server holds it any more.
            try (var socket = new java.net.DatagramSocket(new InetSocketAddress(later, wildcard.port()))) {
                assertThat(socket.isBound()).isTrue();
            }
        }
    }
}
