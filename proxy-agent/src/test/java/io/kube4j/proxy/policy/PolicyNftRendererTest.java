package io.kube4j.proxy.policy;

import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.nftables.RecordingNftRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyNftRendererTest {

    record Case(Allow allow, String ingress, String egress) {
    }

    static Stream<Case> matches() {
        return Stream.of(
                new Case(new Allow("0.0.0.0/0", List.of(), null, 0, 0), "", ""),
                new Case(new Allow("10.0.0.1/32", List.of(), null, 0, 0), "ip saddr 10.0.0.1/32 ", "ip daddr 10.0.0.1/32 "),
                new Case(new Allow("10.0.0.0/8", List.of("10.1.0.0/16", "10.2.0.0/16"), Protocol.TCP, 80, 80),
                        "ip saddr 10.0.0.0/8 ip saddr != { 10.1.0.0/16, 10.2.0.0/16 } meta l4proto tcp th dport 80 ",
                        "ip daddr 10.0.0.0/8 ip daddr != { 10.1.0.0/16, 10.2.0.0/16 } meta l4proto tcp th dport 80 "),
                new Case(new Allow("0.0.0.0/0", List.of(), Protocol.UDP, 30000, 30100),
                        "meta l4proto udp th dport 30000-30100 ", "meta l4proto udp th dport 30000-30100 "),
                new Case(new Allow("0.0.0.0/0", List.of(), Protocol.SCTP, 0, 0), "meta l4proto sctp ", "meta l4proto sctp "));
    }

    @ParameterizedTest
    @MethodSource
    void matches(Case c) {
        assertThat(PolicyNftRenderer.match("saddr", c.allow)).isEqualTo(c.ingress);
        assertThat(PolicyNftRenderer.match("daddr", c.allow)).isEqualTo(c.egress);
    }

    static final PolicyRules RULES = new PolicyRules(List.of(
            new PodPolicy("10.0.1.1", "prod/web", true, List.of(new Allow("10.0.2.1/32", List.of(), Protocol.TCP, 8080, 8080)), false, List.of()),
            new PodPolicy("10.0.1.2", "prod/db", true, List.of(), true, List.of(new Allow("0.0.0.0/0", List.of(), Protocol.UDP, 53, 53)))));

    @Test
    void rendersTheWholeTableInOneTransaction() {
        assertThat(PolicyNftRenderer.script("kube4j-policy", RULES)).isEqualTo("""
                add table ip kube4j-policy
                delete table ip kube4j-policy
                add table ip kube4j-policy
                add map ip kube4j-policy ingress-pods { type ipv4_addr : verdict ; }
                add map ip kube4j-policy egress-pods { type ipv4_addr : verdict ; }
                add chain ip kube4j-policy forward { type filter hook forward priority 0 ; policy accept ; }
                add rule ip kube4j-policy forward ct state established,related accept
                add rule ip kube4j-policy forward ip saddr vmap @egress-pods
                add rule ip kube4j-policy forward ip daddr vmap @ingress-pods
                add chain ip kube4j-policy ingress-10.0.1.1-prod/web
                add rule ip kube4j-policy ingress-10.0.1.1-prod/web ip saddr 10.0.2.1/32 meta l4proto tcp th dport 8080 accept
                add rule ip kube4j-policy ingress-10.0.1.1-prod/web drop
                add chain ip kube4j-policy ingress-10.0.1.2-prod/db
                add rule ip kube4j-policy ingress-10.0.1.2-prod/db drop
                add chain ip kube4j-policy egress-10.0.1.2-prod/db
                add rule ip kube4j-policy egress-10.0.1.2-prod/db meta l4proto udp th dport 53 return
                add rule ip kube4j-policy egress-10.0.1.2-prod/db drop
                add element ip kube4j-policy ingress-pods { 10.0.1.1 : jump ingress-10.0.1.1-prod/web, 10.0.1.2 : jump ingress-10.0.1.2-prod/db }
                add element ip kube4j-policy egress-pods { 10.0.1.2 : jump egress-10.0.1.2-prod/db }
                """);
    }

    @Test
    void theBackendProgramsOnlyChangesAndEverythingAgainAfterAFailure() throws Exception {
        RecordingNftRunner nft = new RecordingNftRunner();
        NftPolicyBackend backend = new NftPolicyBackend("kube4j-policy", nft);
        backend.sync(RULES);
        backend.sync(RULES);
        assertThat(nft.scripts()).hasSize(1);
        nft.failNext("Error: Could not process rule");
        PolicyRules fewer = new PolicyRules(RULES.pods().subList(0, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> backend.sync(fewer)).isInstanceOf(Exception.class);
        backend.sync(fewer);
        assertThat(nft.scripts()).hasSize(3);
        assertThat(nft.last()).contains("ingress-10.0.1.1-prod/web").doesNotContain("10.0.1.2");
        backend.sync(PolicyRules.empty());
        assertThat(nft.last()).doesNotContain("add chain ip kube4j-policy ingress-").doesNotContain("add element");
    }
}
