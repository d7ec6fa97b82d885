package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.kube4j.proxy.model.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kube4j.proxy.policy.PolicyFixtures.namespace;
import static io.kube4j.proxy.policy.PolicyFixtures.pod;
import static io.kube4j.proxy.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

class NetworkPolicyComputationTest {

    // ns "prod" (team=a): web 10.0.1.1 on node-1, db 10.0.1.2 on node-1, cache 10.0.2.1 on node-2
    // ns "dev" (team=b): tool 10.0.2.2 on node-2
    static final List<Pod> PODS = List.of(
            pod("prod", "web", "10.0.1.1", "node-1", Map.of("app", "web", "tier", "front")),
            pod("prod", "db", "10.0.1.2", "node-1", Map.of("app", "db")),
            pod("prod", "cache", "10.0.2.1", "node-2", Map.of("app", "cache", "tier", "back")),
            pod("dev", "tool", "10.0.2.2", "node-2", Map.of("app", "tool")));
    static final List<Namespace> NAMESPACES = List.of(namespace("prod", Map.of("team", "a")), namespace("dev", Map.of("team", "b")));

    static Allow all(String cidr) {
        return new Allow(cidr, List.of(), null, 0, 0);
    }

    static Allow tcp(String cidr, int port) {
        return new Allow(cidr, List.of(), Protocol.TCP, port, port);
    }

