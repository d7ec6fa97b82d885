package io.kube4j.gateway.http;

import io.kube4j.gateway.storage.DeleteOptions;
import io.kube4j.gateway.storage.DeleteResult;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.patch.ManagedFields;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.machinery.selection.LabelSelector;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * The subresources that are views of their object: {@code scale} (autoscaling/v1 Scale over
 * {@code spec.replicas}), {@code binding} (assigns a pod to a node), {@code eviction}, and a
 * namespace's {@code finalize}, and a ServiceAccount's {@code token} (a TokenRequest). {@code status} is handled with the object itself.
 */
public final class Subresources {

    private final ResourceStorage storage;
    private final ObjectPatcher patcher;
    private final Clock clock;
    private final io.kube4j.gateway.security.TokenRequests tokenRequests;
    private final PodBinding podBinding;
    private final PodEviction eviction;

    public Subresources(ResourceStorage storage, ObjectPatcher patcher, Clock clock,
                        io.kube4j.gateway.security.TokenRequests tokenRequests, PodBinding podBinding) {
        this.storage = storage;
        this.podBinding = podBinding;
        this.patcher = patcher;
        this.clock = clock;
        this.tokenRequests = tokenRequests;
        this.eviction = new PodEviction(storage, clock);
    }

    private static final ResourceType SCALE = new ResourceType("autoscaling", "v1", "Scale", "scale", "scale", true,
            List.of(), List.of(), java.util.Set.of());

    public void get(ResourceType type, String namespace, String name, String subresource, HttpServletRequest request,
                    HttpServletResponse response) throws IOException {
        switch (subresource) {
            case "scale" -> ApiResponses.write(response, 200, scaleOf(storage.get(type, namespace, name)), MediaTypes.Rendering.JSON);
            default -> throw ApiException.methodNotSupported(type.group(), type.plural() + "/" + subresource, "get");
        }
    }

    public void post(ResourceType type, String namespace, String name, String subresource, ObjectNode body,
                     boolean dryRun, HttpServletResponse response) throws IOException {
        switch (subresource) {
            case "binding" -> bind(namespace, name, body, dryRun, response);
            case "token" -> ApiResponses.write(response, 201,
                    tokenRequests.answer(storage.get(type, namespace, name), body), MediaTypes.Rendering.JSON);
            case "eviction" -> {
                if (!type.equals(BuiltInTypes.POD)) throw ApiException.methodNotSupported(type.group(), type.plural() + "/eviction", "create");
                JsonNode deleteOptions = body.path("deleteOptions");
                Long grace = deleteOptions.hasNonNull("gracePeriodSeconds") ? deleteOptions.get("gracePeriodSeconds").asLong() : null;
                boolean evictionDryRun = dryRun || deleteOptions.path("dryRun").isArray() && !deleteOptions.path("dryRun").isEmpty();
                DeleteResult result = eviction.evict(namespace, name, new DeleteOptions(grace, null, null, null, evictionDryRun));
                ApiResponses.write(response, 201, ResourceController.successStatus(type, result.object()), MediaTypes.Rendering.JSON);
            }
            default -> throw ApiException.methodNotSupported(type.group(), type.plural() + "/" + subresource, "create");
        }
    }

