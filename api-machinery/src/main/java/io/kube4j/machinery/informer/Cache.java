package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.Optional;

/**
 * A read-only, indexed view of the objects of one type, as an informer last saw them. The objects
 * are shared: callers must not modify them (copy before changing, as client-go's listers demand).
 * Reads are thread-safe and never block on the informer's updates for long.
 *
 * <p>Keys are {@code namespace/name}, or {@code name} for cluster-scoped objects
 * ({@link ObjectKeys}).
 */
public interface Cache<T extends HasMetadata> {

    /** The index every cache has: objects by namespace. */
    String NAMESPACE_INDEX = "namespace";

    Optional<T> get(String key);

    default Optional<T> get(String namespace, String name) {
        return get(ObjectKeys.key(namespace, name));
    }

    /** Every object, in no particular order. */
    List<T> list();

    /** Objects in one namespace. */
    default List<T> list(String namespace) {
        return byIndex(NAMESPACE_INDEX, namespace == null ? "" : namespace);
    }

    /** Objects whose index {@code index} yields {@code value}; unknown index → {@link IllegalArgumentException}. */
    List<T> byIndex(String index, String value);

    /** Keys of every object. */
    List<String> keys();

    int size();
}
