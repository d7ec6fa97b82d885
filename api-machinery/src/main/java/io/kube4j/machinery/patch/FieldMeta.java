package io.kube4j.machinery.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * How patches treat one field of a kind: Kubernetes' {@code patchStrategy} and {@code patchMergeKey} struct tags,
 * plus the atomicity server-side apply needs.
 *
 * @param strategy   how a strategic merge patch combines the field's value with the live one
 * @param mergeKey   for {@link Strategy#MERGE} lists of objects, the field that identifies an element; null for
 *                   lists of primitives (merged as sets) and for other strategies
 * @param retainKeys whether the field carries the {@code retainKeys} strategy ({@code kubectl apply} then sends a
 *                   {@code $retainKeys} directive; the server honours the directive wherever it appears)
 * @param atomic     whether server-side apply owns the value as a whole ({@code +structType=atomic},
 *                   {@code +mapType=atomic}); lists without {@link Strategy#MERGE} are always atomic
 * @param atomicElements whether each element of a keyed list is owned as a whole ({@code OwnerReference} is
 *                   {@code +structType=atomic}): its path is a leaf, without {@code .} or fields below it
 * @param moreKeys   for keyed lists, the fields besides the merge key that identify an element in field ownership
 *                   ({@code +listMapKey}: a container port is {@code containerPort} and {@code protocol}); strategic
 *                   merge patch still matches elements by the merge key alone
 */
public record FieldMeta(Strategy strategy, String mergeKey, boolean retainKeys, boolean atomic,
                        boolean atomicElements, List<String> moreKeys) {

    /** Maps merged key by key, lists replaced: what every field without tags gets. */
    public static final FieldMeta DEFAULT = new FieldMeta(Strategy.DEFAULT, null, false, false);

    public enum Strategy {
        /** Objects merge recursively; lists and scalars are replaced by the patch's value. */
        DEFAULT,
        /** Lists merge: elements of lists of objects by {@link #mergeKey()}, primitives as a set. */
        MERGE,
        /** The patch's value replaces the live one, objects included. */
        REPLACE
    }

    public FieldMeta {
        if (strategy == null) throw new IllegalArgumentException("strategy is required");
        moreKeys = moreKeys == null ? List.of() : List.copyOf(moreKeys);
    }

    /** A field whose elements, if it is a keyed list, are not atomic and are keyed by the merge key alone. */
    public FieldMeta(Strategy strategy, String mergeKey, boolean retainKeys, boolean atomic) {
        this(strategy, mergeKey, retainKeys, atomic, false, List.of());
    }

    public static FieldMeta mergeByKey(String mergeKey) {
        return new FieldMeta(Strategy.MERGE, mergeKey, false, false);
    }

    public static FieldMeta mergeAsSet() {
        return new FieldMeta(Strategy.MERGE, null, false, false);
    }

    public FieldMeta withRetainKeys() {
        return new FieldMeta(strategy, mergeKey, true, atomic, atomicElements, moreKeys);
    }

    /** This keyed list with elements owned as a whole. */
    public FieldMeta withAtomicElements() {
        return new FieldMeta(strategy, mergeKey, retainKeys, atomic, true, moreKeys);
    }

    /** This keyed list with {@code keys} identifying an element besides the merge key. */
    public FieldMeta withMoreKeys(String... keys) {
        List<String> all = new ArrayList<>(moreKeys);
        all.addAll(List.of(keys));
        return new FieldMeta(strategy, mergeKey, retainKeys, atomic, atomicElements, all);
    }

    public boolean isMergeList() {
        return strategy == Strategy.MERGE;
    }
}