    /**
     * @param manager who writes, for managedFields (scale and finalize record an Update with their subresource;
     *                a finalize that only takes finalizers away leaves no entry of its own)
     */
    public void put(ResourceType type, String namespace, String name, String subresource, ObjectNode body,
                    boolean dryRun, ManagedFields.Manager manager, HttpServletResponse response) throws IOException {
        switch (subresource) {
            case "scale" -> {
                ObjectNode updated = storage.mutate(type, namespace, name, current -> withScale(type, current, body),
                        ResourceStorage.Part.MAIN, dryRun, manager);
                ApiResponses.write(response, 200, scaleOf(updated), MediaTypes.Rendering.JSON);
            }
            case "finalize" -> {
                if (!type.equals(BuiltInTypes.NAMESPACE)) {
                    throw ApiException.methodNotSupported(type.group(), type.plural() + "/finalize", "update");
                }
                ObjectNode updated = storage.mutate(type, namespace, name, current -> {
                    String rv = KubeObject.resourceVersion(body);
                    ObjectNode next = current.deepCopy();
                    JsonNode finalizers = body.path("spec").path("finalizers");
                    ObjectNode spec = next.withObjectProperty("spec");
                    if (finalizers.isArray()) spec.set("finalizers", finalizers);
                    else spec.remove("finalizers");
                    if (rv != null && !rv.isEmpty()) KubeObject.metadata(next).put("resourceVersion", rv);
                    return next;
                    // An update like any other to kube-apiserver's field management, with subresource finalize.
                }, ResourceStorage.Part.FINALIZE, dryRun, manager);
                ApiResponses.write(response, 200, updated, MediaTypes.Rendering.JSON);
            }
            default -> throw ApiException.methodNotSupported(type.group(), type.plural() + "/" + subresource, "update");
        }
    }

    public void patch(ResourceType type, String namespace, String name, String subresource, byte[] patch,
                      String contentType, boolean dryRun, ManagedFields.Manager manager, HttpServletResponse response)
            throws IOException {
        if (!subresource.equals("scale")) {
            throw ApiException.methodNotSupported(type.group(), type.plural() + "/" + subresource, "patch");
        }
        ObjectNode updated = storage.mutate(type, namespace, name, current -> {
            ObjectNode scale = scaleOf(current);
            ObjectNode patched = patcher.patch(SCALE, scale, patch, contentType, null, false);
            return withScale(type, current, patched);
        }, ResourceStorage.Part.MAIN, dryRun, manager);
        ApiResponses.write(response, 200, scaleOf(updated), MediaTypes.Rendering.JSON);
    }

    /** The autoscaling/v1 Scale view of an object with {@code spec.replicas}. */
    static ObjectNode scaleOf(ObjectNode object) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        ObjectNode source = KubeObject.metadata(object);
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (source.has(field)) meta.set(field, source.get(field));
        }
        scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", object.path("status").path("replicas").asInt(0));
        String selector = selectorString(object.path("spec").path("selector"));
        if (!selector.isEmpty()) status.put("selector", selector);
        return scale;
    }

    private static ObjectNode withScale(ResourceType type, ObjectNode current, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asLong() < 0 || replicas.asLong() > Integer.MAX_VALUE) {
            throw ApiException.invalid("autoscaling", "Scale", KubeObject.name(current), List.of(
                    StatusCause.invalid("spec.replicas", replicas.isMissingNode() ? "null" : replicas.toString(),
                            "must be greater than or equal to 0")));
        }
        String rv = KubeObject.resourceVersion(scale);
        ObjectNode next = current.deepCopy();
        next.withObjectProperty("spec").put("replicas", replicas.asInt());
        if (rv != null && !rv.isEmpty()) KubeObject.metadata(next).put("resourceVersion", rv);
        else KubeObject.metadata(next).remove("resourceVersion");
        return next;
    }

    /**
     * A label selector object in the query-string form, as Scale.status.selector carries it
     * (requirements sorted by key, as kube-apiserver formats them); empty when there is none or it
     * cannot be read.
     */
    static String selectorString(JsonNode selector) {
        if (selector.isString()) return selector.asString();
        if (!selector.isObject()) return "";
        try {
            return LabelSelector.fromJson(selector).toString();
        } catch (ApiException malformed) {
            return "";
        }
    }

    private void bind(String namespace, String name, ObjectNode binding, boolean dryRun, HttpServletResponse response)
            throws IOException {
        podBinding.bind(namespace, name, binding, dryRun);
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        status.put("code", 201);
        ApiResponses.write(response, 201, status, MediaTypes.Rendering.JSON);
    }
}
