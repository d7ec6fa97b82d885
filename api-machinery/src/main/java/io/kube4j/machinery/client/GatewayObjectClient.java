package io.kube4j.machinery.client;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PreconditionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Optional;

/** {@link ObjectClient} over fabric8's client: every call is one request to the gateway. */
public final class GatewayObjectClient implements ObjectClient {

    private final KubernetesClient client;

    public GatewayObjectClient(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        return client.resource(object).create();
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        requireResourceVersion(object);
        return client.resource(object).update();
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        requireResourceVersion(object);
        return client.resource(object).updateStatus();
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        var resources = client.resources(type);
        T found = namespace == null || namespace.isEmpty()
                ? resources.withName(name).get()
                : resources.inNamespace(namespace).withName(name).get();
        return Optional.ofNullable(found);
    }

    @Override
    public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, String preconditionUid, String propagation) {
        var options = new DeleteOptionsBuilder();
        if (preconditionUid != null) options.withPreconditions(new PreconditionsBuilder().withUid(preconditionUid).build());
        if (propagation != null) options.withPropagationPolicy(propagation);
        try {
            client.raw(GatewayClients.url(client, path(type, namespace, name)), "DELETE", options.build());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
            return false;
        }
    }

    /** The object's REST path, e.g. {@code /apis/apps/v1/namespaces/default/deployments/web}. */
    static String path(Class<? extends HasMetadata> type, String namespace, String name) {
        String group = HasMetadata.getGroup(type);
        String base = group == null || group.isEmpty() ? "/api/" + HasMetadata.getVersion(type) : "/apis/" + group + "/" + HasMetadata.getVersion(type);
        String scope = Namespaced.class.isAssignableFrom(type) && namespace != null && !namespace.isEmpty() ? "/namespaces/" + namespace : "";
        return base + scope + "/" + HasMetadata.getPlural(type) + "/" + name;
    }

    private static void requireResourceVersion(HasMetadata object) {
        if (object.getMetadata() == null || object.getMetadata().getResourceVersion() == null) {
            throw new IllegalArgumentException("an update needs the resourceVersion it was read at: "
                    + object.getKind() + " " + (object.getMetadata() == null ? "?" : object.getMetadata().getName()));
        }
    }
}
