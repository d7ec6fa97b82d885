package io.kube4j.controller.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.kube4j.machinery.registry.ResourceType;

import java.util.List;

/**
 * What the namespace controller asks of the gateway about one namespace's content, by type
 * (built-in or custom). Calls are synchronous requests; errors are the gateway's
 * {@link io.fabric8.kubernetes.client.KubernetesClientException}s. Thread-safe.
 */
public interface NamespaceContent {

    /** One object left in a namespace: its name and the finalizers it still waits for. */
    record Remaining(String name, List<String> finalizers) {
    }

    /** Deletes every object of {@code type} in {@code namespace} (objects with finalizers are marked, not removed). A type the gateway no longer serves is no error. */
    void deleteAll(ResourceType type, String namespace);

    /** The objects of {@code type} still in {@code namespace}; empty for a type the gateway no longer serves. */
    List<Remaining> remaining(ResourceType type, String namespace);

    /** Replaces the namespace's {@code spec.finalizers} through the {@code finalize} subresource, guarded by its resourceVersion. */
    void finalize(Namespace namespace);
}
