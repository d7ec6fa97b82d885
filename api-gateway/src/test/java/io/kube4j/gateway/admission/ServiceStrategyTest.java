package io.kube4j.gateway.admission;

import io.kube4j.gateway.admission.allocation.ServiceAllocators;
import io.kube4j.gateway.admission.allocation.ServiceRangesProperties;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.store.MemoryStore;
import io.kube4j.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Stream;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceStrategyTest {

    private final MemoryStore store = new MemoryStore();
    private final ServiceStrategy strategy = new ServiceStrategy(ServiceAllocators.of(ServiceRangesProperties.defaults()));
    private final AdmissionContext context = new AdmissionContext(store, false);

    /** The seed's nginx Service (scenarios/nginx-service.yaml), with the uid the gateway sets. */
    static final String NGINX = """
            apiVersion: v1
            kind: Service
            metadata:
              name: nginx-service
              namespace: default
              uid: 6f1c2a0e-0000-4000-8000-000000000001
              labels:
                app: nginx
            spec:
              selector:
                app: nginx
              ports:
              - name: nginx-port
                protocol: TCP
                port: 80
                nodePort: 32600
                targetPort: 80
              type: NodePort
            """;

    private ObjectNode create(String yaml, AdmissionContext ctx) {
        ObjectNode service = yaml(yaml);
        strategy.defaults(service);
        strategy.prepareForCreate(service, ctx);
        assertThat(strategy.validate(service, null)).isEmpty();
        return service;
    }

    private static String service(String name, String uid, String spec) {
        return "metadata: {name: " + name + ", namespace: default, uid: " + uid + "}\nspec: " + spec;
    }

    private List<String> allocationKeys() {
        return store.list("/kube4j/allocations/", 0, 0, null).items().stream().map(Store.KeyValue::key).toList();
    }

    @Test
    void defaultsAndAllocatesTheSeedServiceAsKubernetes132ShowsIt() {
        ObjectNode service = create(NGINX, context);
        String ip = service.at("/spec/clusterIP").stringValue();
        assertThat(ip).matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+").isNotEqualTo("10.96.0.1");

        ObjectNode expected = yaml("""
                apiVersion: v1
                kind: Service
                metadata:
                  labels:
                    app: nginx
                  name: nginx-service
                  namespace: default
                  uid: 6f1c2a0e-0000-4000-8000-000000000001
                spec:
                  clusterIP: ALLOCATED
                  clusterIPs:
                  - ALLOCATED
                  externalTrafficPolicy: Cluster
                  internalTrafficPolicy: Cluster
                  ipFamilies:
                  - IPv4
                  ipFamilyPolicy: SingleStack
                  ports:
                  - name: nginx-port
                    nodePort: 32600
                    port: 80
                    protocol: TCP
                    targetPort: 80
                  selector:
                    app: nginx
                  sessionAffinity: None
                  type: NodePort
                status:
                  loadBalancer: {}
                """.replace("ALLOCATED", ip));
        assertThat(service).isEqualTo(expected);
        assertThat(allocationKeys()).containsExactlyInAnyOrder(
                "/kube4j/allocations/serviceips/" + ip, "/kube4j/allocations/nodeports/32600");
    }

    @Test
    void aTakenNodePortIsRefusedAndWhatWasClaimedIsReleased() {
        create(NGINX, context);
        ObjectNode other = yaml(service("other", "uid-2", "{type: NodePort, ports: [{port: 80, nodePort: 32600}]}"));
        strategy.defaults(other);
        assertThatThrownBy(() -> strategy.prepareForCreate(other, context))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Service \"other\" is invalid: spec.ports[0].nodePort: "
                            + "Invalid value: 32600: provided port is already allocated");
                });
        assertThat(allocationKeys()).hasSize(2);
    }

    @Test
    void aNodePortOutsideTheRangeIsRefused() {
        ObjectNode svc = yaml(service("far", "uid-3", "{type: NodePort, ports: [{port: 80, nodePort: 40000}]}"));
        strategy.defaults(svc);
        assertThatThrownBy(() -> strategy.prepareForCreate(svc, context)).hasMessage(
                "Service \"far\" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the "
                        + "valid range. The range of valid ports is 30000-32767");
        assertThat(allocationKeys()).isEmpty();
    }

    @Test
    void aRequestedClusterIpIsHonouredIfFreeAndInRange() {
        ObjectNode svc = create(service("dns", "uid-4", "{clusterIP: 10.96.0.10, ports: [{port: 53, protocol: UDP}]}"), context);
        assertThat(svc.at("/spec/clusterIPs/0").stringValue()).isEqualTo("10.96.0.10");

        ObjectNode again = yaml(service("dns2", "uid-5", "{clusterIP: 10.96.0.10, ports: [{port: 53}]}"));
        strategy.defaults(again);
        assertThatThrownBy(() -> strategy.prepareForCreate(again, context)).hasMessage(
                "Service \"dns2\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to "
                        + "allocate IP 10.96.0.10: provided IP is already allocated");

        ObjectNode outside = yaml(service("dns3", "uid-6", "{clusterIP: 10.0.0.5, ports: [{port: 53}]}"));
        strategy.defaults(outside);
        assertThatThrownBy(() -> strategy.prepareForCreate(outside, context)).hasMessage(
                "Service \"dns3\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: failed to "
                        + "allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of "
                        + "valid IPs is 10.96.0.0/12");
    }

    @Test
    void theKubernetesServiceMayHaveTheFirstAddress() {
        ObjectNode svc = create("metadata: {name: kubernetes, namespace: default, uid: k}\n"
                + "spec: {clusterIP: 10.96.0.1, ports: [{name: https, port: 443, targetPort: 6443}]}", context);
        assertThat(svc.at("/spec/clusterIP").stringValue()).isEqualTo("10.96.0.1");
    }

    @Test
    void dryRunChecksButClaimsNothing() {
        long revision = store.currentRevision();
        ObjectNode svc = create(NGINX, new AdmissionContext(store, true));
        assertThat(svc.at("/spec/clusterIP").stringValue()).startsWith("10.");
        assertThat(svc.at("/spec/ports/0/nodePort").intValue()).isEqualTo(32600);
        assertThat(store.currentRevision()).isEqualTo(revision);

        create(NGINX, context);
        ObjectNode clash = yaml(NGINX);
        ((ObjectNode) clash.get("metadata")).put("uid", "another");
        strategy.defaults(clash);
        assertThatThrownBy(() -> strategy.prepareForCreate(clash, new AdmissionContext(store, true)))
                .hasMessageContaining("provided port is already allocated");
    }

    @Test
    void headlessAndExternalNameServicesAllocateNothing() {
        ObjectNode headless = create(service("db", "uid-7", "{clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}"), context);
        assertThat(headless.get("spec")).isEqualTo(yaml("""
                clusterIP: None
                clusterIPs: [None]
                internalTrafficPolicy: Cluster
                ipFamilies: [IPv4]
                ipFamilyPolicy: SingleStack
                ports: [{port: 5432, protocol: TCP, targetPort: 5432}]
                selector: {app: db}
                sessionAffinity: None
                type: ClusterIP
                """));
        ObjectNode external = create(service("ext", "uid-8", "{type: ExternalName, externalName: db.example.com}"), context);
        assertThat(external.get("spec")).isEqualTo(yaml("""
                externalName: db.example.com
                sessionAffinity: None
                type: ExternalName
                """));
        assertThat(allocationKeys()).isEmpty();
    }

    @Test
    void loadBalancersGetNodePortsAndAHealthCheckPortForLocalTraffic() {
        ObjectNode lb = create(service("lb", "uid-9",
                "{type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 443, targetPort: https}]}"), context);
        assertThat(lb.at("/spec/allocateLoadBalancerNodePorts").booleanValue()).isTrue();
        assertThat(lb.at("/spec/ports/0/nodePort").intValue()).isBetween(30000, 32767);
        assertThat(lb.at("/spec/healthCheckNodePort").intValue()).isBetween(30000, 32767)
                .isNotEqualTo(lb.at("/spec/ports/0/nodePort").intValue());
        assertThat(allocationKeys()).hasSize(3);
    }

    @Test
    void anUpdateKeepsAllocationsAndReleasesWhatItDrops() {
        ObjectNode old = create(NGINX, context);
        String ip = old.at("/spec/clusterIP").stringValue();

        // kubectl replace with the original manifest: clusterIP left out, nodePort kept.
        ObjectNode replaced = yaml(NGINX);
        strategy.defaults(replaced);
        strategy.prepareForUpdate(replaced, old, context);
        assertThat(replaced.at("/spec/clusterIP").stringValue()).isEqualTo(ip);
        assertThat(strategy.validate(replaced, old)).isEmpty();
        assertThat(allocationKeys()).hasSize(2);

        // Becomes ClusterIP: the untouched node port goes with the type, and is released once stored.
        ObjectNode clusterIp = old.deepCopy();
        ((ObjectNode) clusterIp.get("spec")).put("type", "ClusterIP");
        strategy.defaults(clusterIp);
        strategy.prepareForUpdate(clusterIp, old, context);
        assertThat(clusterIp.at("/spec/ports/0/nodePort").isMissingNode()).isTrue();
        assertThat(clusterIp.at("/spec/externalTrafficPolicy").isMissingNode()).isTrue();
        assertThat(strategy.validate(clusterIp, old)).isEmpty();
        strategy.afterUpdate(clusterIp, old, context);
        assertThat(allocationKeys()).containsExactly("/kube4j/allocations/serviceips/" + ip);

        strategy.afterDelete(clusterIp, context);
        assertThat(allocationKeys()).isEmpty();
    }

    @Test
    void anUpdateThatIsNotStoredReleasesWhatItClaimed() {
        ObjectNode old = create(service("web", "uid-10", "{ports: [{port: 80}]}"), context);
        ObjectNode nodePort = old.deepCopy();
        ((ObjectNode) nodePort.get("spec")).put("type", "NodePort");
        strategy.defaults(nodePort);
        strategy.prepareForUpdate(nodePort, old, context);
        assertThat(allocationKeys()).hasSize(2);
        strategy.abortWrite(nodePort, old, context);
        assertThat(allocationKeys()).hasSize(1);
    }

    @Test
    void theClusterIpMayNotChange() {
        ObjectNode old = create(service("web", "uid-11", "{ports: [{port: 80}]}"), context);
        ObjectNode moved = old.deepCopy();
        ((ObjectNode) moved.get("spec")).put("clusterIP", "10.96.0.99").putArray("clusterIPs").add("10.96.0.99");
        assertThat(Trees.rendered(strategy.validate(moved, old)))
                .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: may not change once set");
    }

    record Case(String name, String spec, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("no ports", "{selector: {app: a}}", List.of("spec.ports: Required value")),
                new Case("port zero", "{ports: [{port: 0}]}", List.of(
                        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                        "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive")),
                new Case("unnamed ports", "{ports: [{port: 80}, {port: 443}]}", List.of(
                        "spec.ports[0].name: Required value", "spec.ports[1].name: Required value")),
                new Case("nodePort on ClusterIP", "{ports: [{port: 80, nodePort: 30080}]}",
                        List.of("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'")),
                new Case("unknown type", "{type: Internal, ports: [{port: 80}]}", List.of(
                        "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"")),
                new Case("ExternalName without name", "{type: ExternalName}", List.of("spec.externalName: Required value")),
                new Case("bad protocol", "{ports: [{port: 80, protocol: HTTP}]}", List.of(
                        "spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")),
                new Case("headless NodePort", "{type: NodePort, clusterIP: None, ports: [{port: 80}]}", List.of(
                        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services")),
                new Case("bad cluster IP", "{clusterIP: 10.96.0.300, ports: [{port: 80}]}", List.of(
                        "spec.clusterIPs[0]: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithKubernetesFieldsAndMessages(Case c) {
        ObjectNode svc = yaml(service("s", "uid", c.spec()));
        assertThat(Trees.createErrors(strategy, svc)).containsExactlyElementsOf(c.errors());
        ObjectNode again = yaml(service("s", "uid", c.spec()));
        strategy.defaults(again);
        assertThatThrownBy(() -> strategy.prepareForCreate(again, context)).isInstanceOf(ApiException.class);
        assertThat(allocationKeys()).isEmpty();
    }

    @Test
    void serviceNamesAreDns1035Labels() {
        ObjectNode svc = yaml(service("1web", "uid", "{ports: [{port: 80}]}"));
        assertThat(Trees.createErrors(strategy, svc)).containsExactly("metadata.name: Invalid value: \"1web\": a DNS-1035 "
                + "label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
                + "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void clientIpAffinityGetsItsTimeout() {
        ObjectNode svc = yaml(service("s", "uid", "{sessionAffinity: ClientIP, ports: [{port: 80}]}"));
        strategy.defaults(svc);
        assertThat(svc.at("/spec/sessionAffinityConfig")).isEqualTo(yaml("clientIP: {timeoutSeconds: 10800}"));
    }
}
