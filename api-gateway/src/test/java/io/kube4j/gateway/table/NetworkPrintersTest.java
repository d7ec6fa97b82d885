package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkPrintersTest {

    record Case(String title, ResourceType type, String object, String expected) {
        @Override
        public String toString() {
            return type.kind() + ": " + title;
        }
    }

    private static final String META = "\"metadata\":{\"name\":\"s\",\"namespace\":\"default\",\"creationTimestamp\":\"2026-11-24T12:00:00Z\"}";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("cluster IP", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
                          "selector":{"k8s-app":"kube-dns"},"ports":[{"name":"dns","port":53,"protocol":"UDP"},
                          {"name":"dns-tcp","port":53,"protocol":"TCP"},{"name":"metrics","port":9153,"protocol":"TCP"}]}}""".formatted(META),
                        "[\"s\",\"ClusterIP\",\"10.96.0.10\",\"<none>\",\"53/UDP,53/TCP,9153/TCP\",\"24h\",\"k8s-app=kube-dns\"]"),
                new Case("cluster IP with external IPs", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"ClusterIP","clusterIPs":["10.96.1.1"],"externalIPs":["192.0.2.10","192.0.2.11"],
                          "ports":[{"port":80,"protocol":"TCP"}]}}""".formatted(META),
                        "[\"s\",\"ClusterIP\",\"10.96.1.1\",\"192.0.2.10,192.0.2.11\",\"80/TCP\",\"24h\",\"<none>\"]"),
                new Case("headless", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"ClusterIP","clusterIP":"None","clusterIPs":["None"],"selector":{"app":"db"},
                          "ports":[{"port":5432,"protocol":"TCP"}]}}""".formatted(META),
                        "[\"s\",\"ClusterIP\",\"None\",\"<none>\",\"5432/TCP\",\"24h\",\"app=db\"]"),
                new Case("node port, two ports", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"NodePort","clusterIP":"10.96.12.34","clusterIPs":["10.96.12.34"],
                          "selector":{"app":"web"},"ports":[{"name":"http","port":80,"nodePort":32600,"protocol":"TCP"},
                          {"name":"https","port":443,"nodePort":32443,"protocol":"TCP"}]}}""".formatted(META),
                        "[\"s\",\"NodePort\",\"10.96.12.34\",\"<none>\",\"80:32600/TCP,443:32443/TCP\",\"24h\",\"app=web\"]"),
                new Case("load balancer, pending", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"LoadBalancer","clusterIPs":["10.96.5.5"],"ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]},
                         "status":{"loadBalancer":{}}}""".formatted(META),
                        "[\"s\",\"LoadBalancer\",\"10.96.5.5\",\"<pending>\",\"80:31000/TCP\",\"24h\",\"<none>\"]"),
                new Case("load balancer, provisioned", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"LoadBalancer","clusterIPs":["10.96.5.5"],"ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]},
                         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"},{"hostname":"lb.example.com"},{"ip":"203.0.113.2"}]}}}""".formatted(META),
                        "[\"s\",\"LoadBalancer\",\"10.96.5.5\",\"203.0.113.2,203.0.113.9,lb.example.com\",\"80:31000/TCP\",\"24h\",\"<none>\"]"),
                new Case("load balancer with external IPs", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"LoadBalancer","clusterIPs":["10.96.5.5"],"externalIPs":["192.0.2.1"],
                          "ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]},
                         "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.9"}]}}}""".formatted(META),
                        "[\"s\",\"LoadBalancer\",\"10.96.5.5\",\"203.0.113.9,192.0.2.1\",\"80:31000/TCP\",\"24h\",\"<none>\"]"),
                new Case("external name", BuiltInTypes.SERVICE, """
                        {%s,"spec":{"type":"ExternalName","externalName":"db.example.com"}}""".formatted(META),
                        "[\"s\",\"ExternalName\",\"<none>\",\"db.example.com\",\"<none>\",\"24h\",\"<none>\"]"),
                new Case("no endpoints", BuiltInTypes.ENDPOINTS, """
                        {%s}""".formatted(META),
                        "[\"s\",\"<none>\",\"24h\"]"),
                new Case("two addresses, one port", BuiltInTypes.ENDPOINTS, """
                        {%s,"subsets":[{"addresses":[{"ip":"10.244.1.5"},{"ip":"10.244.2.7"}],"ports":[{"port":8080,"protocol":"TCP"}]}]}""".formatted(META),
                        "[\"s\",\"10.244.1.5:8080,10.244.2.7:8080\",\"24h\"]"),
                new Case("more than three", BuiltInTypes.ENDPOINTS, """
                        {%s,"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"},{"ip":"fd00::3"}],
                          "ports":[{"name":"http","port":80},{"name":"https","port":443}]}]}""".formatted(META),
                        "[\"s\",\"10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...\",\"24h\"]"),
                new Case("headless without ports", BuiltInTypes.ENDPOINTS, """
                        {%s,"subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}]}]}""".formatted(META),
                        "[\"s\",\"10.0.0.1,10.0.0.2\",\"24h\"]"),
                new Case("slice", BuiltInTypes.ENDPOINT_SLICE, """
                        {%s,"addressType":"IPv4","ports":[{"name":"http","port":80,"protocol":"TCP"}],
                         "endpoints":[{"addresses":["10.244.1.5"],"conditions":{"ready":true}},{"addresses":["10.244.2.7"]}]}""".formatted(META),
                        "[\"s\",\"IPv4\",\"80\",\"10.244.1.5,10.244.2.7\",\"24h\"]"),
                new Case("empty slice", BuiltInTypes.ENDPOINT_SLICE, """
                        {%s,"addressType":"IPv6","endpoints":[]}""".formatted(META),
                        "[\"s\",\"IPv6\",\"<unset>\",\"<unset>\",\"24h\"]"),
                new Case("slice with many endpoints and named ports", BuiltInTypes.ENDPOINT_SLICE, """
                        {%s,"addressType":"IPv4","ports":[{"name":"a"},{"port":81},{}, {"port":83}],
                         "endpoints":[{"addresses":["10.0.0.1","10.0.0.2"]},{"addresses":["10.0.0.3"]},{"addresses":["10.0.0.4"]}]}""".formatted(META),
                        "[\"s\",\"IPv4\",\"a,81,* + 1 more...\",\"10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...\",\"24h\"]"),
                new Case("hosts and TLS", BuiltInTypes.INGRESS, """
                        {%s,"spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example.com"],"secretName":"tls"}],
                          "rules":[{"host":"a.example.com"},{"host":"b.example.com"}]},
                         "status":{"loadBalancer":{"ingress":[{"ip":"192.0.2.50"}]}}}""".formatted(META),
                        "[\"s\",\"nginx\",\"a.example.com,b.example.com\",\"192.0.2.50\",\"80, 443\",\"24h\"]"),
                new Case("default backend only", BuiltInTypes.INGRESS, """
                        {%s,"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}""".formatted(META),
                        "[\"s\",\"<none>\",\"*\",\"\",\"80\",\"24h\"]"),
                new Case("many hosts", BuiltInTypes.INGRESS, """
                        {%s,"spec":{"rules":[{"host":"a"},{"host":"b"},{"host":"c"},{"host":"d"},{"host":"e"}]}}""".formatted(META),
                        "[\"s\",\"<none>\",\"a,b,c + 2 more...\",\"\",\"80\",\"24h\"]"),
                new Case("with parameters", BuiltInTypes.INGRESS_CLASS, """
                        {%s,"spec":{"controller":"k8s.io/ingress-nginx","parameters":{"apiGroup":"k8s.example.com",
                          "kind":"IngressParameters","name":"external-lb"}}}""".formatted(META),
                        "[\"s\",\"k8s.io/ingress-nginx\",\"IngressParameters.k8s.example.com/external-lb\",\"24h\"]"),
                new Case("without parameters", BuiltInTypes.INGRESS_CLASS, """
                        {%s,"spec":{"controller":"example.com/ingress"}}""".formatted(META),
                        "[\"s\",\"example.com/ingress\",\"<none>\",\"24h\"]"),
                new Case("selects some pods", BuiltInTypes.NETWORK_POLICY, """
                        {%s,"spec":{"podSelector":{"matchLabels":{"role":"db"}},"policyTypes":["Ingress"]}}""".formatted(META),
                        "[\"s\",\"role=db\",\"24h\"]"),
                new Case("selects every pod", BuiltInTypes.NETWORK_POLICY, """
                        {%s,"spec":{"podSelector":{},"policyTypes":["Ingress"]}}""".formatted(META),
                        "[\"s\",\"<none>\",\"24h\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsCellsAsKubernetesDoes(Case c) {
        assertThat(Printed.cells(c.type(), c.object())).isEqualTo(c.expected());
    }
}
