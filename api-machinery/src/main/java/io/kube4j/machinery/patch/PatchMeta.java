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

    /** No declared strategy anywhere: lists are replaced, maps merged, as for custom resources. */
    PatchMeta NONE = path -> FieldMeta.DEFAULT;

    /** The path of {@code child} under {@code parent} (either may be the root, the empty path). */
    static String child(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
