package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigOptionBuilder;
import io.kube4j.node.cri.api.DNSConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PodDnsTest {

    private static final PodDns.ClusterDns CLUSTER = new PodDns.ClusterDns(List.of("10.96.0.10"), "cluster.local");
    private static final List<String> SHOP_SEARCH = List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local");

    /** {@code expected == null}: the node's own resolver (no DNS config on the sandbox). */
    record Case(String name, Pod pod, PodDns.ClusterDns cluster, DNSConfig expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("ClusterFirst is the default", pod(null, false), CLUSTER, dns(List.of("10.96.0.10"), SHOP_SEARCH, "ndots:5")),
                new Case("ClusterFirst", pod("ClusterFirst", false), CLUSTER, dns(List.of("10.96.0.10"), SHOP_SEARCH, "ndots:5")),
                new Case("ClusterFirst on the host network is Default", pod("ClusterFirst", true), CLUSTER, null),
                new Case("ClusterFirstWithHostNet", pod("ClusterFirstWithHostNet", true), CLUSTER,
                        dns(List.of("10.96.0.10"), SHOP_SEARCH, "ndots:5")),
                new Case("Default", pod("Default", false), CLUSTER, null),
                new Case("no cluster DNS configured", pod("ClusterFirst", false), new PodDns.ClusterDns(List.of(), null), null),
                new Case("another cluster domain", pod(null, false), new PodDns.ClusterDns(List.of("10.0.0.10"), "corp.example"),
                        dns(List.of("10.0.0.10"), List.of("shop.svc.corp.example", "svc.corp.example", "corp.example"), "ndots:5")),
                new Case("None takes only dnsConfig", withConfig(pod("None", false)), CLUSTER,
                        dns(List.of("1.2.3.4"), List.of("ns1.example"), "ndots:2", "edns0")),
                new Case("dnsConfig adds to ClusterFirst; its options win", withConfig(pod("ClusterFirst", false)), CLUSTER,
                        dns(List.of("10.96.0.10", "1.2.3.4"),
                                List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "ns1.example"),
                                "ndots:2", "edns0")),
                new Case("dnsConfig with a server under Default", withConfig(pod("Default", false)), CLUSTER,
                        dns(List.of("1.2.3.4"), List.of("ns1.example"), "ndots:2", "edns0")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void resolvConfFollowsThePolicy(Case c) {
        assertThat(PodDns.config(c.pod(), c.cluster()).orElse(null)).isEqualTo(c.expected());
        var sandbox = PodConfigs.sandbox(c.pod(), 0, Path.of("/logs"), c.cluster());
        assertThat(sandbox.hasDnsConfig()).isEqualTo(c.expected() != null);
    }

    private static Pod pod(String policy, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName("web-0").withNamespace("shop").withUid("u1").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork ? true : null)
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
    }

    private static Pod withConfig(Pod pod) {
        return new PodBuilder(pod).editSpec().withDnsConfig(new PodDNSConfigBuilder()
                .withNameservers("1.2.3.4").withSearches("ns1.example")
                .withOptions(new PodDNSConfigOptionBuilder().withName("ndots").withValue("2").build(),
                        new PodDNSConfigOptionBuilder().withName("edns0").build())
                .build()).endSpec().build();
    }

    private static DNSConfig dns(List<String> servers, List<String> searches, String... options) {
        return DNSConfig.newBuilder().addAllServers(servers).addAllSearches(searches).addAllOptions(List.of(options)).build();
    }
}
