package io.kube4j.machinery.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Clients of the gateway for kube4j's own roles (scheduler, controllers, node agents): fabric8's
 * {@link KubernetesClient} over the JDK's HTTP client, configured from a kubeconfig file such as
 * the one {@code ./kube4j up} writes.
 *
 * <p>The roles are the cluster's own control plane, so there is no client-side rate limit (the
 * gateway is the one to push back) and requests are not retried by the client: reconcilers retry
 * through their work queues, where the backoff is visible.
 */
public final class GatewayClients {

    private GatewayClients() {
    }

    /**
     * The User-Agent of a role: Kubernetes' component name first ({@code kube-controller-manager},
     * {@code kube-scheduler}, {@code kubelet}, {@code kube-proxy}), so that the roles' writes carry the field
     * managers users and tools know from Kubernetes.
     */
    public static String userAgent(String component) {
        return component + "/v1.32.0 (linux/amd64) kube4j/0.1.0";
    }

    /**
     * The absolute URL of {@code path} (starting with {@code /}, e.g. {@code /api/v1/namespaces}) on the gateway
     * {@code client} talks to, for requests fabric8 has no typed call for.
     */
    public static String url(KubernetesClient client, String path) {
        String base = client.getMasterUrl().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    /** A client for the current context of the kubeconfig at {@code kubeconfig}, with fabric8's User-Agent. */
    public static KubernetesClient fromKubeconfig(Path kubeconfig) {
        return fromKubeconfig(kubeconfig, null);
    }

    /**
     * A client for the current context of the kubeconfig at {@code kubeconfig} that introduces itself as
     * {@code userAgent} (e.g. {@code kube4j-controller-manager/0.1.0}). The gateway names the field manager of a
     * write after the User-Agent's part before its first {@code /}, so this is the name a role's writes carry in
     * {@code metadata.managedFields}; null keeps fabric8's own.
     */
    public static KubernetesClient fromKubeconfig(Path kubeconfig, String userAgent) {
        String text;
        try {
            text = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kubeconfig " + kubeconfig, e);
        }
        Config config = Config.fromKubeconfig(null, text, kubeconfig.toString());
        config.setRequestRetryBackoffLimit(0);
        config.setConnectionTimeout(10_000);
        config.setRequestTimeout(30_000);
        config.setMaxConcurrentRequests(256);
        config.setMaxConcurrentRequestsPerHost(256);
        if (userAgent != null) config.setUserAgent(userAgent);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
