package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * EndpointSlices (discovery.k8s.io/v1): ports default to name "" and protocol TCP; addressType
 * required and immutable; 1–100 addresses per endpoint of that type; at most 1000 endpoints and
 * 100 ports.
 */
@Component
public final class EndpointSliceStrategy extends BaseStrategy {

    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");

    public EndpointSliceStrategy() {
        super("discovery.k8s.io", "EndpointSlice");
    }

    @Override
    public void defaults(ObjectNode slice) {
        JsonTree.eachObject(slice, "ports", (i, port) -> {
            if (!JsonTree.present(port, "name")) port.put("name", "");
            Defaulting.defaultText(port, "protocol", "TCP");
        });
    }

    @Override
    public List<StatusCause> validate(ObjectNode slice, ObjectNode old) {
        Causes causes = new Causes();
        String type = JsonTree.stringOrEmpty(slice, "addressType");
        if (type.isEmpty()) causes.required(FieldPath.of("addressType"));
        else if (!ADDRESS_TYPES.contains(type)) causes.notSupported(FieldPath.of("addressType"), type, ADDRESS_TYPES);
        List<JsonNode> endpoints = JsonTree.elements(slice, "endpoints");
        if (endpoints.size() > 1000) causes.tooMany(FieldPath.of("endpoints"), endpoints.size(), 1000);
        JsonTree.eachObject(slice, "endpoints", (i, e) -> {
            FieldPath p = FieldPath.of("endpoints").index(i);
            List<JsonNode> addresses = JsonTree.elements(e, "addresses");
            if (addresses.isEmpty()) causes.required(p.child("addresses"), "must contain at least 1 address");
            if (addresses.size() > 100) causes.tooMany(p.child("addresses"), addresses.size(), 100);
            for (int j = 0; j < addresses.size(); j++) {
                String a = JsonTree.string(addresses.get(j));
                String address = a == null ? "" : a;
                FieldPath ap = p.child("addresses").index(j);
                switch (type) {
                    case "IPv4" -> { if (!Addresses.isIpv4(address)) causes.invalid(ap, address, "must be a valid IPv4 address"); }
                    case "IPv6" -> { if (!Addresses.isIpv6(address)) causes.invalid(ap, address, "must be a valid IPv6 address"); }
                    case "FQDN" -> causes.invalidEach(ap, address, NameValidation.isDns1123Subdomain(address));
                    default -> { }
                }
            }
            String hostname = JsonTree.string(e, "hostname");
            if (hostname != null) causes.invalidEach(p.child("hostname"), hostname, NameValidation.isDns1123Label(hostname));
        });
        List<JsonNode> ports = JsonTree.elements(slice, "ports");
        if (ports.size() > 100) causes.tooMany(FieldPath.of("ports"), ports.size(), 100);
        java.util.Set<String> names = new java.util.HashSet<>();
        JsonTree.eachObject(slice, "ports", (i, port) -> {
            FieldPath p = FieldPath.of("ports").index(i);
            String name = JsonTree.stringOrEmpty(port, "name");
            if (!name.isEmpty()) causes.invalidEach(p.child("name"), name, NameValidation.isDns1123Label(name));
            if (!names.add(name)) causes.duplicate(p.child("name"), name);
            Long number = JsonTree.integer(port, "port");
            if (number != null && (number < 1 || number > 65535)) causes.invalid(p.child("port"), number, Addresses.portRangeMessage());
            String protocol = JsonTree.stringOrEmpty(port, "protocol");
            if (!PodSpecValidation.PROTOCOLS.contains(protocol)) causes.notSupported(p.child("protocol"), protocol, PodSpecValidation.PROTOCOLS);
        });
        if (old != null && !type.equals(JsonTree.stringOrEmpty(old, "addressType"))) causes.immutable(FieldPath.of("addressType"), type);
        return causes.list();
    }
}
