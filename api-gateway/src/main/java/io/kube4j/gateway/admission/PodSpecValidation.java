package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.quantity.Quantity;
import io.kube4j.machinery.validation.NameValidation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's validation of a {@code PodSpec} and a {@code PodTemplateSpec}, shared by Pods
 * and every workload kind, with Kubernetes' field paths and messages. Pure.
 */
final class PodSpecValidation {

    private PodSpecValidation() {}

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> TAINT_EFFECTS = List.of("NoExecute", "NoSchedule", "PreferNoSchedule");
    private static final List<String> HOST_PATH_TYPES = List.of("", "BlockDevice", "CharDevice", "Directory",
            "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
    private static final Set<String> VOLUME_SOURCES = Set.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
            "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume",
            "scaleIO", "storageos", "csi", "ephemeral", "image");
    private static final List<String> PROBE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "grpc");
    private static final List<String> LIFECYCLE_HANDLERS = List.of("exec", "httpGet", "tcpSocket", "sleep");
    private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

    /**
     * A {@code PodTemplateSpec}: labels and annotations of its metadata, then its spec.
     *
     * @param restartPolicies the restart policies the owning kind allows, or null for any
     */
    static void validateTemplate(JsonNode template, FieldPath path, Causes causes, List<String> restartPolicies) {
        if (!(template instanceof ObjectNode t)) {
            causes.required(path);
            return;
        }
        ObjectNode metadata = JsonTree.object(t, "metadata");
        if (metadata != null) {
            LabelSelectors.validateLabels(metadata.get("labels"), path.child("metadata", "labels"), causes);
            if (metadata.get("annotations") instanceof ObjectNode annotations) {
                for (String key : annotations.propertyNames()) {
                    causes.invalidEach(path.child("metadata", "annotations"), key, NameValidation.isQualifiedName(key));
                }
            }
        }
        ObjectNode spec = JsonTree.object(t, "spec");
        if (spec == null) {
            causes.required(path.child("spec"));
            return;
        }
        validatePodSpec(spec, path.child("spec"), causes);
        if (!JsonTree.elements(spec, "ephemeralContainers").isEmpty()) {
            causes.forbidden(path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template");
        }
        String restart = JsonTree.stringOrEmpty(spec, "restartPolicy");
        if (restartPolicies != null && !restartPolicies.contains(restart)) {
            causes.notSupported(path.child("spec", "restartPolicy"), restart, restartPolicies);
        }
    }

    static void validatePodSpec(ObjectNode spec, FieldPath path, Causes causes) {
        Set<String> volumes = validateVolumes(spec, path.child("volumes"), causes);
        List<JsonNode> containers = JsonTree.elements(spec, "containers");
        if (containers.isEmpty()) causes.required(path.child("containers"));
        Set<String> names = new HashSet<>();
        Set<String> portNames = new HashSet<>();
        JsonTree.eachObject(spec, "initContainers", (i, c) ->
                validateContainer(c, path.child("initContainers").index(i), volumes, names, portNames, true, causes));
        JsonTree.eachObject(spec, "containers", (i, c) ->
                validateContainer(c, path.child("containers").index(i), volumes, names, portNames, false, causes));
        Set<String> targets = new HashSet<>(names);
        JsonTree.eachObject(spec, "ephemeralContainers", (i, c) ->
                validateEphemeralContainer(c, path.child("ephemeralContainers").index(i), volumes, names, targets, causes));

        String restart = JsonTree.stringOrEmpty(spec, "restartPolicy");
        if (!RESTART_POLICIES.contains(restart)) causes.notSupported(path.child("restartPolicy"), restart, RESTART_POLICIES);
        String dns = JsonTree.stringOrEmpty(spec, "dnsPolicy");
        if (!DNS_POLICIES.contains(dns)) causes.notSupported(path.child("dnsPolicy"), dns, DNS_POLICIES);
        if ("None".equals(dns) && JsonTree.object(spec, "dnsConfig") == null) {
            causes.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
        }
        Long deadline = JsonTree.integer(spec, "activeDeadlineSeconds");
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            causes.invalid(path.child("activeDeadlineSeconds"), deadline, "must be between 1 and 2147483647, inclusive");
        }
        for (String dnsLabel : List.of("hostname", "subdomain")) {
            String v = JsonTree.string(spec, dnsLabel);
            if (v != null && !v.isEmpty()) causes.invalidEach(path.child(dnsLabel), v, NameValidation.isDns1123Label(v));
        }
        String sa = JsonTree.string(spec, "serviceAccountName");
        if (sa != null && !sa.isEmpty()) causes.invalidEach(path.child("serviceAccountName"), sa, NameValidation.isDns1123Subdomain(sa));
        LabelSelectors.validateLabels(spec.get("nodeSelector"), path.child("nodeSelector"), causes);
        JsonTree.eachObject(spec, "tolerations", (i, t) -> validateToleration(t, path.child("tolerations").index(i), causes));
    }

    private static void validateToleration(ObjectNode t, FieldPath path, Causes causes) {
        String key = JsonTree.stringOrEmpty(t, "key");
        String op = JsonTree.stringOrEmpty(t, "operator");
        String value = JsonTree.stringOrEmpty(t, "value");
        String effect = JsonTree.stringOrEmpty(t, "effect");
        if (!key.isEmpty()) causes.invalidEach(path.child("key"), key, NameValidation.isQualifiedName(key));
        if (key.isEmpty() && !op.equals("Exists")) {
            causes.invalid(path.child("operator"), op,
                    "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
        }
        if (JsonTree.present(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
            causes.invalid(path.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
        }
        switch (op) {
            case "", "Equal" -> causes.invalidEach(path.child("value"), value, NameValidation.isValidLabelValue(value));
            case "Exists" -> {
                if (!value.isEmpty()) causes.invalid(path.child("operator"), value, "value must be empty when `operator` is 'Exists'");
            }
            default -> causes.notSupported(path.child("operator"), op, List.of("Equal", "Exists"));
        }
        if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
            causes.notSupported(path.child("effect"), effect, TAINT_EFFECTS);
        }
    }

    private static Set<String> validateVolumes(ObjectNode spec, FieldPath path, Causes causes) {
        Set<String> names = new HashSet<>();
        JsonTree.eachObject(spec, "volumes", (i, v) -> {
            FieldPath p = path.index(i);
            String name = JsonTree.stringOrEmpty(v, "name");
            if (name.isEmpty()) causes.required(p.child("name"));
            else causes.invalidEach(p.child("name"), name, NameValidation.isDns1123Label(name));
            if (!name.isEmpty() && !names.add(name)) causes.duplicate(p.child("name"), name);
            List<String> sources = v.propertyStream()
                    .filter(e -> VOLUME_SOURCES.contains(e.getKey()) && !e.getValue().isNull())
                    .map(java.util.Map.Entry::getKey).toList();
            if (sources.isEmpty()) {
                causes.required(p, "must specify a volume type");
            } else if (sources.size() > 1) {
                causes.forbidden(p.child(sources.get(1)), "may not specify more than 1 volume type");
            } else {
                validateVolumeSource(sources.getFirst(), (ObjectNode) v, p.child(sources.getFirst()), causes);
            }
        });
        return names;
    }

    private static void validateVolumeSource(String type, ObjectNode volume, FieldPath path, Causes causes) {
        JsonNode src = volume.get(type);
        switch (type) {
            case "configMap" -> {
                if (JsonTree.stringOrEmpty(src, "name").isEmpty()) causes.required(path.child("name"));
                validateMode(src, path, causes);
                validateKeyToPaths(src, path, causes);
            }
            case "secret" -> {
                if (JsonTree.stringOrEmpty(src, "secretName").isEmpty()) causes.required(path.child("secretName"));
                validateMode(src, path, causes);
                validateKeyToPaths(src, path, causes);
            }
            case "hostPath" -> {
                if (JsonTree.stringOrEmpty(src, "path").isEmpty()) causes.required(path.child("path"));
                String hpType = JsonTree.stringOrEmpty(src, "type");
                if (!HOST_PATH_TYPES.contains(hpType)) causes.notSupported(path.child("type"), hpType, HOST_PATH_TYPES);
            }
            case "persistentVolumeClaim" -> {
                if (JsonTree.stringOrEmpty(src, "claimName").isEmpty()) causes.required(path.child("claimName"));
            }
            case "nfs" -> {
                if (JsonTree.stringOrEmpty(src, "server").isEmpty()) causes.required(path.child("server"));
                String p = JsonTree.stringOrEmpty(src, "path");
                if (p.isEmpty()) causes.required(path.child("path"));
                else if (!p.startsWith("/")) causes.invalid(path.child("path"), p, "must be an absolute path");
            }
            case "downwardAPI" -> validateMode(src, path, causes);
            case "projected" -> {
                validateMode(src, path, causes);
                JsonTree.eachObject(src, "sources", (i, source) -> {
                    if (!(source.get("serviceAccountToken") instanceof ObjectNode token)) return;
                    FieldPath at = path.child("sources").index(i).child("serviceAccountToken");
                    if (JsonTree.stringOrEmpty(token, "path").isEmpty()) causes.required(at.child("path"));
                    Long seconds = JsonTree.integer(token, "expirationSeconds");
                    if (seconds != null && seconds < 600) {
                        causes.invalid(at.child("expirationSeconds"), seconds, "may not specify a duration less than 10 minutes");
                    } else if (seconds != null && seconds > (1L << 32)) {
                        causes.invalid(at.child("expirationSeconds"), seconds, "may not specify a duration larger than 2^32 seconds");
                    }
                });
            }
            case "emptyDir" -> {
                String medium = JsonTree.stringOrEmpty(src, "medium");
                if (src != null && src.has("sizeLimit")) validateQuantity(src.get("sizeLimit"), path.child("sizeLimit"), causes);
                if (!List.of("", "Memory", "HugePages").contains(medium) && !medium.startsWith("HugePages-")) {
                    causes.notSupported(path.child("medium"), medium, List.of("", "Memory", "HugePages"));
                }
            }
            default -> { }
        }
    }

    private static void validateMode(JsonNode src, FieldPath path, Causes causes) {
        Long mode = JsonTree.integer(src, "defaultMode");
        if (mode != null && (mode < 0 || mode > 0777)) {
            causes.invalid(path.child("defaultMode"), mode, "must be a number between 0 and 0777 (octal), both inclusive");
        }
    }

    private static void validateKeyToPaths(JsonNode src, FieldPath path, Causes causes) {
        JsonTree.eachObject(src, "items", (i, item) -> {
            FieldPath p = path.child("items").index(i);
            if (JsonTree.stringOrEmpty(item, "key").isEmpty()) causes.required(p.child("key"));
            String rel = JsonTree.stringOrEmpty(item, "path");
            if (rel.isEmpty()) causes.required(p.child("path"));
            else validateRelativePath(rel, p.child("path"), causes);
            Long mode = JsonTree.integer(item, "mode");
            if (mode != null && (mode < 0 || mode > 0777)) {
                causes.invalid(p.child("mode"), mode, "must be a number between 0 and 0777 (octal), both inclusive");
            }
        });
    }

    private static void validateRelativePath(String rel, FieldPath path, Causes causes) {
        if (rel.startsWith("/")) causes.invalid(path, rel, "must be a relative path");
        for (String part : rel.split("/")) {
            if (part.equals("..")) {
                causes.invalid(path, rel, "must not contain '..'");
                break;
            }
        }
    }

    /** The fields a container has that an ephemeral container may not set (it is never restarted, probed or exposed). */
    private static final List<String> NOT_EPHEMERAL = List.of("ports", "livenessProbe", "readinessProbe", "startupProbe",
            "lifecycle", "resources", "resizePolicy", "restartPolicy");

    /**
     * An ephemeral container: a container whose name is unique among all the pod's containers, without
     * {@link #NOT_EPHEMERAL}, whose {@code targetContainerName}, if set, names one of the pod's containers.
     */
    private static void validateEphemeralContainer(ObjectNode c, FieldPath path, Set<String> volumes, Set<String> names,
                                                   Set<String> targets, Causes causes) {
        for (String field : NOT_EPHEMERAL) {
            JsonNode value = c.get(field);
            if (value == null || value.isNull() || value.isEmpty() && (value.isArray() || value.isObject())) continue;
            causes.forbidden(path.child(field), "cannot be set for an Ephemeral Container");
        }
        ObjectNode plain = c.deepCopy();
        plain.remove(NOT_EPHEMERAL);
        validateContainer(plain, path, volumes, names, new HashSet<>(), false, causes);
        String target = JsonTree.stringOrEmpty(c, "targetContainerName");
        if (!target.isEmpty() && !targets.contains(target)) causes.notFound(path.child("targetContainerName"), target);
        JsonTree.eachObject(c, "volumeMounts", (i, m) -> {
            if (!JsonTree.stringOrEmpty(m, "subPath").isEmpty()) {
                causes.forbidden(path.child("volumeMounts").index(i).child("subPath"), "cannot be set for an Ephemeral Container");
            }
        });
    }

    private static void validateContainer(ObjectNode c, FieldPath path, Set<String> volumes, Set<String> names,
                                          Set<String> portNames, boolean init, Causes causes) {
        String name = JsonTree.stringOrEmpty(c, "name");
        if (name.isEmpty()) causes.required(path.child("name"));
        else causes.invalidEach(path.child("name"), name, NameValidation.isDns1123Label(name));
        if (!name.isEmpty() && !names.add(name)) causes.duplicate(path.child("name"), name);

        String image = JsonTree.stringOrEmpty(c, "image");
        if (image.isEmpty()) causes.required(path.child("image"));
        else if (!image.equals(image.strip())) {
            causes.invalid(path.child("image"), image, "must not have leading or trailing whitespace");
        }
        String pull = JsonTree.stringOrEmpty(c, "imagePullPolicy");
        if (!PULL_POLICIES.contains(pull)) causes.notSupported(path.child("imagePullPolicy"), pull, PULL_POLICIES);
        String messagePolicy = JsonTree.stringOrEmpty(c, "terminationMessagePolicy");
        if (!MESSAGE_POLICIES.contains(messagePolicy)) {
            causes.notSupported(path.child("terminationMessagePolicy"), messagePolicy, MESSAGE_POLICIES);
        }

        JsonTree.eachObject(c, "ports", (i, p) -> validateContainerPort(p, path.child("ports").index(i), portNames, causes));
        JsonTree.eachObject(c, "env", (i, e) -> validateEnv(e, path.child("env").index(i), causes));
        Set<String> mountPaths = new HashSet<>();
        JsonTree.eachObject(c, "volumeMounts", (i, m) -> {
            FieldPath p = path.child("volumeMounts").index(i);
            String volume = JsonTree.stringOrEmpty(m, "name");
            if (volume.isEmpty()) causes.required(p.child("name"));
            else if (!volumes.contains(volume)) causes.notFound(p.child("name"), volume);
            String mountPath = JsonTree.stringOrEmpty(m, "mountPath");
            if (mountPath.isEmpty()) causes.required(p.child("mountPath"));
            else if (!mountPaths.add(mountPath)) causes.invalid(p.child("mountPath"), mountPath, "must be unique");
            String subPath = JsonTree.stringOrEmpty(m, "subPath");
            if (!subPath.isEmpty()) validateRelativePath(subPath, p.child("subPath"), causes);
        });
        boolean sidecar = init && "Always".equals(JsonTree.string(c, "restartPolicy"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode p = c.get(probe);
            if (p == null || p.isNull()) continue;
            if (init && !sidecar) {
                causes.forbidden(path.child(probe), "may not be set for init containers without restartPolicy=Always");
                continue;
            }
            validateProbe(p, path.child(probe), !probe.equals("readinessProbe"), causes);
        }
        if (c.get("lifecycle") instanceof ObjectNode lifecycle) {
            for (String hook : List.of("postStart", "preStop")) {
                if (lifecycle.get(hook) instanceof ObjectNode h) {
                    validateHandler(h, path.child("lifecycle", hook), LIFECYCLE_HANDLERS, causes);
                }
            }
        }
        if (c.get("resources") instanceof ObjectNode resources) validateResources(resources, path.child("resources"), causes);
    }

    private static void validateContainerPort(ObjectNode p, FieldPath path, Set<String> portNames, Causes causes) {
        String name = JsonTree.string(p, "name");
        if (name != null && !name.isEmpty()) {
            causes.invalidEach(path.child("name"), name, NameValidation.isValidPortName(name));
            if (!portNames.add(name)) causes.duplicate(path.child("name"), name);
        }
        Long port = JsonTree.integer(p, "containerPort");
        if (port == null || port == 0) causes.required(path.child("containerPort"));
        else if (port < 1 || port > 65535) causes.invalid(path.child("containerPort"), port, Addresses.portRangeMessage());
        Long hostPort = JsonTree.integer(p, "hostPort");
        if (hostPort != null && hostPort != 0 && (hostPort < 1 || hostPort > 65535)) {
            causes.invalid(path.child("hostPort"), hostPort, Addresses.portRangeMessage());
        }
        String protocol = JsonTree.stringOrEmpty(p, "protocol");
        if (!PROTOCOLS.contains(protocol)) causes.notSupported(path.child("protocol"), protocol, PROTOCOLS);
    }

    private static void validateEnv(ObjectNode e, FieldPath path, Causes causes) {
        String name = JsonTree.stringOrEmpty(e, "name");
        if (name.isEmpty()) causes.required(path.child("name"));
        else causes.invalidEach(path.child("name"), name, NameValidation.isEnvVarName(name));
        if (!(e.get("valueFrom") instanceof ObjectNode from)) return;
        if (!JsonTree.stringOrEmpty(e, "value").isEmpty()) {
            causes.invalid(path.child("valueFrom"), "", "may not be specified when `value` is not empty");
        }
        List<String> refs = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef");
        long count = refs.stream().filter(r -> JsonTree.present(from, r)).count();
        if (count == 0) {
            causes.invalid(path.child("valueFrom"), "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
        } else if (count > 1) {
            causes.invalid(path.child("valueFrom"), "", "may not have more than one field specified at a time");
        }
        for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
            if (from.get(ref) instanceof ObjectNode r) {
                String key = JsonTree.stringOrEmpty(r, "key");
                if (key.isEmpty()) causes.required(path.child("valueFrom", ref, "key"));
                else causes.invalidEach(path.child("valueFrom", ref, "key"), key, NameValidation.isConfigMapKey(key));
            }
        }
        if (from.get("fieldRef") instanceof ObjectNode r && JsonTree.stringOrEmpty(r, "fieldPath").isEmpty()) {
            causes.required(path.child("valueFrom", "fieldRef", "fieldPath"));
        }
        if (from.get("resourceFieldRef") instanceof ObjectNode r && JsonTree.stringOrEmpty(r, "resource").isEmpty()) {
            causes.required(path.child("valueFrom", "resourceFieldRef", "resource"));
        }
    }

    private static void validateProbe(JsonNode probe, FieldPath path, boolean successMustBeOne, Causes causes) {
        if (!(probe instanceof ObjectNode p)) return;
        validateHandler(p, path, PROBE_HANDLERS, causes);
        for (String f : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold", "terminationGracePeriodSeconds")) {
            Long v = JsonTree.integer(p, f);
            if (v != null) causes.nonNegative(path.child(f), v);
        }
        Long success = JsonTree.integer(p, "successThreshold");
        if (successMustBeOne && success != null && success != 1) {
            causes.invalid(path.child("successThreshold"), success, "must be 1");
        }
    }

    private static void validateHandler(ObjectNode h, FieldPath path, List<String> handlers, Causes causes) {
        List<String> present = handlers.stream().filter(k -> JsonTree.present(h, k)).toList();
        if (present.isEmpty()) {
            causes.required(path, "must specify a handler type");
            return;
        }
        if (present.size() > 1) {
            causes.forbidden(path.child(present.get(1)), "may not specify more than 1 handler type");
        }
        if (h.get("httpGet") instanceof ObjectNode http) {
            validatePortNumOrName(http.get("port"), path.child("httpGet", "port"), causes);
            String scheme = JsonTree.stringOrEmpty(http, "scheme");
            if (!List.of("HTTP", "HTTPS").contains(scheme)) {
                causes.notSupported(path.child("httpGet", "scheme"), scheme, List.of("HTTP", "HTTPS"));
            }
        }
        if (h.get("tcpSocket") instanceof ObjectNode tcp) validatePortNumOrName(tcp.get("port"), path.child("tcpSocket", "port"), causes);
        if (h.get("exec") instanceof ObjectNode exec && JsonTree.elements(exec, "command").isEmpty()) {
            causes.required(path.child("exec", "command"));
        }
        if (h.get("grpc") instanceof ObjectNode grpc) {
            Long port = JsonTree.integer(grpc, "port");
            if (port == null || port < 1 || port > 65535) {
                causes.invalid(path.child("grpc", "port"), port == null ? 0 : port, Addresses.portRangeMessage());
            }
        }
    }

    /** An IntOrString port: a number in 1–65535 or a named port. */
    static void validatePortNumOrName(JsonNode port, FieldPath path, Causes causes) {
        if (port == null || port.isNull()) {
            causes.required(path);
        } else if (port.isIntegralNumber()) {
            long n = port.longValue();
            if (n < 1 || n > 65535) causes.invalid(path, n, Addresses.portRangeMessage());
        } else if (port.isString()) {
            String s = port.stringValue();
            if (s.isEmpty()) causes.required(path);
            else causes.invalidEach(path, s, NameValidation.isValidPortName(s));
        } else {
            causes.invalid(path, port, "must be an integer or a string");
        }
    }

    /** A resource map's quantities, as {@code ValidateResourceQuantityValue} checks them. */
    static Map<String, Quantity> validateResourceList(JsonNode list, FieldPath path, Causes causes, boolean container) {
        Map<String, Quantity> parsed = new HashMap<>();
        if (!(list instanceof ObjectNode map)) return parsed;
        map.properties().forEach(e -> {
            FieldPath p = path.key(e.getKey());
            String resource = e.getKey();
            if (container && !STANDARD_CONTAINER_RESOURCES.contains(resource) && !resource.startsWith("hugepages-")
                    && !resource.contains("/")) {
                causes.invalid(p, resource, "must be a standard resource for containers");
            } else if (resource.contains("/")) {
                causes.invalidEach(p, resource, NameValidation.isQualifiedName(resource));
            }
            String text = Defaulting.quantityText(e.getValue());
            java.util.Optional<Quantity> q = Quantity.tryParse(text);
            if (q.isEmpty()) {
                causes.invalid(p, text == null ? e.getValue() : text, Quantity.SYNTAX_MESSAGE);
                return;
            }
            if (q.get().signum() < 0) causes.invalid(p, text, "must be greater than or equal to 0");
            parsed.put(resource, q.get());
        });
        return parsed;
    }

    static void validateQuantity(JsonNode value, FieldPath path, Causes causes) {
        String text = Defaulting.quantityText(value);
        java.util.Optional<Quantity> q = Quantity.tryParse(text);
        if (q.isEmpty()) causes.invalid(path, text == null ? value : text, Quantity.SYNTAX_MESSAGE);
        else if (q.get().signum() < 0) causes.invalid(path, text, "must be greater than or equal to 0");
    }

    private static void validateResources(ObjectNode resources, FieldPath path, Causes causes) {
        Map<String, Quantity> limits = validateResourceList(resources.get("limits"), path.child("limits"), causes, true);
        Map<String, Quantity> requests = validateResourceList(resources.get("requests"), path.child("requests"), causes, true);
        for (Map.Entry<String, Quantity> r : requests.entrySet()) {
            Quantity limit = limits.get(r.getKey());
            if (limit != null && r.getValue().compareTo(limit) > 0) {
                causes.invalid(path.child("requests"), r.getValue().toString(),
                        "must be less than or equal to " + r.getKey() + " limit of " + limit);
            }
            boolean extended = r.getKey().contains("/") && !r.getKey().startsWith("kubernetes.io/");
            if (extended && limit == null) {
                causes.required(path.child("limits"), "Limit must be set for non overcommitable resources");
            } else if (extended && r.getValue().compareTo(limit) != 0) {
                causes.invalid(path.child("requests").key(r.getKey()), r.getValue().toString(),
                        "must be equal to " + r.getKey() + " limit of " + limit);
            }
        }
    }
}
