package io.kube4j.gateway.http;

import io.kube4j.gateway.storage.SelectableFields;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.machinery.selection.FieldSelector;
import io.kube4j.machinery.selection.LabelSelector;
import tools.jackson.databind.node.ObjectNode;

import java.util.function.Predicate;

/** A request's label and field selectors as one predicate on objects of a kind. */
public final class Selectors {

    private Selectors() {}

    /**
     * @param predicate which objects match
     * @param selective whether any object can fail to match
     */
    public record Filter(Predicate<ObjectNode> predicate, boolean selective) {}

    /** Parses both selectors; a malformed one or a field the kind cannot select by is a 400. */
    public static Filter filter(ResourceType type, String labelSelector, String fieldSelector) {
        LabelSelector labels = labelSelector == null || labelSelector.isBlank()
                ? LabelSelector.everything() : LabelSelector.parse(labelSelector);
        FieldSelector fields = fieldSelector == null || fieldSelector.isBlank()
                ? FieldSelector.everything() : FieldSelector.parse(fieldSelector);
        for (String field : fields.fields()) {
            if (!SelectableFields.supports(type, field)) {
                throw ApiException.badRequest("field label not supported: " + field);
            }
        }
        boolean selective = !labels.isEmpty() || !fields.isEmpty();
        Predicate<ObjectNode> predicate = object -> labels.matches(KubeObject.labels(object))
                && fields.matches(field -> SelectableFields.value(object, field));
        return new Filter(predicate, selective);
    }
}
