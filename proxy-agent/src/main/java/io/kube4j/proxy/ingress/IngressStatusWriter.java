package io.kube4j.proxy.ingress;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.proxy.model.Ipv4;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keeps {@code status.loadBalancer.ingress} of every served Ingress equal to the addresses the
 * ingress controller answers on: every node's (each node runs one), an ExternalIP where the node
 * has one, else its InternalIP. Every node's agent computes the same list, so concurrent writers
 * agree; an Ingress whose status already holds it is not written. A write that fails (a conflict
 * with another node's write, the gateway away) is logged and left to the next sync.
 */
public final class IngressStatusWriter {

    private static final Logger log = LoggerFactory.getLogger(IngressStatusWriter.class);
    public static final String CONTROLLER = "kube4j.io/ingress";

    private final KubernetesClient client;

    public IngressStatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** The addresses Ingresses are reachable on, sorted. Pure. */
    public static List<String> addresses(List<Node> nodes) {
        TreeSet<Long> out = new TreeSet<>();
        for (Node node : nodes) {
            if (node.getStatus() == null || node.getStatus().getAddresses() == null) continue;
            String internal = null, external = null;
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if (!Ipv4.isValid(a.getAddress())) continue;
                if ("ExternalIP".equals(a.getType()) && external == null) external = a.getAddress();
                if ("InternalIP".equals(a.getType()) && internal == null) internal = a.getAddress();
            }
            String chosen = external != null ? external : internal;
            if (chosen != null) out.add(Ipv4.toLong(chosen));
        }
        return out.stream().map(Ipv4::fromLong).toList();
    }

    /** Whether {@code ingress}'s status already lists exactly {@code addresses}. Pure. */
    public static boolean upToDate(Ingress ingress, List<String> addresses) {
        List<String> current = new ArrayList<>();
        if (ingress.getStatus() != null && ingress.getStatus().getLoadBalancer() != null
                && ingress.getStatus().getLoadBalancer().getIngress() != null) {
            for (IngressLoadBalancerIngress i : ingress.getStatus().getLoadBalancer().getIngress()) current.add(i.getIp());
        }
        return current.equals(addresses);
    }

    public void write(List<Ingress> served, List<String> addresses) {
        List<IngressLoadBalancerIngress> desired = addresses.stream()
                .map(a -> new IngressLoadBalancerIngressBuilder().withIp(a).build()).toList();
        for (Ingress ingress : served) {
            if (upToDate(ingress, addresses)) continue;
            // A copy: the informer's cached object is never changed.
            Ingress updated = new IngressBuilder(ingress).withNewStatus().withNewLoadBalancer().withIngress(desired)
                    .endLoadBalancer().endStatus().build();
            try {
                client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace()).resource(updated).updateStatus();
            } catch (KubernetesClientException e) {
                log.info("status of ingress {}/{} not written ({}); the next sync tries again", ingress.getMetadata().getNamespace(),
                        ingress.getMetadata().getName(), e.getCode());
            }
        }
    }

    /** Creates this controller's IngressClass, marked default, when no IngressClass of that name exists. */
    public void ensureClass(String className) {
        try {
            if (client.network().v1().ingressClasses().withName(className).get() != null) return;
            IngressClass c = new IngressClassBuilder().withNewMetadata().withName(className)
                    .withAnnotations(Map.of(IngressRouting.DEFAULT_CLASS_ANNOTATION, "true")).endMetadata()
                    .withNewSpec().withController(CONTROLLER).endSpec().build();
            client.network().v1().ingressClasses().resource(c).create();
            log.info("created the default IngressClass {}", className);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) log.warn("could not create the IngressClass {}: {}", className, e.getMessage());
        }
    }
}
