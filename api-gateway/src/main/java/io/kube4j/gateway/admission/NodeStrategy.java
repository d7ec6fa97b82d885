package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Nodes (v1): allocatable defaults to capacity, quantities canonical, and the zero values that
 * kube-apiserver always prints ({@code spec: {}}, {@code daemonEndpoints.kubeletEndpoint.Port: 0},
 * empty {@code nodeInfo} strings); taints and pod CIDRs validated.
 */
@Component
public final class NodeStrategy extends BaseStrategy {

    private static final List<String> NODE_INFO = List.of("architecture", "bootID", "containerRuntimeVersion",
            "kernelVersion", "kubeProxyVersion", "kubeletVersion", "machineID", "operatingSystem", "osImage", "systemUUID");
    private static final List<String> EFFECTS = List.of("NoExecute", "NoSchedule", "PreferNoSchedule");

    public NodeStrategy() {
        super("", "Node");
    }

    @Override
    public void defaults(ObjectNode node) {
        JsonTree.ensureObject(node, "spec");
        ObjectNode status = JsonTree.ensureObject(node, "status");
        Defaulting.canonicalizeQuantities(status.get("capacity"));
        Defaulting.canonicalizeQuantities(status.get("allocatable"));
        if (!JsonTree.present(status, "allocatable") && status.get("capacity") instanceof ObjectNode capacity) {
            status.set("allocatable", capacity.deepCopy());
        }
        ObjectNode kubelet = JsonTree.ensureObject(JsonTree.ensureObject(status, "daemonEndpoints"), "kubeletEndpoint");
        Defaulting.defaultInt(kubelet, "Port", 0);
        ObjectNode info = JsonTree.ensureObject(status, "nodeInfo");
        for (String f : NODE_INFO) if (!JsonTree.present(info, f)) info.put(f, "");
    }

    @Override
    public List<StatusCause> validate(ObjectNode node, ObjectNode old) {
        Causes causes = new Causes();
        ObjectNode spec = JsonTree.object(node, "spec");
        FieldPath specPath = FieldPath.of("spec");
        JsonTree.eachObject(spec, "taints", (i, t) -> {
            FieldPath p = specPath.child("taints").index(i);
            String key = JsonTree.stringOrEmpty(t, "key");
            if (key.isEmpty()) causes.required(p.child("key"));
            else causes.invalidEach(p.child("key"), key, NameValidation.isQualifiedName(key));
            String value = JsonTree.stringOrEmpty(t, "value");
            causes.invalidEach(p.child("value"), value, NameValidation.isValidLabelValue(value));
            String effect = JsonTree.stringOrEmpty(t, "effect");
            if (effect.isEmpty()) causes.required(p.child("effect"));
            else if (!EFFECTS.contains(effect)) causes.notSupported(p.child("effect"), effect, EFFECTS);
        });
        String podCidr = JsonTree.string(spec, "podCIDR");
        if (podCidr != null && !podCidr.isEmpty() && !Addresses.isCidr(podCidr)) {
            causes.invalid(specPath.child("podCIDR"), podCidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
        List<JsonNode> cidrs = JsonTree.elements(spec, "podCIDRs");
        for (int i = 0; i < cidrs.size(); i++) {
            String c = JsonTree.string(cidrs.get(i));
            if (c == null || !Addresses.isCidr(c)) {
                causes.invalid(specPath.child("podCIDRs").index(i), c == null ? "" : c,
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
        }
        ObjectNode status = JsonTree.object(node, "status");
        if (status != null) {
            PodSpecValidation.validateResourceList(status.get("capacity"), FieldPath.of("status", "capacity"), causes, false);
            PodSpecValidation.validateResourceList(status.get("allocatable"), FieldPath.of("status", "allocatable"), causes, false);
        }
        return causes.list();
    }
}
