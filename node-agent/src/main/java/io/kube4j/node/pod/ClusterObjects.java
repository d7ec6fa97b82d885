package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kube4j.node.volume.ServiceAccountTokens;
import io.kube4j.node.volume.VolumeManager;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ConfigMaps and Secrets read through the gateway when a container or volume needs them, and the
 * ServiceAccount tokens projected into pods (the TokenRequest API). Thread-safe.
 */
public final class ClusterObjects implements EnvResolver.Objects, ServiceAccountTokens {

    private final KubernetesClient client;
    /** Every Service, kept by a watch from the first pod that needs them on (the kubelet's service lister). */
    private SharedIndexInformer<Service> services;
    private java.util.concurrent.CompletableFuture<Void> servicesSynced;

    public ClusterObjects(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public List<Service> services(String namespace) {
        java.util.concurrent.CompletableFuture<Void> synced;
        synchronized (this) {
            if (services == null) {
                services = client.services().inAnyNamespace().runnableInformer(0);
                servicesSynced = services.start().toCompletableFuture();
            }
            synced = servicesSynced;
        }
        try {
            synced.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new EnvResolver.EnvError("cannot list the Services of namespace " + namespace + ": " + e);
        }
        return services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** Stops the Services' watch, if it was started. */
    public synchronized void close() {
        if (services != null) services.close();
    }

    @Override
    public Map<String, String> configMap(String namespace, String name) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm == null) return null;
        Map<String, String> data = new LinkedHashMap<>();
        if (cm.getData() != null) data.putAll(cm.getData());
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)));
        }
        return data;
    }

    @Override
    public Token request(String namespace, String account, String audience, long expirationSeconds) {
        TokenRequest asked = new TokenRequestBuilder().withNewSpec()
                .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(expirationSeconds).endSpec().build();
        try {
            TokenRequest answer = client.serviceAccounts().inNamespace(namespace).withName(account).tokenRequest(asked);
            if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null
                    || answer.getStatus().getExpirationTimestamp() == null) {
                throw new VolumeManager.VolumeError("the TokenRequest for serviceaccount \"" + account + "\" was answered without a token");
            }
            return new Token(answer.getStatus().getToken(), Instant.parse(answer.getStatus().getExpirationTimestamp()));
        } catch (KubernetesClientException e) {
            throw new VolumeManager.VolumeError(e.getCode() == 404
                    ? "serviceaccount \"" + account + "\" not found" : "cannot get a token for serviceaccount \"" + account + "\": " + e.getMessage());
        }
    }

    @Override
    public Map<String, String> secret(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) return null;
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) data.putAll(secret.getStringData());
        return data;
    }
}
