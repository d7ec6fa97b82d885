package io.kube4j.gateway.admission;

import tools.jackson.databind.node.ObjectNode;

/** Defaulting of a {@code PersistentVolumeClaimSpec}, shared by PVCs, StatefulSet claim templates and ephemeral volumes. */
final class ClaimDefaults {

    private ClaimDefaults() {}

    static void defaultClaimSpec(ObjectNode spec) {
        Json.defaultText(spec, "volumeMode", "Filesystem");
        if (spec.get("resources") instanceof ObjectNode resources) {
            Json.canonicalizeQuantities(resources.get("requests"));
            Json.canonicalizeQuantities(resources.get("limits"));
        }
    }

    /** A claim object (PVC or claim template): spec defaults and {@code status.phase: Pending}. */
    static void defaultClaim(ObjectNode claim) {
        defaultClaimSpec(Json.ensureObj(claim, "spec"));
        Json.defaultText(Json.ensureObj(claim, "status"), "phase", "Pending");
    }
}
