package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Ingresses (networking.k8s.io/v1): rules or a default backend; each path with a pathType and,
 * for Exact and Prefix, an absolute path; each backend a service (name and port) or a resource;
 * hosts DNS names with an optional leading wildcard; status {@code loadBalancer: {}} on create.
 */
@Component
public final class IngressStrategy extends BaseStrategy {

    private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");

    public IngressStrategy() {
        super("networking.k8s.io", "Ingress");
    }

    @Override
    public void prepareForCreate(ObjectNode ingress, AdmissionContext context) {
        ingress.putObject("status").putObject("loadBalancer");
    }

    @Override
    public List<StatusCause> validate(ObjectNode ingress, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(ingress, "spec");
        if (spec == null) return causes.required(specPath).list();
        JsonNode defaultBackend = spec.get("defaultBackend");
        if (JsonTree.elements(spec, "rules").isEmpty() && (defaultBackend == null || defaultBackend.isNull())) {
            causes.invalid(specPath.child("rules"), new GoValues.Raw("[]networking.IngressRule(nil)"),
                    "either `defaultBackend` or `rules` must be specified");
        }
        if (defaultBackend instanceof ObjectNode b) validateBackend(b, specPath.child("defaultBackend"), causes);
        String className = JsonTree.string(spec, "ingressClassName");
        if (className != null) causes.invalidEach(specPath.child("ingressClassName"), className, NameValidation.isDns1123Subdomain(className));
        JsonTree.eachObject(spec, "rules", (i, rule) -> {
            FieldPath p = specPath.child("rules").index(i);
            String host = JsonTree.string(rule, "host");
            if (host != null && !host.isEmpty()) {
                if (Addresses.isIp(host)) causes.invalid(p.child("host"), host, "must be a DNS name, not an IP address");
                else causes.invalidEach(p.child("host"), host, NameValidation.isDns1123SubdomainOrWildcard(host));
            }
            ObjectNode http = JsonTree.object(rule, "http");
            if (http == null) return;
            if (JsonTree.elements(http, "paths").isEmpty()) causes.required(p.child("http", "paths"));
            JsonTree.eachObject(http, "paths", (j, path) -> {
                FieldPath pp = p.child("http", "paths").index(j);
                String type = JsonTree.stringOrEmpty(path, "pathType");
                String value = JsonTree.stringOrEmpty(path, "path");
                if (type.isEmpty()) {
                    causes.required(pp.child("pathType"), "pathType must be specified");
                } else if (!PATH_TYPES.contains(type)) {
                    causes.notSupported(pp.child("pathType"), type, PATH_TYPES);
                } else if (!type.equals("ImplementationSpecific") && !value.startsWith("/")) {
                    causes.invalid(pp.child("path"), value, "must be an absolute path");
                } else if (type.equals("ImplementationSpecific") && !value.isEmpty() && !value.startsWith("/")) {
                    causes.invalid(pp.child("path"), value, "must be an absolute path");
                }
                ObjectNode backend = JsonTree.object(path, "backend");
                if (backend == null) causes.required(pp.child("backend"));
                else validateBackend(backend, pp.child("backend"), causes);
            });
        });
        JsonTree.eachObject(spec, "tls", (i, tls) -> {
            List<JsonNode> hosts = JsonTree.elements(tls, "hosts");
            for (int j = 0; j < hosts.size(); j++) {
                String h = JsonTree.string(hosts.get(j));
                if (h != null) causes.invalidEach(specPath.child("tls").index(i).child("hosts").index(j), h, NameValidation.isDns1123SubdomainOrWildcard(h));
            }
        });
        return causes.list();
    }

    private static void validateBackend(ObjectNode backend, FieldPath path, Causes causes) {
        ObjectNode service = JsonTree.object(backend, "service");
        ObjectNode resource = JsonTree.object(backend, "resource");
        if (service != null && resource != null) {
            causes.invalid(path, new GoValues.Raw(backend.toString()), "cannot set both resource and service backends");
        } else if (service == null && resource == null) {
            causes.invalid(path, new GoValues.Raw(backend.toString()), "resource or service backend is required");
        }
        if (service != null) {
            String name = JsonTree.stringOrEmpty(service, "name");
            if (name.isEmpty()) causes.required(path.child("service", "name"));
            else causes.invalidEach(path.child("service", "name"), name, NameValidation.isDns1035Label(name));
            ObjectNode port = JsonTree.object(service, "port");
            String portName = JsonTree.stringOrEmpty(port, "name");
            Long number = JsonTree.integer(port, "number");
            FieldPath portPath = path.child("service", "port");
            if (!portName.isEmpty() && number != null && number != 0) {
                causes.invalid(portPath, new GoValues.Raw(String.valueOf(port)), "cannot set both port name & port number");
            } else if (!portName.isEmpty()) {
                causes.invalidEach(portPath.child("name"), portName, NameValidation.isValidPortName(portName));
            } else if (number != null && number != 0) {
                if (number < 1 || number > 65535) causes.invalid(portPath.child("number"), number, Addresses.portRangeMessage());
            } else {
                causes.invalid(portPath, new GoValues.Raw(String.valueOf(port)), "port name or number is required");
            }
        }
        if (resource != null) {
            if (JsonTree.stringOrEmpty(resource, "kind").isEmpty()) causes.required(path.child("resource", "kind"));
            if (JsonTree.stringOrEmpty(resource, "name").isEmpty()) causes.required(path.child("resource", "name"));
        }
    }
}
