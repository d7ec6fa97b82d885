package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.quantity.Quantity;
import io.kube4j.store.Store;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pods: the PodSpec defaults, then what kube-apiserver's admission adds on create (service
 * account {@code default}, priority and preemption policy from the PriorityClass, read from the
 * {@link PriorityClassCatalog}, else 0 and {@code PreemptLowerPriority}, the 300-second tolerations of not-ready and
 * unreachable nodes) and the initial status ({@code Pending} with
 * the QoS class). Updates may change only images, activeDeadlineSeconds and tolerations (by
 * addition), as on Kubernetes.
 */
@Component
public final class PodStrategy extends BaseStrategy {

    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    private static final Map<String, Integer> SYSTEM_PRIORITIES = Map.of(
            "system-node-critical", 2000001000, "system-cluster-critical", 2000000000);

    /** The classes the Priority plugin reads; null: the store of each request's context. */
    private final PriorityClassCatalog priorityClasses;

    /** Reads PriorityClasses from the store of each request's context. */
    public PodStrategy() {
        this(Optional.empty());
    }

    /**
     * Reads PriorityClasses through {@code priorityClasses}, which a watch keeps current, when the
     * application has one; from the store of each request's context otherwise.
     */
    @Autowired
    public PodStrategy(Optional<PriorityClassCatalog> priorityClasses) {
        super("", "Pod");
        this.priorityClasses = priorityClasses.orElse(null);
    }

    @Override
    public void defaults(ObjectNode pod) {
        PodSpecDefaults.defaultPodSpec(Workloads.spec(pod), true);
    }

    @Override
    public void prepareForCreate(ObjectNode pod, AdmissionContext context) {
        ObjectNode spec = Workloads.spec(pod);
        admitPriority(pod, spec, priorityClasses != null ? priorityClasses
                : context == null || context.store() == null ? null : new PriorityClassCatalog(context.store()));
        admit(spec);
        mountServiceAccountToken(pod, spec, context == null ? null : context.store());
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        status.put("qosClass", qosClass(spec));
    }

    @Override
    public void prepareForUpdate(ObjectNode pod, ObjectNode old, AdmissionContext context) {
        ObjectNode spec = Workloads.spec(pod);
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        if (oldSpec != null) {
            // What admission set on create stays when a replace leaves it out.
            for (String f : List.of("serviceAccountName", "serviceAccount", "priority", "preemptionPolicy",
                    "nodeName", "enableServiceLinks")) {
                if (!JsonTree.present(spec, f) && JsonTree.present(oldSpec, f)) spec.set(f, oldSpec.get(f).deepCopy());
            }
            keepTokenVolume(spec, oldSpec);
        }
        addDefaultTolerations(spec);
    }