    record Case(String name, List<NetworkPolicy> policies, List<PodPolicy> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no policy isolates nothing", List.of(), List.of()),
                new Case("deny all ingress: an empty podSelector selects every pod of its namespace, no rule allows anything",
                        List.of(policy("prod", "deny", """
                                podSelector: {}
                                policyTypes: [Ingress]
                                """)),
                        List.of(new PodPolicy("10.0.1.1", "prod/web", true, List.of(), false, List.of()),
                                new PodPolicy("10.0.1.2", "prod/db", true, List.of(), false, List.of()),
                                new PodPolicy("10.0.2.1", "prod/cache", true, List.of(), false, List.of()))),
                new Case("policyTypes unset: Ingress, and Egress because egress rules exist",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: db}}
                                egress:
                                - to: [{podSelector: {matchLabels: {app: cache}}}]
                                """)),
                        List.of(new PodPolicy("10.0.1.2", "prod/db", true, List.of(), true, List.of(all("10.0.2.1/32"))))),
                new Case("podSelector peers are pods of the policy's namespace only; ports TCP by default",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: db}}
                                ingress:
                                - from: [{podSelector: {}}]
                                  ports: [{port: 5432}]
                                """)),
                        List.of(new PodPolicy("10.0.1.2", "prod/db", true,
                                List.of(tcp("10.0.1.1/32", 5432), tcp("10.0.1.2/32", 5432), tcp("10.0.2.1/32", 5432)), false, List.of()))),
                new Case("namespaceSelector alone: every pod of the matching namespaces",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: web}}
                                ingress:
                                - from: [{namespaceSelector: {matchLabels: {team: b}}}]
                                """)),
                        List.of(new PodPolicy("10.0.1.1", "prod/web", true, List.of(all("10.0.2.2/32")), false, List.of()))),
                new Case("namespaceSelector and podSelector in one peer: both must hold",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: web}}
                                ingress:
                                - from: [{namespaceSelector: {}, podSelector: {matchExpressions: [{key: tier, operator: Exists}]}}]
                                """)),
                        List.of(new PodPolicy("10.0.1.1", "prod/web", true, List.of(all("10.0.1.1/32"), all("10.0.2.1/32")), false, List.of()))),
                new Case("ipBlock with except; host bits cleared",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: web}}
                                ingress:
                                - from: [{ipBlock: {cidr: 192.168.1.7/16, except: [192.168.5.0/24, 192.168.1.0/24]}}]
                                """)),
                        List.of(new PodPolicy("10.0.1.1", "prod/web", true,
                                List.of(new Allow("192.168.0.0/16", List.of("192.168.1.0/24", "192.168.5.0/24"), null, 0, 0)), false, List.of()))),
                new Case("ports: named (the selected pod's for ingress), endPort ranges, protocol without port",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: web}}
                                ingress:
                                - ports:
                                  - {port: http}
                                  - {port: dns, protocol: UDP}
                                  - {port: missing}
                                  - {port: 32000, endPort: 32768}
                                  - {protocol: SCTP}
                                """)),
                        List.of(new PodPolicy("10.0.1.1", "prod/web", true, List.of(
                                tcp("0.0.0.0/0", 8080),
                                new Allow("0.0.0.0/0", List.of(), Protocol.TCP, 32000, 32768),
                                new Allow("0.0.0.0/0", List.of(), Protocol.UDP, 5353, 5353),
                                new Allow("0.0.0.0/0", List.of(), Protocol.SCTP, 0, 0)), false, List.of()))),
                new Case("egress to a named port resolves on each peer pod; an ipBlock narrows to the pods inside it",
                        List.of(policy("dev", "p", """
                                podSelector: {}
                                policyTypes: [Egress]
                                egress:
                                - to: [{ipBlock: {cidr: 10.0.1.0/24, except: [10.0.1.2/32]}}]
                                  ports: [{port: http}]
                                """)),
                        List.of(new PodPolicy("10.0.2.2", "dev/tool", false, List.of(), true, List.of(tcp("10.0.1.1/32", 8080))))),
                new Case("two policies selecting one pod: the union of their rules",
                        List.of(policy("prod", "a", """
                                podSelector: {matchLabels: {app: db}}
                                ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
                                """), policy("prod", "b", """
                                podSelector: {matchLabels: {app: db}}
                                ingress: [{from: [{podSelector: {matchLabels: {app: cache}}}]}]
                                """)),
                        List.of(new PodPolicy("10.0.1.2", "prod/db", true, List.of(all("10.0.1.1/32"), all("10.0.2.1/32")), false, List.of()))),
                new Case("an empty rule allows everything; Egress-only leaves ingress open",
                        List.of(policy("prod", "p", """
                                podSelector: {matchLabels: {app: cache}}
                                policyTypes: [Egress]
                                egress: [{}]
                                """)),
                        List.of(new PodPolicy("10.0.2.1", "prod/cache", false, List.of(), true, List.of(all("0.0.0.0/0"))))));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void computes(Case c) {
        assertThat(NetworkPolicyComputation.compute(new PolicyState(c.policies, PODS, NAMESPACES, null)).pods())
                .containsExactlyElementsOf(c.expected);
    }

    @Test
    void onlyThisNodesPodsAreFilteredButPeersComeFromEveryNode() {
        NetworkPolicy p = policy("prod", "p", """
                podSelector: {}
                ingress: [{from: [{podSelector: {matchLabels: {app: cache}}}]}]
                """);
        PolicyRules rules = NetworkPolicyComputation.compute(new PolicyState(List.of(p), PODS, NAMESPACES, "node-1"));
        assertThat(rules.pods()).extracting(PodPolicy::pod).containsExactly("prod/web", "prod/db");
        assertThat(rules.pods().getFirst().ingress()).containsExactly(all("10.0.2.1/32"));
    }

    @Test
    void podsWithoutAddressOnTheHostNetworkOrFinishedTakeNoPart() {
        Pod pending = pod("prod", "pending", null, "node-1", Map.of("app", "web"));
        Pod host = pod("prod", "host", "10.0.9.9", "node-1", Map.of("app", "web"));
        host.getSpec().setHostNetwork(true);
        Pod done = pod("prod", "done", "10.0.9.8", "node-1", Map.of("app", "web"));
        done.getStatus().setPhase("Succeeded");
        NetworkPolicy p = policy("prod", "p", """
                podSelector: {matchLabels: {app: web}}
                ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
                """);
        PolicyRules rules = NetworkPolicyComputation.compute(new PolicyState(List.of(p),
                List.of(PODS.getFirst(), pending, host, done), NAMESPACES, null));
        assertThat(rules.pods()).containsExactly(new PodPolicy("10.0.1.1", "prod/web", true, List.of(all("10.0.1.1/32")), false, List.of()));
    }
}
