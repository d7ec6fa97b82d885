package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.quantity.Quantity;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * PersistentVolumeClaims (v1): volumeMode Filesystem, status.phase Pending, the default
 * StorageClass for a claim that names none, the {@code kubernetes.io/pvc-protection} finalizer; access modes and a
 * positive storage request required; the spec is immutable except for growing the storage request
 * of a bound claim and setting volumeName once.
 */
@Component
public final class PersistentVolumeClaimStrategy extends BaseStrategy {

    static final List<String> ACCESS_MODES = List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");

    public PersistentVolumeClaimStrategy() {
        super("", "PersistentVolumeClaim");
    }

    @Override
    public void defaults(ObjectNode pvc) {
        ClaimDefaults.defaultClaim(pvc);
    }

    @Override
    public void prepareForCreate(ObjectNode pvc, AdmissionContext context) {
        pvc.putObject("status").put("phase", "Pending");
        KubeObject.addFinalizer(pvc, PVC_PROTECTION);
        ObjectNode spec = Workloads.spec(pvc);
        // The DefaultStorageClass admission plugin: only a claim that names no class at all gets one.
        if (!spec.has("storageClassName") || spec.get("storageClassName").isNull()) {
            defaultClass(context).ifPresent(name -> spec.put("storageClassName", name));
        }
    }

    /** The StorageObjectInUseProtection admission plugin's finalizers: released by the controllers once nothing uses the object. */
    static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
    static final String PV_PROTECTION = "kubernetes.io/pv-protection";

    static final String DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class";
    static final String BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class";

    /** The default StorageClass: of several, the newest (then the first by name), as Kubernetes picks. */
    static java.util.Optional<String> defaultClass(AdmissionContext context) {
        if (context == null || context.store() == null) return java.util.Optional.empty();
        ObjectNode best = null;
        for (ObjectNode sc : StoredObjects.list(context.store(), BuiltInTypes.STORAGE_CLASS)) {
            ObjectNode annotations = JsonTree.object(JsonTree.object(sc, "metadata"), "annotations");
            boolean isDefault = "true".equals(JsonTree.string(annotations, DEFAULT_CLASS))
                    || "true".equals(JsonTree.string(annotations, BETA_DEFAULT_CLASS));
            if (!isDefault) continue;
            if (best == null || newer(sc, best)) best = sc;
        }
        return java.util.Optional.ofNullable(best).map(sc -> JsonTree.stringOrEmpty(JsonTree.object(sc, "metadata"), "name"));
    }

    private static boolean newer(ObjectNode a, ObjectNode b) {
        String ta = JsonTree.stringOrEmpty(JsonTree.object(a, "metadata"), "creationTimestamp");
        String tb = JsonTree.stringOrEmpty(JsonTree.object(b, "metadata"), "creationTimestamp");
        int byTime = ta.compareTo(tb);
        if (byTime != 0) return byTime > 0;
        return JsonTree.stringOrEmpty(JsonTree.object(a, "metadata"), "name").compareTo(JsonTree.stringOrEmpty(JsonTree.object(b, "metadata"), "name")) < 0;
    }

    @Override
    public List<StatusCause> validate(ObjectNode pvc, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(pvc, "spec");
        if (spec == null) return causes.required(specPath).list();
        validateClaimSpec(spec, specPath, causes);
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        if (oldSpec != null) {
            ObjectNode now = spec.deepCopy();
            ObjectNode before = oldSpec.deepCopy();
            if (JsonTree.stringOrEmpty(before, "volumeName").isEmpty()) {
                if (now.has("volumeName")) before.set("volumeName", now.get("volumeName"));
                else before.remove("volumeName");
            }
            boolean bound = "Bound".equals(JsonTree.string(JsonTree.object(pvc, "status"), "phase"));
            JsonNode oldStorage = JsonTree.object(JsonTree.object(before, "resources"), "requests") == null ? null
                    : before.get("resources").get("requests").get("storage");
            if (bound && now.get("resources") instanceof ObjectNode r && r.get("requests") instanceof ObjectNode req) {
                if (oldStorage == null) req.remove("storage");
                else req.set("storage", oldStorage);
            }
            now.remove("volumeAttributesClassName");
            before.remove("volumeAttributesClassName");
            if (!now.equals(before)) {
                causes.forbidden(specPath, "spec is immutable after creation except resources.requests and "
                        + "volumeAttributesClassName for bound claims");
            }
            Quantity newSize = storage(spec);
            Quantity oldSize = storage(oldSpec);
            if (newSize != null && oldSize != null && newSize.compareTo(oldSize) < 0) {
                causes.forbidden(FieldPath.of("spec", "resources", "requests", "storage"),
                        "field can not be less than previous value");
            }
        }
        return causes.list();
    }

    private static Quantity storage(ObjectNode spec) {
        ObjectNode requests = JsonTree.object(JsonTree.object(spec, "resources"), "requests");
        return requests == null ? null : Quantity.tryParse(Defaulting.quantityText(requests.get("storage"))).orElse(null);
    }

    static void validateClaimSpec(ObjectNode spec, FieldPath path, Causes causes) {
        validateAccessModes(spec, path, causes, "at least 1 access mode is required");
        if (spec.get("selector") instanceof ObjectNode selector) LabelSelectors.validate(selector, path.child("selector"), causes);
        ObjectNode requests = JsonTree.object(JsonTree.object(spec, "resources"), "requests");
        FieldPath storagePath = path.child("resources").key("storage");
        JsonNode storage = requests == null ? null : requests.get("storage");
        if (storage == null || storage.isNull()) {
            causes.required(storagePath);
        } else {
            String text = Defaulting.quantityText(storage);
            Quantity q = Quantity.tryParse(text).orElse(null);
            if (q == null) causes.invalid(storagePath, text == null ? storage : text, Quantity.SYNTAX_MESSAGE);
            else if (q.signum() <= 0) causes.invalid(storagePath, q.toString(), "must be greater than zero");
        }
        String className = JsonTree.string(spec, "storageClassName");
        if (className != null && !className.isEmpty()) {
            causes.invalidEach(path.child("storageClassName"), className, NameValidation.isDns1123Subdomain(className));
        }
        String mode = JsonTree.string(spec, "volumeMode");
        if (mode != null && !VOLUME_MODES.contains(mode)) causes.notSupported(path.child("volumeMode"), mode, VOLUME_MODES);
    }

    static void validateAccessModes(ObjectNode spec, FieldPath path, Causes causes, String requiredDetail) {
        List<JsonNode> modes = JsonTree.elements(spec, "accessModes");
        if (modes.isEmpty()) causes.required(path.child("accessModes"), requiredDetail);
        for (JsonNode m : modes) {
            String mode = JsonTree.string(m) == null ? "" : JsonTree.string(m);
            if (!ACCESS_MODES.contains(mode)) {
                causes.notSupported(path.child("accessModes"), mode, ACCESS_MODES);
            } else if (mode.equals("ReadWriteOncePod") && modes.size() > 1) {
                causes.forbidden(path.child("accessModes"), "may not use ReadWriteOncePod with other access modes");
            }
        }
    }
}
