package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
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
        Json.ensureObj(node, "spec");
        ObjectNode status = Json.ensureObj(node, "status");
        Json.canonicalizeQuantities(status.get("capacity"));
        Json.canonicalizeQuantities(status.get("allocatable"));
        if (!Json.present(status, "allocatable") && status.get("capacity") instanceof ObjectNode capacity) {
            status.set("allocatable", capacity.deepCopy());
        }
        ObjectNode kubelet = Json.ensureObj(Json.ensureObj(status, "daemonEndpoints"), "kubeletEndpoint");
        Json.defaultInt(kubelet, "Port", 0);
        ObjectNode info = Json.ensureObj(status, "nodeInfo");
        for (String f : NODE_INFO) if (!Json.present(info, f)) info.put(f, "");
    }

    @Override
    public List<StatusCause> validate(ObjectNode node, ObjectNode old) {
        Causes causes = new Causes();
        ObjectNode spec = Json.obj(node, "spec");
        FieldPath specPath = FieldPath.of("spec");
        Json.eachObject(spec, "taints", (i, t) -> {
            FieldPath p = specPath.child("taints").index(i);
            String key = Json.textOrEmpty(t, "key");
            if (key.isEmpty()) causes.required(p.child("key"));
            else causes.invalidEach(p.child("key"), key, NameValidation.isQualifiedName(key));
            String value = Json.textOrEmpty(t, "value");
            causes.invalidEach(p.child("value"), value, NameValidation.isValidLabelValue(value));
            String effect = Json.textOrEmpty(t, "effect");
            if (effect.isEmpty()) causes.required(p.child("effect"));
            else if (!EFFECTS.contains(effect)) causes.notSupported(p.child("effect"), effect, EFFECTS);
        });
        String podCidr = Json.text(spec, "podCIDR");
        if (podCidr != null && !podCidr.isEmpty() && !Addresses.isCidr(podCidr)) {
            causes.invalid(specPath.child("podCIDR"), podCidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
        List<JsonNode> cidrs = Json.array(spec, "podCIDRs");
        for (int i = 0; i < cidrs.size(); i++) {
            String c = Json.text(cidrs.get(i));
            if (c == null || !Addresses.isCidr(c)) {
                causes.invalid(specPath.child("podCIDRs").index(i), c == null ? "" : c,
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
        }
        ObjectNode status = Json.obj(node, "status");
        if (status != null) {
            PodSpecValidation.validateResourceList(status.get("capacity"), FieldPath.of("status", "capacity"), causes, false);
            PodSpecValidation.validateResourceList(status.get("allocatable"), FieldPath.of("status", "allocatable"), causes, false);
        }
        return causes.list();
    }
}
