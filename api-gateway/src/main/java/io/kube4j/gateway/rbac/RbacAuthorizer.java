package io.kube4j.gateway.rbac;

import io.kube4j.gateway.security.Authenticator.UserInfo;
import io.kube4j.gateway.security.Authorizer;
import io.kube4j.gateway.storage.ListOptions;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.gateway.watch.CachedEvent;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The RBAC authorize stage. It holds the RBAC objects in memory — listed from the store at start,
 * then kept current from the gateway's watch cache — and answers from an immutable
 * {@link RbacPolicy} rebuilt on every change to them (they change rarely, requests are many).
 *
 * <p>Denials read as kube-apiserver's: {@code User "jane" cannot list resource "pods" in API group
 * "" in the namespace "default"}.
 */
public final class RbacAuthorizer implements Authorizer {

    private static final List<ResourceType> TYPES = List.of(BuiltInTypes.CLUSTER_ROLE, BuiltInTypes.ROLE,
            BuiltInTypes.CLUSTER_ROLE_BINDING, BuiltInTypes.ROLE_BINDING);

    /** The objects by storage key, with the revision each was last seen at; deletions are kept as null objects. */
    private final Map<String, Versioned> objects = new HashMap<>();
    private volatile RbacPolicy policy = RbacPolicy.EMPTY;

    private record Versioned(long revision, ObjectNode object) {
    }

    private volatile boolean loaded;

    /**
     * Loads the RBAC objects on a background thread, retrying until the store answers; until then
     * only {@link RbacPolicy#MASTERS_GROUP} is allowed and {@link #loaded()} is false (the
     * gateway's readiness check).
     */
    public void loadInBackground(ResourceStorage storage) {
        Thread.ofPlatform().name("rbac-load").daemon().start(() -> {
            long backoff = 200;
            while (true) {
                try {
                    load(storage);
                    return;
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(RbacAuthorizer.class).warn("cannot list the RBAC objects yet ({}); retrying", e.toString());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 5000);
                }
            }
        });
    }

    /** Whether the RBAC objects have been listed at least once. */
    public boolean loaded() {
        return loaded;
    }

    /** Loads every RBAC object from {@code storage}; events seen meanwhile are kept if newer. */
    public void load(ResourceStorage storage) {
        for (ResourceType type : TYPES) {
            var page = storage.list(type, null, ListOptions.all());
            synchronized (this) {
                for (ObjectNode object : page.items()) {
                    String key = type.key(namespace(object), object.path("metadata").path("name").asString(""));
                    put(key, revision(object), object);
                }
            }
        }
        rebuild();
        loaded = true;
    }

    /** A change from the watch cache; events of other types are ignored. */
    public void observe(CachedEvent event) {
        String key = event.key();
        if (TYPES.stream().noneMatch(t -> key.startsWith(t.keyPrefix()))) return;
        synchronized (this) {
            put(key, event.revision(), event.isDelete() ? null : event.object());
        }
        rebuild();
    }

    private void put(String key, long revision, ObjectNode object) {
        Versioned current = objects.get(key);
        if (current != null && current.revision() >= revision) return;
        objects.put(key, new Versioned(revision, object));
    }

    private synchronized void rebuild() {
        Map<ResourceType, List<ObjectNode>> byType = new HashMap<>();
        for (ResourceType type : TYPES) byType.put(type, new java.util.ArrayList<>());
        objects.forEach((key, versioned) -> {
            if (versioned.object() == null) return;
            for (ResourceType type : TYPES) {
                if (key.startsWith(type.keyPrefix())) byType.get(type).add(versioned.object());
            }
        });
        policy = RbacPolicy.build(byType.get(BuiltInTypes.CLUSTER_ROLE), byType.get(BuiltInTypes.ROLE),
                byType.get(BuiltInTypes.CLUSTER_ROLE_BINDING), byType.get(BuiltInTypes.ROLE_BINDING));
    }

    public RbacPolicy policy() {
        return policy;
    }

    @Override
    public String deny(UserInfo user, String verb, String group, String resource, String namespace, String name, String path) {
        RbacPolicy current = policy;
        if (resource == null) {
            return current.allowsPath(user, verb, path) ? null
                    : "User \"" + user.name() + "\" cannot " + verb + " path \"" + path + "\"";
        }
        if (current.allowsResource(user, verb, group == null ? "" : group, resource, namespace, name)) return null;
        return "User \"" + user.name() + "\" cannot " + verb + " resource \"" + resource + "\" in API group \""
                + (group == null ? "" : group) + "\"" + (namespace == null ? " at the cluster scope" : " in the namespace \"" + namespace + "\"");
    }

    private static String namespace(ObjectNode object) {
        String ns = object.path("metadata").path("namespace").asString("");
        return ns.isEmpty() ? null : ns;
    }

    private static long revision(ObjectNode object) {
        try {
            return Long.parseLong(object.path("metadata").path("resourceVersion").asString("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
