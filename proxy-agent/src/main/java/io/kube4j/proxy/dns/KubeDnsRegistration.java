package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.proxy.model.RuleComputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * Makes the cluster DNS reachable at a fixed virtual IP: the selector-less Service
 * {@code kube-system/kube-dns} (created when missing, never changed when present: an
 * administrator's edits win) and this node's EndpointSlice {@code kube-dns-<node>} naming this
 * node's DNS server. Pods' resolv.conf points at the Service's cluster IP; the proxy rules carry
 * the queries to a node's server. Idempotent.
 */
public final class KubeDnsRegistration {

    public static final String NAMESPACE = "kube-system";
    public static final String SERVICE = "kube-dns";
    static final String MANAGED_BY = "proxy-agent.kube4j.io";
    private static final Logger log = LoggerFactory.getLogger(KubeDnsRegistration.class);

    private KubeDnsRegistration() {
    }

    public static Service desiredService(String clusterIP) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SERVICE)
                .withLabels(Map.of("k8s-app", "kube-dns", "kubernetes.io/name", "CoreDNS")).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIP)
                .withPorts(new ServicePortBuilder().withName("dns").withProtocol("UDP").withPort(53).build(),
                        new ServicePortBuilder().withName("dns-tcp").withProtocol("TCP").withPort(53).build())
                .endSpec().build();
    }

    public static EndpointSlice desiredSlice(String nodeName, String address, int port) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SERVICE + "-" + nodeName)
                .withLabels(Map.of(RuleComputation.SERVICE_NAME_LABEL, SERVICE,
                        "endpointslice.kubernetes.io/managed-by", MANAGED_BY)).endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint().withAddresses(address).withNodeName(nodeName)
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().endEndpoint()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(port).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(port).endPort()
                .build();
    }

    public static void ensure(KubernetesClient client, String clusterIP, String nodeName, String address, int port) {
        if (client.services().inNamespace(NAMESPACE).withName(SERVICE).get() == null) {
            try {
                client.services().inNamespace(NAMESPACE).resource(desiredService(clusterIP)).create();
                log.info("created the Service {}/{} at {}", NAMESPACE, SERVICE, clusterIP);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e;
            }
        }
        EndpointSlice desired = desiredSlice(nodeName, address, port);
        var resource = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(desired.getMetadata().getName());
        EndpointSlice current = resource.get();
        if (current == null) {
            client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(desired).create();
            log.info("created the EndpointSlice {}/{} for {}:{}", NAMESPACE, desired.getMetadata().getName(), address, port);
        } else if (!Objects.equals(current.getEndpoints(), desired.getEndpoints()) || !Objects.equals(current.getPorts(), desired.getPorts())) {
            resource.edit(s -> new EndpointSliceBuilder(s).withEndpoints(desired.getEndpoints()).withPorts(desired.getPorts()).build());
            log.info("updated the EndpointSlice {}/{} to {}:{}", NAMESPACE, desired.getMetadata().getName(), address, port);
        }
    }
}
