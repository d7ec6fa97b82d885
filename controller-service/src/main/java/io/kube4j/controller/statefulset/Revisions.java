package io.kube4j.controller.statefulset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.kube4j.controller.deployment.TemplateHash;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Owners;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ControllerRevisions of a workload's pod template, in the shape kubectl's {@code rollout
 * history} and {@code rollout undo} read: {@code data} is the strategic merge patch
 * {@code {"spec":{"template":{…,"$patch":"replace"}}}} that restores the template, the name
 * {@code {owner}-{hash}}, the label {@value #HASH_LABEL}, {@code revision} a number that grows
 * with each new (or re-used) template. Pure functions.
 */
public final class Revisions {

    public static final String HASH_LABEL = "controller.kubernetes.io/hash";

    private Revisions() {}

    /** A new revision {@code number} of {@code owner}'s {@code template}, controlled by the owner. */
    public static ControllerRevision of(HasMetadata owner, PodTemplateSpec template, long number, Integer collisionCount) {
        String hash = TemplateHash.of(template, collisionCount);
        Map<String, String> labels = new HashMap<>(template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels());
        labels.put(HASH_LABEL, hash);
        return new ControllerRevisionBuilder()
                .withNewMetadata()
                .withNamespace(owner.getMetadata().getNamespace())
                .withName(owner.getMetadata().getName() + "-" + hash)
                .withLabels(labels)
                .withOwnerReferences(Owners.controllerRef(owner))
                .endMetadata()
                .withData(data(template))
                .withRevision(number)
                .build();
    }

    /** The revision's data for {@code template}. */
    static Map<String, Object> data(PodTemplateSpec template) {
        ObjectNode tree = Json.MAPPER.valueToTree(template);
        tree.put("$patch", "replace");
        ObjectNode data = Json.object();
        data.putObject("spec").set("template", tree);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(data, Map.class);
        return map;
    }

    /** The template a revision restores, or null when its data holds none. */
    public static PodTemplateSpec template(ControllerRevision revision) {
        if (revision.getData() == null) return null;
        JsonNode data = Json.MAPPER.valueToTree(revision.getData());
        JsonNode template = data.path("spec").path("template");
        if (!(template instanceof ObjectNode object)) return null;
        ObjectNode copy = object.deepCopy();
        copy.remove("$patch");
        return Json.MAPPER.convertValue(copy, PodTemplateSpec.class);
    }

    /** Whether {@code revision} restores {@code template}. */
    public static boolean restores(ControllerRevision revision, PodTemplateSpec template) {
        PodTemplateSpec stored = template(revision);
        return stored != null && TemplateHash.of(stored, null).equals(TemplateHash.of(template, null));
    }

    /** The highest revision number among {@code revisions}, 0 for none. */
    public static long max(List<ControllerRevision> revisions) {
        return revisions.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0);
    }

    /**
     * The revision in {@code history} that restores {@code template}, renumbered through
     * {@code objects} to be the newest when it is not (and so replaced in {@code history}), or
     * null when none does: a rollback re-uses its old revision, as Kubernetes does.
     */
    public static ControllerRevision reuse(ObjectClient objects, List<ControllerRevision> history, PodTemplateSpec template) {
        long max = max(history);
        for (ControllerRevision r : history) {
            if (!restores(r, template)) continue;
            if (r.getRevision() != null && r.getRevision() == max) return r;
            ControllerRevision renumbered = Copies.deep(r);
            renumbered.setRevision(max + 1);
            ControllerRevision updated = objects.update(renumbered);
            history.remove(r);
            history.add(updated);
            return updated;
        }
        return null;
    }
}
