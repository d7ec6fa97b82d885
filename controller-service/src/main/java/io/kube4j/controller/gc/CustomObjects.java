package io.kube4j.controller.gc;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PreconditionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.ResourceType;

import java.util.Optional;

/**
 * Reads, updates and deletes objects of types that have no model class (custom resources), by
 * their {@link ResourceType}: what {@link io.kube4j.machinery.client.ObjectClient} does for the
 * built-in kinds, with the same guarantees — an update carries its resourceVersion precondition,
 * a delete its uid precondition, deleting what is gone is not an error, and errors are the
 * gateway's {@link KubernetesClientException}s. Thread-safe.
 */
public interface CustomObjects {

    /** The current object from the gateway (not a cache), or empty when it does not exist. */
    Optional<GenericKubernetesResource> get(ResourceType type, String namespace, String name);

    /** Replaces the object if its resourceVersion is still current; 409 otherwise. */
    GenericKubernetesResource update(ResourceType type, GenericKubernetesResource object);

    void delete(ResourceType type, String namespace, String name, String preconditionUid, String propagation);

    /** Over the gateway's REST paths, which serve every type its CustomResourceDefinitions add. */
    static CustomObjects gateway(KubernetesClient client) {
        return new CustomObjects() {
            private String path(ResourceType type, String namespace, String name) {
                String base = GatewayClients.url(client, type.apiPath());
                String scope = type.namespaced() && namespace != null && !namespace.isEmpty() ? "/namespaces/" + namespace : "";
                return base + scope + "/" + type.plural() + "/" + name;
            }

            @Override
            public Optional<GenericKubernetesResource> get(ResourceType type, String namespace, String name) {
                String body;
                try {
                    body = client.raw(path(type, namespace, name));
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 404) return Optional.empty();
                    throw e;
                }
                return Optional.ofNullable(body).map(b -> Json.MAPPER.readValue(b, GenericKubernetesResource.class));
            }

            @Override
            public GenericKubernetesResource update(ResourceType type, GenericKubernetesResource object) {
                if (object.getMetadata().getResourceVersion() == null) {
                    throw new IllegalArgumentException("an update needs the resourceVersion it was read at: "
                            + type.kind() + " " + object.getMetadata().getName());
                }
                String body = client.raw(path(type, object.getMetadata().getNamespace(), object.getMetadata().getName()), "PUT", object);
                return Json.MAPPER.readValue(body, GenericKubernetesResource.class);
            }

            @Override
            public void delete(ResourceType type, String namespace, String name, String preconditionUid, String propagation) {
                var options = new DeleteOptionsBuilder();
                if (preconditionUid != null) options.withPreconditions(new PreconditionsBuilder().withUid(preconditionUid).build());
                if (propagation != null) options.withPropagationPolicy(propagation);
                try {
                    client.raw(path(type, namespace, name), "DELETE", options.build());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) throw e;
                }
            }
        };
    }
}
