package io.kube4j.machinery.patch;

/**
 * Patch metadata of one kind: for each field, how strategic merge patch and server-side apply combine it.
 *
 * <p>A field is named by its path from the object's root: field names joined by dots, list elements not counted
 * ({@code spec.template.spec.containers.ports} is the ports of any container). Implementations are immutable and
 * thread-safe; lookups never fail: a field nothing is known about has {@link FieldMeta#DEFAULT}.
 */
@FunctionalInterface
public interface PatchMeta {

    /** The metadata of the field at {@code path}; {@link FieldMeta#DEFAULT} when nothing is declared. */
    FieldMeta field(String path);

    /**
     * Whether the field at {@code path} exists, as an empty object, an empty list or {@code null}, in every object of
     * the kind whose parent object exists, whether or not anyone set it: kube-apiserver decodes objects into Go
     * structs, which always write nested structs and the fields tagged without {@code omitempty}. Field ownership
     * depends on it: a write that fills such a field owns what it put inside, not the field itself, while a write
     * that brings an object or list that was absent owns that too (the {@code ".": {}} of {@code fieldsV1}).
     * False unless declared; only object and list fields are ever declared.
     */
    default boolean alwaysPresent(String path) {
        return false;
    }

    /** No declared strategy anywhere: lists are replaced, maps merged, as for custom resources. */
    PatchMeta NONE = path -> FieldMeta.DEFAULT;

    /** The path of {@code child} under {@code parent} (either may be the root, the empty path). */
    static String child(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
