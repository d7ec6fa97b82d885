package io.kube4j.controller.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The garbage collector's reconciler, for one object of any watched type (a {@link Graph} key).
 * Kubernetes' semantics:
 * <ul>
 *   <li>An object whose owners are all gone (absent, or present under another uid) is deleted
 *       (background). Before calling an owner gone the collector asks the gateway, since the
 *       owner's cache may simply lag behind the dependent's.</li>
 *   <li>An object with some live owner loses only its references to gone owners and to owners
 *       being deleted in the foreground.</li>
 *   <li>An owner being deleted with the {@code foregroundDeletion} finalizer: its dependents are
 *       deleted; once none with {@code blockOwnerDeletion} remains, the finalizer goes.</li>
 *   <li>An owner being deleted with the {@code orphan} finalizer: its dependents lose their
 *       reference to it, then the finalizer goes.</li>
 * </ul>
 * Idempotent; every write is guarded (resourceVersion, or the uid for deletes), so a stale cache
 * yields a conflict and a retry, never a wrong deletion.
 *
 * @param classes the model class of each watched built-in type, for the typed client; null for a
 *                custom resource type, whose objects go through {@code custom}
 * @param custom  reads and writes of custom resources
 */
public record Collector(Graph graph, ObjectClient objects, Function<ResourceType, Class<? extends HasMetadata>> classes,
                        CustomObjects custom) implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    public static final String ORPHAN = "orphan";
    public static final String FOREGROUND = "foregroundDeletion";

    @Override
    public Result reconcile(String key) {
        Optional<Graph.Item> found = graph.get(key);
        if (found.isEmpty()) return Result.DONE;
        Graph.Item item = found.get();
        HasMetadata object = item.object();
        if (deleting(object)) {
            if (hasFinalizer(object, ORPHAN)) orphanDependents(item);
            else if (hasFinalizer(object, FOREGROUND)) deleteDependentsFirst(item);
            return Result.DONE;
        }
        attemptToDelete(item);
        return Result.DONE;
    }

    /** What an object's owners are now. */
    record Owners(List<OwnerReference> solid, List<OwnerReference> dangling, List<OwnerReference> waiting) {
    }

    Owners classify(Graph.Item item) {
        List<OwnerReference> solid = new ArrayList<>();
        List<OwnerReference> dangling = new ArrayList<>();
        List<OwnerReference> waiting = new ArrayList<>();
        for (OwnerReference ref : refs(item.object())) {
            Optional<ResourceType> type = graph.typeOf(ref.getApiVersion(), ref.getKind());
            if (type.isEmpty() || (type.get().namespaced() && blank(item.namespace()))) {
                // A kind the collector does not watch, or a namespaced owner of a cluster-scoped
                // object: never delete on what cannot be seen.
                solid.add(ref);
                continue;
            }
            Optional<HasMetadata> owner = graph.get(type.get(), item.namespace(), ref.getName())
                    .filter(o -> ref.getUid().equals(o.getMetadata().getUid()));
            if (owner.isEmpty()) owner = live(type.get(), item.namespace(), ref);
            if (owner.isEmpty()) dangling.add(ref);
            else if (deleting(owner.get()) && hasFinalizer(owner.get(), FOREGROUND)) waiting.add(ref);
            else solid.add(ref);
        }
        return new Owners(solid, dangling, waiting);
    }

    private Optional<HasMetadata> live(ResourceType type, String namespace, OwnerReference ref) {
        String ns = type.namespaced() ? namespace : null;
        Class<? extends HasMetadata> cls = classes.apply(type);
        Optional<? extends HasMetadata> current = cls != null ? objects.get(cls, ns, ref.getName()) : custom.get(type, ns, ref.getName());
        return current.filter(o -> ref.getUid().equals(o.getMetadata().getUid())).map(o -> (HasMetadata) o);
    }

    private void update(ResourceType type, HasMetadata object) {
        if (classes.apply(type) == null && object instanceof GenericKubernetesResource generic) custom.update(type, generic);
        else objects.update(object);
    }

    private void delete(Graph.Item item, String propagation) {
        Class<? extends HasMetadata> cls = classes.apply(item.type());
        if (cls != null) objects.delete(cls, item.namespace(), item.name(), item.uid(), propagation);
        else custom.delete(item.type(), item.namespace(), item.name(), item.uid(), propagation);
    }

    private void attemptToDelete(Graph.Item item) {
        if (refs(item.object()).isEmpty()) return;
        Owners owners = classify(item);
        if (!owners.solid().isEmpty()) {
            if (owners.dangling().isEmpty() && owners.waiting().isEmpty()) return;
            List<String> drop = new ArrayList<>();
            owners.dangling().forEach(r -> drop.add(r.getUid()));
            owners.waiting().forEach(r -> drop.add(r.getUid()));
            HasMetadata copy = copy(item.object());
            copy.getMetadata().setOwnerReferences(refs(copy).stream().filter(r -> !drop.contains(r.getUid())).toList());
            log.info("removing references to owners {} from {}", drop, item.key());
            update(item.type(), copy);
            return;
        }
        if (deleting(item.object())) return;
        String policy;
        if (hasFinalizer(item.object(), ORPHAN)) policy = "Orphan";
        else if (hasFinalizer(item.object(), FOREGROUND)) policy = "Foreground";
        else if (!owners.waiting().isEmpty() && !graph.dependents(item.uid()).isEmpty()) policy = "Foreground";
        else policy = "Background";
        log.info("deleting {} ({}): its owners {} are gone or going", item.key(), policy,
                refs(item.object()).stream().map(r -> r.getKind() + "/" + r.getName()).toList());
        delete(item, policy);
    }

    private void deleteDependentsFirst(Graph.Item owner) {
        boolean blocked = false;
        for (Graph.Item dependent : graph.dependents(owner.uid())) {
            if (!deleting(dependent.object())) attemptToDelete(dependent);
            if (refs(dependent.object()).stream().anyMatch(r -> owner.uid().equals(r.getUid())
                    && Boolean.TRUE.equals(r.getBlockOwnerDeletion()))) {
                blocked = true;
            }
        }
        // Dependents deleted just now are still cached and block; their deletion enqueues this owner again.
        if (!blocked) removeFinalizer(owner, FOREGROUND);
    }

    private void orphanDependents(Graph.Item owner) {
        for (Graph.Item dependent : graph.dependents(owner.uid())) {
            HasMetadata copy = copy(dependent.object());
            copy.getMetadata().setOwnerReferences(refs(copy).stream().filter(r -> !owner.uid().equals(r.getUid())).toList());
            try {
                update(dependent.type(), copy);
            } catch (RuntimeException e) {
                if (!ObjectClient.isNotFound(e)) throw e;
            }
        }
        log.info("orphaned the dependents of {}", owner.key());
        removeFinalizer(owner, ORPHAN);
    }

    private void removeFinalizer(Graph.Item item, String finalizer) {
        HasMetadata copy = copy(item.object());
        copy.getMetadata().setFinalizers(copy.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList());
        try {
            update(item.type(), copy);
        } catch (RuntimeException e) {
            if (!ObjectClient.isNotFound(e)) throw e;
        }
    }

    static List<OwnerReference> refs(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }

    static boolean deleting(HasMetadata object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean hasFinalizer(HasMetadata object, String finalizer) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(finalizer);
    }

    /** Whether the object carries a finalizer only the collector removes. */
    static boolean hasCollectorFinalizer(HasMetadata object) {
        return hasFinalizer(object, ORPHAN) || hasFinalizer(object, FOREGROUND);
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> T copy(T object) {
        return (T) Json.MAPPER.convertValue(object, object.getClass());
    }
}
