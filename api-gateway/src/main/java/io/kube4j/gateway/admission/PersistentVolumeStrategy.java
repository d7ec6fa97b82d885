package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.quantity.Quantity;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * PersistentVolumes (v1): reclaim policy Retain, volumeMode Filesystem, status Pending with its
 * lastPhaseTransitionTime, the {@code kubernetes.io/pv-protection} finalizer; access modes, a positive storage capacity and exactly one volume
 * source required; volumeMode immutable.
 */
@Component
public final class PersistentVolumeStrategy extends BaseStrategy {

    private static final List<String> RECLAIM = List.of("Delete", "Recycle", "Retain");
    private static final Set<String> SOURCES = Set.of("hostPath", "gcePersistentDisk", "awsElasticBlockStore",
            "glusterfs", "nfs", "rbd", "quobyte", "cinder", "cephfs", "fc", "flocker", "flexVolume", "azureFile",
            "vsphereVolume", "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos", "csi",
            "iscsi", "azureDisk");

    private final Clock clock;

    public PersistentVolumeStrategy() {
        this(Clock.systemUTC());
    }

    PersistentVolumeStrategy(Clock clock) {
        super("", "PersistentVolume");
        this.clock = clock;
    }

    @Override
    public void defaults(ObjectNode pv) {
        Defaulting.defaultText(JsonTree.ensureObject(pv, "status"), "phase", "Pending");
        ObjectNode spec = Workloads.spec(pv);
        Defaulting.defaultText(spec, "persistentVolumeReclaimPolicy", "Retain");
        Defaulting.defaultText(spec, "volumeMode", "Filesystem");
        Defaulting.canonicalizeQuantities(spec.get("capacity"));
        if (spec.get("hostPath") instanceof ObjectNode hostPath && !JsonTree.present(hostPath, "type")) hostPath.put("type", "");
    }

    @Override
    public void prepareForCreate(ObjectNode pv, AdmissionContext context) {
        ObjectNode status = pv.putObject("status");
        status.put("phase", "Pending");
        status.put("lastPhaseTransitionTime", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        io.kube4j.machinery.object.KubeObject.addFinalizer(pv, PersistentVolumeClaimStrategy.PV_PROTECTION);
    }

    @Override
    public List<StatusCause> validate(ObjectNode pv, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(pv, "spec");
        if (spec == null) return causes.required(specPath).list();
        PersistentVolumeClaimStrategy.validateAccessModes(spec, specPath, causes, "");
        ObjectNode capacity = JsonTree.object(spec, "capacity");
        FieldPath capPath = specPath.child("capacity");
        if (capacity == null || capacity.isEmpty()) causes.required(capPath);
        if (capacity == null || !capacity.has("storage") || capacity.size() > 1) {
            causes.notSupported(capPath, new GoValues.Raw(String.valueOf(capacity)), List.of("storage"));
        }
        if (capacity != null) {
            capacity.properties().forEach(e -> {
                String text = Defaulting.quantityText(e.getValue());
                Quantity q = Quantity.tryParse(text).orElse(null);
                if (q == null) causes.invalid(capPath.key(e.getKey()), text == null ? e.getValue() : text, Quantity.SYNTAX_MESSAGE);
                else if (q.signum() <= 0) causes.invalid(capPath.key(e.getKey()), q.toString(), "must be greater than zero");
            });
        }
        String reclaim = JsonTree.stringOrEmpty(spec, "persistentVolumeReclaimPolicy");
        if (!reclaim.isEmpty() && !RECLAIM.contains(reclaim)) {
            causes.notSupported(specPath.child("persistentVolumeReclaimPolicy"), reclaim, RECLAIM);
        }
        String mode = JsonTree.string(spec, "volumeMode");
        if (mode != null && !PersistentVolumeClaimStrategy.VOLUME_MODES.contains(mode)) {
            causes.notSupported(specPath.child("volumeMode"), mode, PersistentVolumeClaimStrategy.VOLUME_MODES);
        }
        List<String> sources = spec.propertyStream()
                .filter(e -> SOURCES.contains(e.getKey()) && !e.getValue().isNull()).map(java.util.Map.Entry::getKey).toList();
        if (sources.isEmpty()) causes.required(specPath, "must specify a volume type");
        else if (sources.size() > 1) causes.forbidden(specPath.child(sources.get(1)), "may not specify more than 1 volume type");
        if (spec.get("hostPath") instanceof ObjectNode hostPath && JsonTree.stringOrEmpty(hostPath, "path").isEmpty()) {
            causes.required(specPath.child("hostPath", "path"));
        }
        if (spec.get("local") instanceof ObjectNode local && JsonTree.stringOrEmpty(local, "path").isEmpty()) {
            causes.required(specPath.child("local", "path"));
        }
        String className = JsonTree.string(spec, "storageClassName");
        if (className != null && !className.isEmpty()) {
            causes.invalidEach(specPath.child("storageClassName"), className, NameValidation.isDns1123Subdomain(className));
        }
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        if (oldSpec != null && !JsonTree.stringOrEmpty(spec, "volumeMode").equals(JsonTree.stringOrEmpty(oldSpec, "volumeMode"))) {
            causes.immutable(specPath.child("volumeMode"), JsonTree.stringOrEmpty(spec, "volumeMode"));
        }
        return causes.list();
    }
}
