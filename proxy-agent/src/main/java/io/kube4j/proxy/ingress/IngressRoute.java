package io.kube4j.proxy.ingress;

import io.kube4j.proxy.model.Backend;

import java.util.List;

/**
 * One path of one Ingress rule, resolved to the endpoints of its Service port.
 *
 * @param host      the rule's host: exact ({@code foo.example.com}), wildcard ({@code *.example.com}, one label) or
 *                  empty for every host
 * @param path      the path, {@code /} when unset
 * @param pathType  {@code Exact}, {@code Prefix} or {@code ImplementationSpecific} (matched as Prefix)
 * @param ingress   {@code namespace/name} of the Ingress, for logs and status
 * @param service   {@code namespace/name:port} of the backend, for logs and error pages
 * @param endpoints the ready endpoints of that Service port; empty answers 503
 */
public record IngressRoute(String host, String path, String pathType, String ingress, String service, List<Backend> endpoints) {

    public IngressRoute {
        endpoints = List.copyOf(endpoints);
    }
}
