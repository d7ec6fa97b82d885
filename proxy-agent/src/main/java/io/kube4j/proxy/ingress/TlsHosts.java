package io.kube4j.proxy.ingress;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Which certificate answers which TLS server name, from the served Ingresses' {@code spec.tls}:
 * each entry's hosts (exact or {@code *.} wildcard) take the key pair of its Secret
 * ({@code tls.crt}, {@code tls.key}, PEM; the key PKCS#8). The first Ingress (by namespace/name)
 * to claim a host wins it; an entry whose Secret is missing or incomplete is skipped. A client
 * that names no host, or one no entry names, gets the first certificate.
 *
 * @param byHost   host (lower case) → key pair
 * @param fallback the key pair for other names; null when no Ingress has TLS
 */
public record TlsHosts(Map<String, KeyPair> byHost, KeyPair fallback) {

    /** A Secret's PEM certificate chain and private key, with its identity for caching the parsed form. */
    public record KeyPair(String secret, String resourceVersion, String certificatePem, String keyPem) {
    }

    public TlsHosts {
        byHost = Map.copyOf(byHost);
    }

    public static TlsHosts empty() {
        return new TlsHosts(Map.of(), null);
    }

    /** Pure, given {@code secrets} (namespace, name → Secret or null). */
    public static TlsHosts compute(List<Ingress> served, BiFunction<String, String, Secret> secrets) {
        Map<String, KeyPair> byHost = new LinkedHashMap<>();
        KeyPair fallback = null;
        List<Ingress> sorted = new ArrayList<>(served);
        sorted.sort(Comparator.comparing(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()));
        for (Ingress ingress : sorted) {
            if (ingress.getSpec() == null || ingress.getSpec().getTls() == null) continue;
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                if (tls.getSecretName() == null) continue;
                KeyPair pair = keyPair(secrets.apply(ingress.getMetadata().getNamespace(), tls.getSecretName()));
                if (pair == null) continue;
                if (fallback == null) fallback = pair;
                for (String host : tls.getHosts() == null ? List.<String>of() : tls.getHosts()) {
                    byHost.putIfAbsent(host.toLowerCase(Locale.ROOT), pair);
                }
            }
        }
        return new TlsHosts(byHost, fallback);
    }

    /** The key pair for a client's server name (null: none named). */
    public KeyPair forServerName(String serverName) {
        if (serverName == null) return fallback;
        String host = serverName.toLowerCase(Locale.ROOT);
        KeyPair exact = byHost.get(host);
        if (exact != null) return exact;
        for (Map.Entry<String, KeyPair> e : byHost.entrySet()) {
            if (RouteTable.wildcardMatches(e.getKey(), host)) return e.getValue();
        }
        return fallback;
    }

    private static KeyPair keyPair(Secret secret) {
        if (secret == null || secret.getData() == null) return null;
        String crt = secret.getData().get("tls.crt");
        String key = secret.getData().get("tls.key");
        if (crt == null || key == null) return null;
        try {
            Base64.Decoder d = Base64.getDecoder();
            return new KeyPair(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(),
                    secret.getMetadata().getResourceVersion(), new String(d.decode(crt)), new String(d.decode(key)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
