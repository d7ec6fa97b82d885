package io.kube4j.gateway.patch;

import io.kube4j.gateway.http.MediaTypes;
import io.kube4j.gateway.http.ObjectPatcher;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.patch.ApplyPatch;
import io.kube4j.machinery.patch.JsonPatch;
import io.kube4j.machinery.patch.KubernetesPatchMeta;
import io.kube4j.machinery.patch.MergePatch;
import io.kube4j.machinery.patch.StrategicMergePatch;
import io.kube4j.machinery.registry.ResourceType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

/** The four patch types of the Kubernetes API, chosen by the request's Content-Type. */
@Component
public class KubernetesObjectPatcher implements ObjectPatcher {

    /** Stamps the time of server-side apply's managedFields entries. */
    private final Clock clock;

    public KubernetesObjectPatcher(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ObjectNode patch(ResourceType type, ObjectNode current, byte[] patch, String contentType,
                            String fieldManager, boolean force) {
        JsonNode result = switch (contentType) {
            case MediaTypes.JSON_PATCH -> JsonPatch.apply(current, Json.readTree(patch, false));
            case MediaTypes.MERGE_PATCH, MediaTypes.JSON -> MergePatch.apply(current, Json.readTree(patch, false));
            case MediaTypes.STRATEGIC_MERGE_PATCH -> {
                if (!KubernetesPatchMeta.supportsStrategicMerge(type.group(), type.kind())) {
                    throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                            + "format - accepted media types include: application/json-patch+json, "
                            + "application/merge-patch+json, application/apply-patch+yaml", type.group(), type.plural(),
                            null, List.of());
                }
                yield StrategicMergePatch.apply(current, Json.readTree(patch, false),
                        KubernetesPatchMeta.forKind(type.group(), type.kind()));
            }
            case MediaTypes.APPLY_PATCH_YAML -> ApplyPatch.apply(current, Json.readTree(patch, true),
                    KubernetesPatchMeta.forKind(type.group(), type.kind()), fieldManager, force, clock.instant());
            default -> throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown "
                    + "format - accepted media types include: application/json-patch+json, application/merge-patch+json, "
                    + "application/strategic-merge-patch+json, application/apply-patch+yaml", type.group(), type.plural(), null, List.of());
        };
        if (!(result instanceof ObjectNode object)) {
            throw ApiException.badRequest("the patched object is not a JSON object");
        }
        return object;
    }
}
