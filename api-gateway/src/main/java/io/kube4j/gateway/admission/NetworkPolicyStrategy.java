package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * NetworkPolicies (networking.k8s.io/v1): ports TCP by default, {@code podSelector: {}} and
 * policyTypes Ingress (plus Egress when egress rules exist) when not given; peers, ports and
 * IP blocks validated.
 */
@Component
public final class NetworkPolicyStrategy extends BaseStrategy {

    private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
    private static final String CIDR_MESSAGE = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    public NetworkPolicyStrategy() {
        super("networking.k8s.io", "NetworkPolicy");
    }

    @Override
    public void defaults(ObjectNode policy) {
        ObjectNode spec = Workloads.spec(policy);
        Defaulting.defaultObj(spec, "podSelector");
        for (String direction : List.of("ingress", "egress")) {
            JsonTree.eachObject(spec, direction, (i, rule) -> JsonTree.eachObject(rule, "ports",
                    (j, port) -> Defaulting.defaultText(port, "protocol", "TCP")));
        }
        if (JsonTree.elements(spec, "policyTypes").isEmpty()) {
            ArrayNode types = spec.putArray("policyTypes").add("Ingress");
            if (!JsonTree.elements(spec, "egress").isEmpty()) types.add("Egress");
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode policy, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(policy, "spec");
        if (spec == null) return causes.required(specPath).list();
        LabelSelectors.validate(spec.get("podSelector"), specPath.child("podSelector"), causes);
        for (String direction : List.of("ingress", "egress")) {
            String peers = direction.equals("ingress") ? "from" : "to";
            JsonTree.eachObject(spec, direction, (i, rule) -> {
                FieldPath p = specPath.child(direction).index(i);
                JsonTree.eachObject(rule, "ports", (j, port) -> validatePort(port, p.child("ports").index(j), causes));
                JsonTree.eachObject(rule, peers, (j, peer) -> validatePeer(peer, p.child(peers).index(j), causes));
            });
        }
        List<JsonNode> types = JsonTree.elements(spec, "policyTypes");
        for (int i = 0; i < types.size(); i++) {
            String t = JsonTree.string(types.get(i));
            if (!POLICY_TYPES.contains(String.valueOf(t))) {
                causes.notSupported(specPath.child("policyTypes").index(i), t == null ? "" : t, POLICY_TYPES);
            }
        }
        if (types.size() > 2) {
            causes.invalid(specPath.child("policyTypes"), new GoValues.Raw(String.valueOf(spec.get("policyTypes"))),
                    "may not specify more than two policyTypes");
        }
        return causes.list();
    }

    private static void validatePort(ObjectNode port, FieldPath path, Causes causes) {
        String protocol = JsonTree.stringOrEmpty(port, "protocol");
        if (!PodSpecValidation.PROTOCOLS.contains(protocol)) causes.notSupported(path.child("protocol"), protocol, PodSpecValidation.PROTOCOLS);
        JsonNode number = port.get("port");
        if (number != null && !number.isNull()) PodSpecValidation.validatePortNumOrName(number, path.child("port"), causes);
        Long endPort = JsonTree.integer(port, "endPort");
        if (endPort != null) {
            if (number == null || !number.isIntegralNumber()) {
                causes.required(path.child("port"), "must be specified when endPort is specified");
            } else if (endPort < number.longValue()) {
                causes.invalid(path.child("endPort"), endPort, "must be greater than or equal to `port`");
            }
        }
    }

    private static void validatePeer(ObjectNode peer, FieldPath path, Causes causes) {
        boolean pods = JsonTree.present(peer, "podSelector");
        boolean namespaces = JsonTree.present(peer, "namespaceSelector");
        ObjectNode ipBlock = JsonTree.object(peer, "ipBlock");
        if (!pods && !namespaces && ipBlock == null) {
            causes.required(path, "must specify a peer");
        } else if (ipBlock != null && (pods || namespaces)) {
            causes.forbidden(path, "may not specify both ipBlock and another peer");
        }
        if (pods) LabelSelectors.validate(peer.get("podSelector"), path.child("podSelector"), causes);
        if (namespaces) LabelSelectors.validate(peer.get("namespaceSelector"), path.child("namespaceSelector"), causes);
        if (ipBlock != null) {
            String cidr = JsonTree.stringOrEmpty(ipBlock, "cidr");
            if (cidr.isEmpty()) {
                causes.required(path.child("ipBlock", "cidr"));
                return;
            }
            if (!Addresses.isCidr(cidr)) {
                causes.invalid(path.child("ipBlock", "cidr"), cidr, CIDR_MESSAGE);
                return;
            }
            List<JsonNode> except = JsonTree.elements(ipBlock, "except");
            for (int i = 0; i < except.size(); i++) {
                String e = JsonTree.string(except.get(i));
                FieldPath ep = path.child("ipBlock", "except").index(i);
                if (e == null || !Addresses.isCidr(e)) causes.invalid(ep, e == null ? "" : e, CIDR_MESSAGE);
                else if (!strictSubset(e, cidr)) causes.invalid(ep, e, "must be a strict subset of `cidr`");
            }
        }
    }

    private static boolean strictSubset(String inner, String outer) {
        try {
            java.net.InetAddress in = java.net.InetAddress.getByName(inner.substring(0, inner.indexOf('/')));
            java.net.InetAddress out = java.net.InetAddress.getByName(outer.substring(0, outer.indexOf('/')));
            if (in.getAddress().length != out.getAddress().length) return false;
            int bits = in.getAddress().length * 8;
            int innerPrefix = Integer.parseInt(inner.substring(inner.indexOf('/') + 1));
            int outerPrefix = Integer.parseInt(outer.substring(outer.indexOf('/') + 1));
            if (innerPrefix <= outerPrefix) return false;
            java.math.BigInteger a = new java.math.BigInteger(1, in.getAddress()).shiftRight(bits - outerPrefix);
            java.math.BigInteger b = new java.math.BigInteger(1, out.getAddress()).shiftRight(bits - outerPrefix);
            return a.equals(b);
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
