package io.kube4j.machinery.patch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one write did to an object, in the field paths of {@link FieldSet}: the fields it set or gave another value
 * ({@link #changed()}) and the fields it took away ({@link #removed()}). This is what a non-apply write (create,
 * update, patch) hands to its manager and takes from every other one.
 *
 * <p>Fields are those {@link FieldSet#of} sees (scalars, atomic lists and structs, empty objects, keyed list elements
 * with their {@code .} entry, set values), with two differences: {@code status} counts (a status write owns what it
 * changes), and {@code metadata.generateName} counts, as kube-apiserver's Update records them. {@code apiVersion},
 * {@code kind} and the metadata the server sets (name, namespace, uid, resourceVersion, generation, timestamps,
 * managedFields, selfLink) are never part of a diff.
 *
 * <p>An object or list that a write brings where there was none is {@link #changed()} itself, besides what it holds:
 * its path is the {@code ".": {}} inside its {@code fieldsV1} entry, as kube-apiserver's comparison marks a map or
 * list added. One that the kind's zero value already has ({@link PatchMeta#alwaysPresent}: a Deployment's
 * {@code spec.template.spec}, a pod's {@code spec.containers}) or that held something before is not; nor is the
 * top-level {@code metadata}, which kube-apiserver strips. A create is compared with the zero value, so
 * {@code kubectl create deployment} owns {@code f:metadata: {f:labels: {".": {}, ...}}} but no {@code .} in
 * {@code f:spec}.
 *
 * <p>A path in {@link #removed()} stands for its whole subtree: an owner of anything below it loses that too. A
 * field whose shape changed (an object that became a scalar) is both removed and changed.
 *
 * <p>Immutable and thread-safe; {@link #between} is pure.
 */
public record FieldDiff(FieldSet changed, FieldSet removed) {

    private static final Set<String> IGNORED_TOP = Set.of("apiVersion", "kind");
    private static final Set<String> IGNORED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
            "selfLink");

    public static final FieldDiff NONE = new FieldDiff(FieldSet.empty(), FieldSet.empty());

    /**
     * The difference from {@code before} to {@code after}.
     *
     * @param before the object before the write; null for a create, which is compared with the kind's zero value
     * @param after  the object the write produces
     * @param meta   the kind's patch metadata: which lists are keyed or sets, which structs are atomic
     */
    public static FieldDiff between(JsonNode before, JsonNode after, PatchMeta meta) {
        return between(before, after, meta, true);
    }

    /**
     * {@link #between(JsonNode, JsonNode, PatchMeta)}, leaving {@code status} out unless {@code withStatus}: a write
     * to the object itself of a kind with a status subresource owns nothing in status (kube-apiserver's reset
     * fields), even where the server's defaults put something there.
     */
    public static FieldDiff between(JsonNode before, JsonNode after, PatchMeta meta, boolean withStatus) {
        Walk walk = new Walk(meta == null ? PatchMeta.NONE : meta, withStatus);
        // A create is compared with the kind's zero value: an object with nothing set.
        walk.objects(before instanceof ObjectNode b ? b : EMPTY, after instanceof ObjectNode a ? a : EMPTY, "");
        if (walk.changed.isEmpty() && walk.removed.isEmpty()) return NONE;
        return new FieldDiff(FieldSet.wrap(walk.changed), FieldSet.wrap(walk.removed));
    }

    /**
     * The fields of a whole object in {@code fieldsV1} form, keys sorted: what {@code between(null, object, meta)}
     * lists as changed, built in one pass for creates, the commonest write with nothing to compare against.
     */
    public static ObjectNode fieldsOf(ObjectNode object, PatchMeta meta) {
        return fieldsOf(object, meta, true);
    }

    /** {@link #fieldsOf(ObjectNode, PatchMeta)}, leaving status out unless {@code withStatus} (see {@link #between}). */
    public static ObjectNode fieldsOf(ObjectNode object, PatchMeta meta, boolean withStatus) {
        return Build.object(object, "", meta == null ? PatchMeta.NONE : meta, true, false, withStatus);
    }

    public boolean isEmpty() {
        return changed.isEmpty() && removed.isEmpty();
    }

    static boolean ignored(String metaPath, String field, boolean withStatus) {
        return metaPath.isEmpty() ? IGNORED_TOP.contains(field) || !withStatus && field.equals("status")
                : metaPath.equals("metadata") && IGNORED_METADATA.contains(field);
    }

    private enum Shape { MAP, LIST, LEAF }

    /** What a value is to field ownership; an empty object or list is a leaf, but still an object or list. */
    private static Shape shape(JsonNode value, FieldMeta field) {
        if (value instanceof ObjectNode o && !o.isEmpty() && !field.atomic()) return Shape.MAP;
        if (value instanceof ArrayNode a && !a.isEmpty() && field.isMergeList()) return Shape.LIST;
        return Shape.LEAF;
    }

    /** Whether two values are both objects walked field by field, or both lists merged element by element. */
    private static boolean sameContainer(JsonNode before, JsonNode after, FieldMeta field) {
        return before instanceof ObjectNode && after instanceof ObjectNode && !field.atomic()
                || before instanceof ArrayNode && after instanceof ArrayNode && field.isMergeList();
    }

    /** Whether a new object or list at {@code metaPath} is owned itself: all but the top-level metadata. */
    private static boolean ownsItself(String metaPath) {
        return !metaPath.equals("metadata");
    }

    /** A merged list's elements by their path element: {@code k:} for keyed objects, {@code v:} otherwise. */
    private static Map<String, JsonNode> elements(ArrayNode list, FieldMeta field) {
        Map<String, JsonNode> elements = new LinkedHashMap<>();
        String key = field.mergeKey();
        for (JsonNode element : list) {
            if (key != null && element instanceof ObjectNode item && item.has(key)) {
                elements.put(FieldSet.keyElement(field, item), item);
            } else {
                elements.put("v:" + element, element);
            }
        }
        return elements;
    }

    /**
     * {@link #fieldsOf}: the tree built directly, each level's keys sorted as Kubernetes writes them. A value is
     * {@code present} when the kind's zero value already has it ({@link PatchMeta#alwaysPresent} under a parent
     * that is present too); an object or list that is not becomes the creator's own, its {@code .} entry.
     */
    private static final class Build {

        private static final ObjectNode SELF = JsonValues.NODES.objectNode();

        static ObjectNode object(ObjectNode object, String metaPath, PatchMeta meta, boolean present, boolean self,
                                 boolean withStatus) {
            TreeMap<String, ObjectNode> children = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getValue().isNull() || ignored(metaPath, e.getKey(), withStatus)) continue;
                String childMeta = PatchMeta.child(metaPath, e.getKey());
                ObjectNode child = value(e.getValue(), childMeta, meta, present && meta.alwaysPresent(childMeta));
                if (child != null) children.put("f:" + e.getKey(), child);
            }
            if (self) children.put(".", SELF);
            return node(children);
        }

        private static ObjectNode value(JsonNode value, String metaPath, PatchMeta meta, boolean present) {
            FieldMeta field = meta.field(metaPath);
            return switch (shape(value, field)) {
                case MAP -> {
                    boolean self = !present && ownsItself(metaPath);
                    ObjectNode fields = object((ObjectNode) value, metaPath, meta, present, self, true);
                    // An object whose every field is unset or the server's holds no field of its own.
                    if (fields.size() == (self ? 1 : 0)) yield self ? JsonValues.NODES.objectNode() : null;
                    yield fields;
                }
                case LIST -> {
                    TreeMap<String, ObjectNode> children = new TreeMap<>();
                    for (Map.Entry<String, JsonNode> e : elements((ArrayNode) value, field).entrySet()) {
                        if (e.getKey().startsWith("k:") && !field.atomicElements()) {
                            children.put(e.getKey(), object((ObjectNode) e.getValue(), metaPath, meta, false, true, true));
                        } else {
                            children.put(e.getKey(), JsonValues.NODES.objectNode());
                        }
                    }
                    if (!present) children.put(".", SELF);
                    yield node(children);
                }
                // The zero value's own empty object or list is no one's; an empty one brought in is its writer's.
                case LEAF -> present && isEmptyContainer(value) ? null : JsonValues.NODES.objectNode();
            };
        }

        private static ObjectNode node(TreeMap<String, ObjectNode> children) {
            ObjectNode node = JsonValues.NODES.objectNode();
            children.forEach((k, v) -> node.set(k, v == SELF ? JsonValues.NODES.objectNode() : v));
            return node;
        }
    }

    private static boolean isEmptyContainer(JsonNode value) {
        return value instanceof ObjectNode o && o.isEmpty() || value instanceof ArrayNode a && a.isEmpty();
    }

    private static final ObjectNode EMPTY = JsonValues.NODES.objectNode();

    /** One comparison: a mutable path that grows and shrinks while walking, copied only into results. */
    private static final class Walk {
        private final PatchMeta meta;
        private final List<String> path = new ArrayList<>();
        private final Set<List<String>> changed = new LinkedHashSet<>();
        private final Set<List<String>> removed = new LinkedHashSet<>();
        private final boolean withStatus;

        Walk(PatchMeta meta, boolean withStatus) {
            this.meta = meta;
            this.withStatus = withStatus;
        }

        private void push(String element) {
            path.add(element);
        }

        private void pop() {
            path.removeLast();
        }

        private List<String> here() {
            return List.copyOf(path);
        }

        private List<String> here(String last) {
            path.add(last);
            List<String> copy = List.copyOf(path);
            path.removeLast();
            return copy;
        }

        /** Compares two objects that both exist (the root of a create is compared with an empty object). */
        void objects(ObjectNode before, ObjectNode after, String metaPath) {
            for (Map.Entry<String, JsonNode> e : after.properties()) {
                String field = e.getKey();
                JsonNode value = e.getValue();
                if (value.isNull() || ignored(metaPath, field, withStatus)) continue;
                JsonNode old = before.get(field);
                String childMeta = PatchMeta.child(metaPath, field);
                push("f:" + field);
                if (old == null || old.isNull()) {
                    FieldMeta fm = meta.field(childMeta);
                    if (meta.alwaysPresent(childMeta)) filled(value, childMeta, fm);
                    else added(value, childMeta, fm);
                } else {
                    value(old, value, childMeta);
                }
                pop();
            }
            for (Map.Entry<String, JsonNode> e : before.properties()) {
                String field = e.getKey();
                if (e.getValue().isNull() || ignored(metaPath, field, withStatus)) continue;
                JsonNode now = after.get(field);
                if (now == null || now.isNull()) removed.add(here("f:" + field));
            }
        }

        private void value(JsonNode before, JsonNode after, String metaPath) {
            // Most of an object is untouched by a write; Jackson's equality is strict (1 differs from 1.0), so
            // equal subtrees can be passed over and unequal ones are still compared as JSON below.
            if (before.equals(after)) return;
            FieldMeta field = meta.field(metaPath);
            if (sameContainer(before, after, field)) {
                // Kubernetes compares an object with an object field by field even when one is empty: filling an
                // empty object owns what went in, not the object, and emptying one takes only what it held.
                if (after instanceof ObjectNode a) objects((ObjectNode) before, a, metaPath);
                else lists((ArrayNode) before, (ArrayNode) after, metaPath, field);
                return;
            }
            if (shape(before, field) != Shape.LEAF || shape(after, field) != Shape.LEAF) {
                removed.add(here());
                added(after, metaPath, field);
            } else if (!JsonValues.jsonEquals(before, after)) {
                changed.add(here());
            }
        }

        private void lists(ArrayNode before, ArrayNode after, String metaPath, FieldMeta field) {
            Map<String, JsonNode> was = elements(before, field);
            Map<String, JsonNode> is = elements(after, field);
            for (Map.Entry<String, JsonNode> e : is.entrySet()) {
                String element = e.getKey();
                JsonNode old = was.get(element);
                push(element);
                if (old == null) {
                    addedElement(element, e.getValue(), metaPath, field);
                } else if (element.startsWith("k:") && !old.equals(e.getValue())) {
                    if (field.atomicElements()) changed.add(here());
                    else objects((ObjectNode) old, (ObjectNode) e.getValue(), metaPath);
                }
                pop();
            }
            for (String element : was.keySet()) {
                if (!is.containsKey(element)) removed.add(here(element));
            }
        }

        /**
         * A value no one had before, the object or list itself included: its path ends in {@code .}, as a keyed
         * element's does, so that it stays a member once paths below it are added.
         */
        private void added(JsonNode value, String metaPath, FieldMeta field) {
            switch (shape(value, field)) {
                case MAP -> {
                    if (ownsItself(metaPath)) changed.add(here("."));
                    addedFields((ObjectNode) value, metaPath);
                }
                case LIST -> {
                    changed.add(here("."));
                    addedElements((ArrayNode) value, metaPath, field);
                }
                case LEAF -> changed.add(here());
            }
        }

        /**
         * A value written into what the kind's zero value already holds (an empty struct, a null list): what went
         * in is new, the object or list itself is not; left empty it is no change at all.
         */
        private void filled(JsonNode value, String metaPath, FieldMeta field) {
            switch (shape(value, field)) {
                // Its fields are compared with the zero value's: nested structs of it are there as well.
                case MAP -> objects(EMPTY, (ObjectNode) value, metaPath);
                case LIST -> addedElements((ArrayNode) value, metaPath, field);
                case LEAF -> {
                    if (!isEmptyContainer(value)) changed.add(here());
                }
            }
        }

        private void addedElements(ArrayNode list, String metaPath, FieldMeta field) {
            for (Map.Entry<String, JsonNode> e : elements(list, field).entrySet()) {
                push(e.getKey());
                addedElement(e.getKey(), e.getValue(), metaPath, field);
                pop();
            }
        }

        /** A new element: a keyed one is owned itself (its {@code .}) with its fields, unless it is atomic. */
        private void addedElement(String element, JsonNode value, String metaPath, FieldMeta field) {
            if (element.startsWith("k:") && !field.atomicElements()) {
                changed.add(here("."));
                addedFields((ObjectNode) value, metaPath);
            } else {
                changed.add(here());
            }
        }

        private void addedFields(ObjectNode object, String metaPath) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getValue().isNull() || ignored(metaPath, e.getKey(), withStatus)) continue;
                String childMeta = PatchMeta.child(metaPath, e.getKey());
                push("f:" + e.getKey());
                added(e.getValue(), childMeta, meta.field(childMeta));
                pop();
            }
        }
    }
}
