package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import tools.jackson.databind.node.ObjectNode;

/** Defaulting of a {@code PersistentVolumeClaimSpec}, shared by PVCs, StatefulSet claim templates and ephemeral volumes. */
final class ClaimDefaults {

    private ClaimDefaults() {}

    static void defaultClaimSpec(ObjectNode spec) {
        Defaulting.defaultText(spec, "volumeMode", "Filesystem");
        if (spec.get("resources") instanceof ObjectNode resources) {
            Defaulting.canonicalizeQuantities(resources.get("requests"));
            Defaulting.canonicalizeQuantities(resources.get("limits"));
        }
    }

    /** A claim object (PVC or claim template): spec defaults and {@code status.phase: Pending}. */
    static void defaultClaim(ObjectNode claim) {
        defaultClaimSpec(JsonTree.ensureObject(claim, "spec"));
        Defaulting.defaultText(JsonTree.ensureObject(claim, "status"), "phase", "Pending");
    }
}
