package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** ConfigMaps and Secrets read through the gateway when a container or volume needs them. Thread-safe. */
public final class ClusterObjects implements EnvResolver.Objects {

    private final KubernetesClient client;

    public ClusterObjects(KubernetesClient client) {
        this.client = client;
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
