package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RuleComputationTest {

    static final String NODE = "node-1";

    record Case(String name, List<Service> services, List<EndpointSlice> slices, List<Endpoints> endpoints,
                List<ServicePortRules> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Service service(String name, UnaryOperator<ServiceBuilder> more) {
        return more.apply(new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(name).endMetadata()
                .withNewSpec().withClusterIP("10.96.0.20").withType("ClusterIP").withSelector(Map.of("app", name))
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80).build())
                .endSpec()).build();
    }

    record Ep(String ip, String node, Boolean ready, Boolean serving, Boolean terminating) {
        static Ep ready(String ip, String node) {
            return new Ep(ip, node, true, true, false);
        }

        static Ep terminating(String ip, String node) {
            return new Ep(ip, node, false, true, true);
        }

        static Ep notReady(String ip) {
            return new Ep(ip, NODE, false, false, false);
        }
    }

    static EndpointSlice slice(String service, String name, String portName, int port, Ep... endpoints) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withLabels(Map.of(RuleComputation.SERVICE_NAME_LABEL, service)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(portName).withProtocol("TCP").withPort(port).endPort();
        for (Ep e : endpoints) {
            b.addToEndpoints(new EndpointBuilder().withAddresses(e.ip).withNodeName(e.node)
                    .withNewConditions().withReady(e.ready).withServing(e.serving).withTerminating(e.terminating).endConditions()
                    .build());
        }
        return b.build();
    }

    static ServicePortRules expected(String name, int nodePort, List<String> external, List<Backend> endpoints,
                                     boolean local, List<Backend> localEndpoints, int affinity) {
        return expected(name, nodePort, external, endpoints, local, localEndpoints, affinity, List.of());
    }

    static ServicePortRules expected(String name, int nodePort, List<String> external, List<Backend> endpoints,
                                     boolean local, List<Backend> localEndpoints, int affinity, List<Backend> otherNodes) {
        return new ServicePortRules(new ServicePortName("ns", name, "http", Protocol.TCP), "10.96.0.20", 80, nodePort,
                external, endpoints, local, localEndpoints, affinity, otherNodes);
    }

    static Backend b(String ip) {
        return new Backend(ip, 8080);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("ClusterIP: ready endpoints only, sorted, deduplicated across slices; another node's are marked so",
                        List.of(service("web", s -> s)),
                        List.of(slice("web", "web-a", "http", 8080, Ep.ready("10.244.0.9", NODE), Ep.notReady("10.244.0.7")),
                                slice("web", "web-b", "http", 8080, Ep.ready("10.244.0.3", "node-2"), Ep.ready("10.244.0.9", NODE))),
                        List.of(),
                        List.of(expected("web", 0, List.of(), List.of(b("10.244.0.3"), b("10.244.0.9")), false, List.of(b("10.244.0.9")), 0,
                                List.of(b("10.244.0.3"))))),
                new Case("no ready endpoint: the serving terminating ones carry the traffic",
                        List.of(service("web", s -> s)),
                        List.of(slice("web", "web-a", "http", 8080, Ep.terminating("10.244.0.5", "node-2"), Ep.notReady("10.244.0.6"))),
                        List.of(),
                        List.of(expected("web", 0, List.of(), List.of(b("10.244.0.5")), false, List.of(), 0, List.of(b("10.244.0.5"))))),
                new Case("slice ports match the Service port by name; other ports are ignored",
                        List.of(service("web", s -> s)),
                        List.of(slice("web", "web-a", "metrics", 9090, Ep.ready("10.244.0.5", NODE))),
                        List.of(),
                        List.of(expected("web", 0, List.of(), List.of(), false, List.of(), 0))),
                new Case("NodePort with externalTrafficPolicy Local: this node's endpoints for external traffic",
                        List.of(service("web", s -> s.editSpec().withType("NodePort").withExternalTrafficPolicy("Local")
                                .editFirstPort().withNodePort(32600).endPort().endSpec())),
                        List.of(slice("web", "web-a", "http", 8080, Ep.ready("10.244.0.5", NODE), Ep.ready("10.244.1.5", "node-2"))),
                        List.of(),
                        List.of(expected("web", 32600, List.of(), List.of(b("10.244.0.5"), b("10.244.1.5")), true, List.of(b("10.244.0.5")), 0,
                                List.of(b("10.244.1.5"))))),
                new Case("internalTrafficPolicy Local: the cluster IP leads to this node's endpoints only",
                        List.of(service("web", s -> s.editSpec().withInternalTrafficPolicy("Local").endSpec())),
                        List.of(slice("web", "web-a", "http", 8080, Ep.ready("10.244.0.5", NODE), Ep.ready("10.244.1.5", "node-2"))),
                        List.of(),
                        List.of(expected("web", 0, List.of(), List.of(b("10.244.0.5")), false, List.of(b("10.244.0.5")), 0))),
                new Case("LoadBalancer: ingress IPs and external IPs are frontends too",
                        List.of(service("web", s -> s.editSpec().withType("LoadBalancer").withExternalIPs("192.0.2.7")
                                .editFirstPort().withNodePort(31000).endPort().endSpec()
                                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("192.0.2.100").endIngress().endLoadBalancer().endStatus())),
                        List.of(slice("web", "web-a", "http", 8080, Ep.ready("10.244.0.5", NODE))),
                        List.of(),
                        List.of(expected("web", 31000, List.of("192.0.2.100", "192.0.2.7"), List.of(b("10.244.0.5")), false, List.of(b("10.244.0.5")), 0))),
                new Case("sessionAffinity ClientIP: the configured timeout, else three hours",
                        List.of(service("web", s -> s.editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig()
                                .withNewClientIP().withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig().endSpec()),
                                service("api", s -> s.editSpec().withSessionAffinity("ClientIP").endSpec())),
                        List.of(slice("web", "web-a", "http", 8080), slice("api", "api-a", "http", 8080)),
                        List.of(),
                        List.of(expected("api", 0, List.of(), List.of(), false, List.of(), 10800),
                                expected("web", 0, List.of(), List.of(), false, List.of(), 60))),
                new Case("headless and ExternalName Services program nothing",
                        List.of(service("headless", s -> s.editSpec().withClusterIP("None").endSpec()),
                                service("external", s -> s.editSpec().withType("ExternalName").withClusterIP(null)
                                        .withExternalName("example.org").endSpec())),
                        List.of(slice("headless", "headless-a", "http", 8080, Ep.ready("10.244.0.5", NODE))),
                        List.of(),
                        List.of()),
                new Case("selector-less Service: its hand-written Endpoints, ready and not ready addresses",
                        List.of(service("outside", s -> s.editSpec().withSelector(Map.of()).endSpec())),
                        List.of(),
                        List.of(new EndpointsBuilder().withNewMetadata().withNamespace("ns").withName("outside").endMetadata()
                                .withSubsets(new EndpointSubsetBuilder()
                                        .withAddresses(new EndpointAddressBuilder().withIp("192.0.2.50").build())
                                        .withNotReadyAddresses(new EndpointAddressBuilder().withIp("192.0.2.51").build())
                                        .withPorts(new EndpointPortBuilder().withName("http").withPort(8080).withProtocol("TCP").build())
                                        .build()).build()),
                        List.of(expected("outside", 0, List.of(), List.of(b("192.0.2.50")), false, List.of(), 0))),
                new Case("selector-less Service with a hand-made EndpointSlice: the slice wins over Endpoints",
                        List.of(service("outside", s -> s.editSpec().withSelector(Map.of()).endSpec())),
                        List.of(slice("outside", "outside-1", "http", 8080, Ep.ready("192.0.2.60", null))),
                        List.of(new EndpointsBuilder().withNewMetadata().withNamespace("ns").withName("outside").endMetadata()
                                .withSubsets(new EndpointSubsetBuilder()
                                        .withAddresses(new EndpointAddressBuilder().withIp("192.0.2.50").build())
                                        .withPorts(new EndpointPortBuilder().withName("http").withPort(8080).build()).build()).build()),
                        List.of(expected("outside", 0, List.of(), List.of(b("192.0.2.60")), false, List.of(), 0))),
                new Case("a Service with a selector and no slice yet waits unprogrammed; its Endpoints are not read",
                        List.of(service("web", s -> s)),
                        List.of(),
                        List.of(new EndpointsBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata()
                                .withSubsets(new EndpointSubsetBuilder()
                                        .withAddresses(new EndpointAddressBuilder().withIp("192.0.2.50").build())
                                        .withPorts(new EndpointPortBuilder().withName("http").withPort(8080).build()).build()).build()),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computesTheRules(Case c) {
        ProxyRules rules = RuleComputation.compute(new ClusterState(c.services, c.slices, c.endpoints, NODE, List.of("10.0.0.5", "127.0.0.1")));
        assertThat(rules.services()).containsExactlyElementsOf(c.expected);
        assertThat(rules.nodePortAddresses()).containsExactly("10.0.0.5", "127.0.0.1");
    }
}
