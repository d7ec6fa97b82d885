package io.kube4j.machinery.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.machinery.object.Json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link ObjectClient} for tests of reconcilers: the gateway's guards (409 on a stale
 * resourceVersion or an existing name, 404 on a missing object, generateName, uid and
 * resourceVersion assignment) without a gateway. Deletion is immediate: no finalizers, no
 * cascading. Every object handed in or out is a copy, as it would be over the wire. Thread-safe.
 */
public final class FakeObjectClient implements ObjectClient {

    private final Map<String, HasMetadata> objects = new LinkedHashMap<>();
    private final AtomicLong revision = new AtomicLong(1);
    private final List<String> actions = new ArrayList<>();
    private int generated;

    /** Puts {@code object} as it is (keeping a given resourceVersion), as if it already existed. */
    public synchronized <T extends HasMetadata> T seed(T object) {
        T copy = copy(object);
        if (copy.getMetadata().getUid() == null) copy.getMetadata().setUid(UUID.randomUUID().toString());
        if (copy.getMetadata().getResourceVersion() == null) copy.getMetadata().setResourceVersion(Long.toString(revision.incrementAndGet()));
        objects.put(key(copy.getClass(), copy.getMetadata().getNamespace(), copy.getMetadata().getName()), copy);
        return copy(copy);
    }

    @Override
    public synchronized <T extends HasMetadata> T create(T object) {
        T copy = copy(object);
        var meta = copy.getMetadata();
        if ((meta.getName() == null || meta.getName().isEmpty()) && meta.getGenerateName() != null) {
            meta.setName(meta.getGenerateName() + String.format("%05d", ++generated));
        }
        String key = key(copy.getClass(), meta.getNamespace(), meta.getName());
        if (objects.containsKey(key)) throw error(409, "AlreadyExists", copy.getKind() + " \"" + meta.getName() + "\" already exists");
        meta.setUid(UUID.randomUUID().toString());
        meta.setResourceVersion(Long.toString(revision.incrementAndGet()));
        if (meta.getCreationTimestamp() == null) meta.setCreationTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        objects.put(key, copy);
        actions.add("create " + describe(copy));
        return copy(copy);
    }

    @Override
    public synchronized <T extends HasMetadata> T update(T object) {
        return replace(object, "update ");
    }

    @Override
    public synchronized <T extends HasMetadata> T updateStatus(T object) {
        return replace(object, "update-status ");
    }

    private <T extends HasMetadata> T replace(T object, String action) {
        T copy = copy(object);
        var meta = copy.getMetadata();
        String key = key(copy.getClass(), meta.getNamespace(), meta.getName());
        HasMetadata current = objects.get(key);
        if (current == null) throw error(404, "NotFound", copy.getKind() + " \"" + meta.getName() + "\" not found");
        if (!current.getMetadata().getResourceVersion().equals(meta.getResourceVersion())) {
            throw error(409, "Conflict", "Operation cannot be fulfilled on " + copy.getKind() + " \"" + meta.getName()
                    + "\": the object has been modified; please apply your changes to the latest version and try again");
        }
        meta.setUid(current.getMetadata().getUid());
        meta.setCreationTimestamp(current.getMetadata().getCreationTimestamp());
        meta.setResourceVersion(Long.toString(revision.incrementAndGet()));
        objects.put(key, copy);
        actions.add(action + describe(copy));
        return copy(copy);
    }

    @Override
    public synchronized <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
        HasMetadata found = objects.get(key(type, namespace, name));
        return Optional.ofNullable(found).map(o -> type.cast(copy(o)));
    }

    @Override
    public synchronized <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, String preconditionUid, String propagation) {
        String key = key(type, namespace, name);
        HasMetadata current = objects.get(key);
        if (current == null) return false;
        if (preconditionUid != null && !preconditionUid.equals(current.getMetadata().getUid())) {
            throw error(409, "Conflict", "Precondition failed: UID in precondition: " + preconditionUid
                    + ", UID in object meta: " + current.getMetadata().getUid());
        }
        objects.remove(key);
        actions.add("delete " + describe(current));
        return true;
    }

    /** The stored objects of {@code type}, ordered by namespace and name. */
    public synchronized <T extends HasMetadata> List<T> list(Class<T> type) {
        return objects.values().stream().filter(type::isInstance).map(o -> type.cast(copy(o)))
                .sorted(Comparator.comparing((T o) -> String.valueOf(o.getMetadata().getNamespace()))
                        .thenComparing(o -> o.getMetadata().getName()))
                .toList();
    }

    /** What was done, in order: {@code "create Pod default/web-x"}, {@code "update-status ReplicaSet default/web"}, {@code "delete …"}. */
    public synchronized List<String> actions() {
        return List.copyOf(actions);
    }

    public synchronized void clearActions() {
        actions.clear();
    }

    private static String describe(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + o.getMetadata().getName();
    }

    private static String key(Class<?> type, String namespace, String name) {
        return type.getName() + "|" + (namespace == null ? "" : namespace) + "|" + name;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T copy(T object) {
        return (T) Json.MAPPER.convertValue(object, object.getClass());
    }

    private static KubernetesClientException error(int code, String reason, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
        return new KubernetesClientException(status);
    }
}