    /** The token volume admission added on create, and its mounts, stay when a replace leaves them out. */
    private static void keepTokenVolume(ObjectNode spec, ObjectNode oldSpec) {
        for (JsonNode volume : JsonTree.elements(oldSpec, "volumes")) {
            String name = volume.path("name").asString("");
            if (!name.startsWith(TOKEN_VOLUME_PREFIX)) continue;
            boolean present = JsonTree.elements(spec, "volumes").stream().anyMatch(v -> name.equals(v.path("name").asString("")));
            if (present) return;
            (spec.get("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes")).add(volume.deepCopy());
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : JsonTree.elements(spec, list)) {
                    if (!(c instanceof ObjectNode container)) continue;
                    String containerName = container.path("name").asString("");
                    JsonNode oldMount = JsonTree.elements(oldSpec, list).stream()
                            .filter(o -> containerName.equals(o.path("name").asString("")))
                            .flatMap(o -> JsonTree.elements((ObjectNode) o, "volumeMounts").stream())
                            .filter(m -> name.equals(m.path("name").asString(""))).findFirst().orElse(null);
                    if (oldMount == null) continue;
                    (container.get("volumeMounts") instanceof ArrayNode a ? a : container.putArray("volumeMounts")).add(oldMount.deepCopy());
                }
            }
            return;
        }
    }

    /** Where a container finds its ServiceAccount's token, the cluster's CA and its namespace. */
    static final String TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String TOKEN_VOLUME_PREFIX = "kube-api-access-";
    /** The letters of Kubernetes' random name suffixes (no vowels, no look-alikes). */
    private static final String SUFFIX_LETTERS = "bcdfghjklmnpqrstvwxz2456789";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * The ServiceAccount admission plugin's token volume: unless the pod or its ServiceAccount sets
     * {@code automountServiceAccountToken: false}, a projected volume {@code kube-api-access-xxxxx} (a token of the
     * account for 3607 s, the ConfigMap {@code kube-root-ca.crt}'s {@code ca.crt}, the pod's namespace), mounted
     * read-only at {@value #TOKEN_MOUNT_PATH} in every container and init container that has nothing there.
     *
     * @param store where the ServiceAccount is read; null: as if it did not say
     */
    static void mountServiceAccountToken(ObjectNode pod, ObjectNode spec, Store store) {
        if (spec.path("automountServiceAccountToken").isBoolean() && !spec.get("automountServiceAccountToken").asBoolean()) return;
        if (store != null) {
            String namespace = pod.path("metadata").path("namespace").asString("");
            var account = store.get(io.kube4j.machinery.registry.BuiltInTypes.SERVICE_ACCOUNT.key(namespace,
                    JsonTree.stringOrEmpty(spec, "serviceAccountName"))).flatMap(kv -> StoredObjects.parse(kv.value()));
            if (account.isPresent() && account.get().path("automountServiceAccountToken").isBoolean()
                    && !account.get().get("automountServiceAccountToken").asBoolean()) {
                return;
            }
        }
        for (JsonNode volume : JsonTree.elements(spec, "volumes")) {
            if (volume.path("name").asString("").startsWith(TOKEN_VOLUME_PREFIX)) return;
        }
        StringBuilder name = new StringBuilder(TOKEN_VOLUME_PREFIX);
        for (int i = 0; i < 5; i++) name.append(SUFFIX_LETTERS.charAt(RANDOM.nextInt(SUFFIX_LETTERS.length())));
        boolean mounted = false;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : JsonTree.elements(spec, list)) {
                if (!(c instanceof ObjectNode container)) continue;
                boolean taken = false;
                for (JsonNode m : JsonTree.elements(container, "volumeMounts")) {
                    if (TOKEN_MOUNT_PATH.equals(m.path("mountPath").asString(""))) taken = true;
                }
                if (taken) continue;
                ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode a ? a : container.putArray("volumeMounts");
                mounts.addObject().put("name", name.toString()).put("readOnly", true).put("mountPath", TOKEN_MOUNT_PATH);
                mounted = true;
            }
        }
        if (!mounted) return;
        ArrayNode volumes = spec.get("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes");
        ObjectNode projected = volumes.addObject().put("name", name.toString()).putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", 3607).put("path", "token");
        ObjectNode caMap = sources.addObject().putObject("configMap");
        caMap.put("name", "kube-root-ca.crt");
        caMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", 420);
    }

    /** What the ServiceAccount and DefaultTolerationSeconds admission plugins add. */
    static void admit(ObjectNode spec) {
        if (JsonTree.stringOrEmpty(spec, "serviceAccountName").isEmpty()) {
            spec.put("serviceAccountName", "default");
            spec.put("serviceAccount", "default");
        }
        addDefaultTolerations(spec);
    }

    /**
     * The Priority admission plugin: priority and preemption policy from the named PriorityClass,
     * or from the global default class (the lowest if several), or 0 and PreemptLowerPriority.
     * A pod may not name a class that does not exist, nor state a priority of its own that differs.
     */
    static void admitPriority(ObjectNode pod, ObjectNode spec, PriorityClassCatalog classes) {
        String className = JsonTree.stringOrEmpty(spec, "priorityClassName");
        int priority = 0;
        String preemption = "PreemptLowerPriority";
        if (className.isEmpty()) {
            ObjectNode globalDefault = null;
            if (classes != null) {
                for (ObjectNode pc : classes.all()) {
                    if (!Boolean.TRUE.equals(JsonTree.bool(pc, "globalDefault"))) continue;
                    if (globalDefault == null || value(pc) < value(globalDefault)) globalDefault = pc;
                }
            }
            if (globalDefault != null) {
                spec.put("priorityClassName", JsonTree.stringOrEmpty(JsonTree.object(globalDefault, "metadata"), "name"));
                priority = value(globalDefault);
                preemption = JsonTree.string(globalDefault, "preemptionPolicy") == null ? preemption : JsonTree.string(globalDefault, "preemptionPolicy");
            }
        } else {
            ObjectNode pc = classes == null ? null : classes.get(className).orElse(null);
            if (pc != null) {
                priority = value(pc);
                preemption = JsonTree.string(pc, "preemptionPolicy") == null ? preemption : JsonTree.string(pc, "preemptionPolicy");
            } else if (SYSTEM_PRIORITIES.containsKey(className)) {
                priority = SYSTEM_PRIORITIES.get(className);
            } else {
                throw forbidden(pod, "no PriorityClass with name " + className + " was found");
            }
        }
        Long given = JsonTree.integer(spec, "priority");
        if (given != null && given != priority) {
            throw forbidden(pod, "the integer value of priority (" + given + ") must not be provided in pod spec; "
                    + "priority admission controller computed " + priority + " from the given PriorityClass name");
        }
        String givenPolicy = JsonTree.string(spec, "preemptionPolicy");
        if (givenPolicy != null && !givenPolicy.isEmpty() && !givenPolicy.equals(preemption)) {
            throw forbidden(pod, "the string value of PreemptionPolicy (" + givenPolicy + ") must not be provided in "
                    + "pod spec; priority admission controller computed " + preemption + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        spec.put("preemptionPolicy", preemption);
    }

    private static int value(ObjectNode priorityClass) {
        Long v = JsonTree.integer(priorityClass, "value");
        return v == null ? 0 : v.intValue();
    }

    private static ApiException forbidden(ObjectNode pod, String reason) {
        String name = JsonTree.stringOrEmpty(JsonTree.object(pod, "metadata"), "name");
        return new ApiException(403, "Forbidden", "pods \"" + name + "\" is forbidden: " + reason, "", "pods", name, List.of());
    }

    static void addDefaultTolerations(ObjectNode spec) {
        boolean notReady = false;
        boolean unreachable = false;
        for (JsonNode t : JsonTree.elements(spec, "tolerations")) {
            String key = JsonTree.stringOrEmpty(t, "key");
            String effect = JsonTree.stringOrEmpty(t, "effect");
            boolean noExecute = effect.isEmpty() || effect.equals("NoExecute");
            if (noExecute && (key.isEmpty() || key.equals(NOT_READY))) notReady = true;
            if (noExecute && (key.isEmpty() || key.equals(UNREACHABLE))) unreachable = true;
        }
        if (notReady && unreachable) return;
        ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode a ? a : spec.putArray("tolerations");
        if (!notReady) tolerations.add(toleration(NOT_READY));
        if (!unreachable) tolerations.add(toleration(UNREACHABLE));
    }

    private static ObjectNode toleration(String key) {
        ObjectNode t = Json.object();
        t.put("effect", "NoExecute");
        t.put("key", key);
        t.put("operator", "Exists");
        t.put("tolerationSeconds", 300);
        return t;
    }

    /** The QoS class the kubelet and kube-apiserver compute from requests and limits of cpu and memory. */
    static String qosClass(ObjectNode spec) {
        Map<String, Quantity> requests = new HashMap<>();
        Map<String, Quantity> limits = new HashMap<>();
        boolean guaranteed = true;
        List<JsonNode> all = new java.util.ArrayList<>(JsonTree.elements(spec, "containers"));
        all.addAll(JsonTree.elements(spec, "initContainers"));
        for (JsonNode c : all) {
            JsonNode resources = c.get("resources");
            sum(JsonTree.object(resources, "requests"), requests);
            Set<String> found = sum(JsonTree.object(resources, "limits"), limits);
            if (!found.containsAll(List.of("cpu", "memory"))) guaranteed = false;
        }
        if (requests.isEmpty() && limits.isEmpty()) return "BestEffort";
        if (guaranteed) {
            for (Map.Entry<String, Quantity> r : requests.entrySet()) {
                Quantity l = limits.get(r.getKey());
                if (l == null || l.compareTo(r.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    private static Set<String> sum(ObjectNode list, Map<String, Quantity> into) {
        Set<String> found = new HashSet<>();
        if (list == null) return found;
        for (String name : List.of("cpu", "memory")) {
            Quantity q = Quantity.tryParse(Defaulting.quantityText(list.get(name))).orElse(null);
            if (q != null && q.signum() > 0) {
                found.add(name);
                into.merge(name, q, Quantity::add);
            }
        }
        return found;
    }

    @Override
    public List<StatusCause> validate(ObjectNode pod, ObjectNode old) {
        Causes causes = new Causes();
        ObjectNode spec = JsonTree.object(pod, "spec");
        if (spec == null) return causes.required(FieldPath.of("spec")).list();
        PodSpecValidation.validatePodSpec(spec, FieldPath.of("spec"), causes);
        if (old == null) {
            if (!JsonTree.elements(spec, "ephemeralContainers").isEmpty()) {
                causes.forbidden(FieldPath.of("spec", "ephemeralContainers"), "cannot be set on create");
            }
        } else if (JsonTree.object(old, "spec") != null) {
            validateUpdate(spec, JsonTree.object(old, "spec"), causes);
            validateEphemeralUpdate(spec, JsonTree.object(old, "spec"), causes);
        }
        return causes.list();
    }

    /** Ephemeral containers are only ever added: one that is there stays, as it is. */
    private static void validateEphemeralUpdate(ObjectNode spec, ObjectNode oldSpec, Causes causes) {
        Map<String, JsonNode> now = new HashMap<>();
        List<JsonNode> current = JsonTree.elements(spec, "ephemeralContainers");
        for (JsonNode c : current) now.put(c.path("name").asString(""), c);
        for (JsonNode before : JsonTree.elements(oldSpec, "ephemeralContainers")) {
            String name = before.path("name").asString("");
            JsonNode after = now.get(name);
            if (after == null) {
                causes.forbidden(FieldPath.of("spec", "ephemeralContainers"),
                        "existing ephemeral containers \"" + name + "\" may not be removed");
            } else if (!after.equals(before)) {
                causes.forbidden(FieldPath.of("spec", "ephemeralContainers").index(current.indexOf(after)),
                        "existing ephemeral containers \"" + name + "\" may not be changed");
            }
        }
    }

    private static void validateUpdate(ObjectNode spec, ObjectNode oldSpec, Causes causes) {
        ObjectNode now = spec.deepCopy();
        ObjectNode before = oldSpec.deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            List<JsonNode> a = JsonTree.elements(now, list);
            List<JsonNode> b = JsonTree.elements(before, list);
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (a.get(i) instanceof ObjectNode ca && b.get(i) instanceof ObjectNode cb && cb.has("image")) {
                    ca.set("image", cb.get("image"));
                }
            }
        }
        for (ObjectNode s : List.of(now, before)) {
            s.remove(List.of("activeDeadlineSeconds", "tolerations", "schedulingGates", "ephemeralContainers"));
        }
        // The binding subresource assigns a node once.
        if (JsonTree.stringOrEmpty(before, "nodeName").isEmpty()) now.remove("nodeName");
        else if (!now.has("nodeName")) now.set("nodeName", before.get("nodeName"));
        if (!now.equals(before)) {
            causes.forbidden(FieldPath.of("spec"), "pod updates may not change fields other than "
                    + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                    + "`spec.tolerations` (only additions to existing tolerations),"
                    + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        }
        List<JsonNode> oldTolerations = JsonTree.elements(oldSpec, "tolerations");
        List<JsonNode> newTolerations = JsonTree.elements(spec, "tolerations");
        for (JsonNode t : oldTolerations) {
            if (!newTolerations.contains(t)) {
                causes.forbidden(FieldPath.of("spec", "tolerations"), "existing toleration can not be modified except its tolerationSeconds");
                break;
            }
        }
    }
}
