package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
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
        Json.defaultObj(spec, "podSelector");
        for (String direction : List.of("ingress", "egress")) {
            Json.eachObject(spec, direction, (i, rule) -> Json.eachObject(rule, "ports",
                    (j, port) -> Json.defaultText(port, "protocol", "TCP")));
        }
        if (Json.array(spec, "policyTypes").isEmpty()) {
            ArrayNode types = spec.putArray("policyTypes").add("Ingress");
            if (!Json.array(spec, "egress").isEmpty()) types.add("Egress");
        }
    }

    @Override
    public List<StatusCause> validate(ObjectNode policy, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = Json.obj(policy, "spec");
        if (spec == null) return causes.required(specPath).list();
        LabelSelectors.validate(spec.get("podSelector"), specPath.child("podSelector"), causes);
        for (String direction : List.of("ingress", "egress")) {
            String peers = direction.equals("ingress") ? "from" : "to";
            Json.eachObject(spec, direction, (i, rule) -> {
                FieldPath p = specPath.child(direction).index(i);
                Json.eachObject(rule, "ports", (j, port) -> validatePort(port, p.child("ports").index(j), causes));
                Json.eachObject(rule, peers, (j, peer) -> validatePeer(peer, p.child(peers).index(j), causes));
            });
        }
        List<JsonNode> types = Json.array(spec, "policyTypes");
        for (int i = 0; i < types.size(); i++) {
            String t = Json.text(types.get(i));
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
        String protocol = Json.textOrEmpty(port, "protocol");
        if (!PodSpecValidation.PROTOCOLS.contains(protocol)) causes.notSupported(path.child("protocol"), protocol, PodSpecValidation.PROTOCOLS);
        JsonNode number = port.get("port");
        if (number != null && !number.isNull()) PodSpecValidation.validatePortNumOrName(number, path.child("port"), causes);
        Long endPort = Json.integer(port, "endPort");
        if (endPort != null) {
            if (number == null || !number.isIntegralNumber()) {
                causes.required(path.child("port"), "must be specified when endPort is specified");
            } else if (endPort < number.longValue()) {
                causes.invalid(path.child("endPort"), endPort, "must be greater than or equal to `port`");
            }
        }
    }

    private static void validatePeer(ObjectNode peer, FieldPath path, Causes causes) {
        boolean pods = Json.present(peer, "podSelector");
        boolean namespaces = Json.present(peer, "namespaceSelector");
        ObjectNode ipBlock = Json.obj(peer, "ipBlock");
        if (!pods && !namespaces && ipBlock == null) {
            causes.required(path, "must specify a peer");
        } else if (ipBlock != null && (pods || namespaces)) {
            causes.forbidden(path, "may not specify both ipBlock and another peer");
        }
        if (pods) LabelSelectors.validate(peer.get("podSelector"), path.child("podSelector"), causes);
        if (namespaces) LabelSelectors.validate(peer.get("namespaceSelector"), path.child("namespaceSelector"), causes);
        if (ipBlock != null) {
            String cidr = Json.textOrEmpty(ipBlock, "cidr");
            if (cidr.isEmpty()) {
                causes.required(path.child("ipBlock", "cidr"));
                return;
            }
            if (!Addresses.isCidr(cidr)) {
                causes.invalid(path.child("ipBlock", "cidr"), cidr, CIDR_MESSAGE);
                return;
            }
            List<JsonNode> except = Json.array(ipBlock, "except");
            for (int i = 0; i < except.size(); i++) {
                String e = Json.text(except.get(i));
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
