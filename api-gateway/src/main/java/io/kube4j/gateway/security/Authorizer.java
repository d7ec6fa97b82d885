package io.kube4j.gateway.security;

/**
 * The authorize stage: may this user do this verb on this resource? Thread-safe; answers from
 * what it holds in memory (no I/O on the request path).
 */
public interface Authorizer {

    /**
     * @param verb        Kubernetes' verb: get, list, watch, create, update, patch, delete, deletecollection
     * @param group       API group of the resource, empty for the core group; null for non-resource paths
     * @param resource    plural resource, with {@code /subresource} when one is addressed; null for non-resource paths
     * @param namespace   the namespace, or null
     * @param name        the object's name, or null
     * @param path        the request path, for non-resource requests
     * @return null when allowed, else the reason it is denied
     */
    String deny(Authenticator.UserInfo user, String verb, String group, String resource, String namespace, String name,
                String path);

    /** Allows everything: the seam RBAC plugs into. */
    Authorizer ALLOW_ALL = (user, verb, group, resource, namespace, name, path) -> null;
}
