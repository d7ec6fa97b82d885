package io.kube4j.gateway.http;

import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.Store;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A pod's {@code binding} subresource, as kube-apiserver's BindingREST does it: a guarded update
 * that sets {@code spec.nodeName} once, marks the pod PodScheduled=True and merges the binding's
 * annotations. Only the Binding is validated; the pod is neither defaulted nor validated again,
 * which makes a binding cost about one compare-and-swap (the scheduler sends one per pod).
 *
 * <p>Thread-safe. Errors: 422 for a Binding without a target name or with a target that is not a
 * Node, 404 for a missing pod, 409 for a pod already bound, being deleted, or of another uid.
 */
public final class PodBinding {

    private final ResourceStorage storage;
    private final Function<String, Optional<Store.KeyValue>> cached;
    private final Clock clock;

    /** {@code cached} answers the newest value seen for a store key, possibly stale (a watch cache's). */
    public PodBinding(ResourceStorage storage, Function<String, Optional<Store.KeyValue>> cached, Clock clock) {
        this.storage = storage;
        this.cached = cached;
        this.clock = clock;
    }

    /** Binds the pod to the Binding's target node and returns the pod as stored. */
    public ObjectNode bind(String namespace, String name, ObjectNode binding, boolean dryRun) {
        String node = binding.path("target").path("name").asString("");
        String targetKind = binding.path("target").path("kind").asString("");
        if (!targetKind.isEmpty() && !targetKind.equals("Node")) {
            throw ApiException.invalid("", "Binding", name,
                    List.of(StatusCause.notSupported("target.kind", targetKind, List.of("Node", "<empty>"))));
        }
        if (node.isEmpty()) {
            throw ApiException.invalid("", "Binding", name, List.of(StatusCause.required("target.name")));
        }
        String bindingName = KubeObject.name(binding);
        if (bindingName != null && !bindingName.isEmpty() && !bindingName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bindingName
                    + ") does not match the name on the URL (" + name + ")");
        }
        String uid = binding.path("metadata").path("uid").asString("");
        JsonNode annotations = binding.path("metadata").path("annotations");
        String key = BuiltInTypes.POD.key(namespace, name);
        return storage.updateOwnedFields(BuiltInTypes.POD, namespace, name, cached.apply(key).orElse(null),
                pod -> assigned(pod, name, node, uid, annotations), dryRun);
    }

    /** The pod bound to the node, or the refusal kube-apiserver gives; {@code pod} is a copy it may change. */
    private ObjectNode assigned(ObjectNode pod, String name, String node, String uid, JsonNode annotations) {
        if (KubeObject.isDeleting(pod)) {
            throw ApiException.conflict("", "pods/binding", name,
                    "pod " + name + " is being deleted, cannot be assigned to a host");
        }
        if (!uid.isEmpty() && !uid.equals(KubeObject.uid(pod))) {
            throw ApiException.conflict("", "pods", name, "Precondition failed: UID in precondition: " + uid
                    + ", UID in object meta: " + KubeObject.uid(pod));
        }
        String assigned = pod.path("spec").path("nodeName").asString("");
        if (!assigned.isEmpty()) {
            throw ApiException.conflict("", "pods/binding", name,
                    "pod " + name + " is already assigned to node \"" + assigned + "\"");
        }
        pod.withObjectProperty("spec").put("nodeName", node);
        if (annotations.isObject() && !annotations.isEmpty()) {
            ObjectNode target = KubeObject.metadata(pod).withObjectProperty("annotations");
            annotations.properties().forEach(e -> target.set(e.getKey(), e.getValue()));
        }
        setScheduledCondition(pod);
        return pod;
    }

    private void setScheduledCondition(ObjectNode pod) {
        ObjectNode status = pod.withObjectProperty("status");
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode existing ? existing : status.putArray("conditions");
        for (int i = conditions.size() - 1; i >= 0; i--) {
            if ("PodScheduled".equals(conditions.get(i).path("type").asString(""))) conditions.remove(i);
        }
        ObjectNode condition = conditions.addObject();
        condition.put("type", "PodScheduled");
        condition.put("status", "True");
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", KubeObject.timestamp(clock.instant()));
    }
}
