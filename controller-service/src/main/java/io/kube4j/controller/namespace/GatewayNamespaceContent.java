package io.kube4j.controller.namespace;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** {@link NamespaceContent} over the gateway's REST API: deletecollection, list and {@code namespaces/{name}/finalize}. */
public final class GatewayNamespaceContent implements NamespaceContent {

    private final KubernetesClient client;

    public GatewayNamespaceContent(KubernetesClient client) {
        this.client = client;
    }

    private String collection(ResourceType type, String namespace) {
        return GatewayClients.url(client, type.apiPath() + "/namespaces/" + namespace + "/" + type.plural());
    }

    @Override
    public void deleteAll(ResourceType type, String namespace) {
        try {
            client.raw(collection(type, namespace), "DELETE", new DeleteOptionsBuilder().withPropagationPolicy("Background").build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }

    @Override
    public List<Remaining> remaining(ResourceType type, String namespace) {
        String body;
        try {
            body = client.raw(collection(type, namespace));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) return List.of();
            throw e;
        }
        if (body == null) return List.of();
        List<Remaining> remaining = new ArrayList<>();
        for (JsonNode item : Json.MAPPER.readTree(body).path("items")) {
            JsonNode metadata = item.path("metadata");
            List<String> finalizers = new ArrayList<>();
            metadata.path("finalizers").forEach(f -> finalizers.add(f.asString()));
            remaining.add(new Remaining(metadata.path("name").asString(), finalizers));
        }
        return remaining;
    }

    @Override
    public void finalize(Namespace namespace) {
        client.raw(GatewayClients.url(client, "/api/v1/namespaces/" + namespace.getMetadata().getName() + "/finalize"), "PUT", namespace);
    }
}
