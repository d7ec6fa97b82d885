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
     * @param before the object before the write; null for a create (every field of {@code after} is then changed)
     * @param after  the object the write produces
     * @param meta   the kind's patch metadata: which lists are keyed or sets, which structs are atomic
     */
    public static FieldDiff between(JsonNode before, JsonNode after, PatchMeta meta) {
        Walk walk = new Walk(meta == null ? PatchMeta.NONE : meta);
        walk.objects(before instanceof ObjectNode b ? b : null, after instanceof ObjectNode a ? a : null, "");
        if (walk.changed.isEmpty() && walk.removed.isEmpty()) return NONE;
        return new FieldDiff(FieldSet.wrap(walk.changed), FieldSet.wrap(walk.removed));
    }

    /**
     * The fields of a whole object in {@code fieldsV1} form, keys sorted: what {@code between(null, object, meta)}
     * lists as changed, built in one pass for creates, the commonest write with nothing to compare against.
     */
    public static ObjectNode fieldsOf(ObjectNode object, PatchMeta meta) {
        return Build.object(object, "", meta == null ? PatchMeta.NONE : meta);
    }

    public boolean isEmpty() {
        return changed.isEmpty() && removed.isEmpty();
    }

    static boolean ignored(String metaPath, String field) {
        return metaPath.isEmpty() ? IGNORED_TOP.contains(field)
                : metaPath.equals("metadata") && IGNORED_METADATA.contains(field);
    }

    private enum Shape { MAP, LIST, LEAF }

    private static Shape shape(JsonNode value, FieldMeta field) {
        if (value instanceof ObjectNode o && !o.isEmpty() && !field.atomic()) return Shape.MAP;
        if (value instanceof ArrayNode a && !a.isEmpty() && field.isMergeList()) return Shape.LIST;
        return Shape.LEAF;
    }

    /** A merged list's elements by their path element: {@code k:} for keyed objects, {@code v:} otherwise. */
    private static Map<String, JsonNode> elements(ArrayNode list, FieldMeta field) {
        Map<String, JsonNode> elements = new LinkedHashMap<>();
        String key = field.mergeKey();
        for (JsonNode element : list) {
            if (key != null && element instanceof ObjectNode item && item.has(key)) {
                elements.put(FieldSet.keyElement(key, item.get(key)), item);
            } else {
                elements.put("v:" + element, element);
            }
        }
        return elements;
    }

    /** {@link #fieldsOf}: the tree built directly, each level's keys sorted as Kubernetes writes them. */
    private static final class Build {

        static ObjectNode object(ObjectNode object, String metaPath, PatchMeta meta) {
            TreeMap<String, ObjectNode> children = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getValue().isNull() || ignored(metaPath, e.getKey())) continue;
                String childMeta = PatchMeta.child(metaPath, e.getKey());
                ObjectNode child = value(e.getValue(), childMeta, meta);
                if (child != null) children.put("f:" + e.getKey(), child);
            }
            return node(children);
        }

        private static ObjectNode value(JsonNode value, String metaPath, PatchMeta meta) {
            FieldMeta field = meta.field(metaPath);
            return switch (shape(value, field)) {
                case MAP -> {
                    // An object whose every field is unset or the server's holds no field of its own.
                    ObjectNode fields = object((ObjectNode) value, metaPath, meta);
                    yield fields.isEmpty() ? null : fields;
                }
                case LIST -> {
                    TreeMap<String, ObjectNode> children = new TreeMap<>();
                    for (Map.Entry<String, JsonNode> e : elements((ArrayNode) value, field).entrySet()) {
                        if (e.getKey().startsWith("k:")) {
                            ObjectNode item = object((ObjectNode) e.getValue(), metaPath, meta);
                            ObjectNode withSelf = JsonValues.NODES.objectNode();
                            withSelf.putObject(".");
                            item.properties().forEach(c -> withSelf.set(c.getKey(), c.getValue()));
                            children.put(e.getKey(), withSelf);
                        } else {
                            children.put(e.getKey(), JsonValues.NODES.objectNode());
                        }
                    }
                    yield node(children);
                }
                case LEAF -> JsonValues.NODES.objectNode();
            };
        }

        private static ObjectNode node(TreeMap<String, ObjectNode> children) {
            ObjectNode node = JsonValues.NODES.objectNode();
            children.forEach(node::set);
            return node;
        }
    }

    /** One comparison: a mutable path that grows and shrinks while walking, copied only into results. */
    private static final class Walk {
        private final PatchMeta meta;
        private final List<String> path = new ArrayList<>();
        private final Set<List<String>> changed = new LinkedHashSet<>();
        private final Set<List<String>> removed = new LinkedHashSet<>();

        Walk(PatchMeta meta) {
            this.meta = meta;
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

        void objects(ObjectNode before, ObjectNode after, String metaPath) {
            if (after != null) {
                for (Map.Entry<String, JsonNode> e : after.properties()) {
                    String field = e.getKey();
                    JsonNode value = e.getValue();
                    if (value.isNull() || ignored(metaPath, field)) continue;
                    JsonNode old = before == null ? null : before.get(field);
                    push("f:" + field);
                    value(old == null || old.isNull() ? null : old, value, PatchMeta.child(metaPath, field));
                    pop();
                }
            }
            if (before != null) {
                for (Map.Entry<String, JsonNode> e : before.properties()) {
                    String field = e.getKey();
                    if (e.getValue().isNull() || ignored(metaPath, field)) continue;
                    JsonNode now = after == null ? null : after.get(field);
                    if (now == null || now.isNull()) removed.add(here("f:" + field));
                }
            }
        }

        private void value(JsonNode before, JsonNode after, String metaPath) {
            FieldMeta field = meta.field(metaPath);
            if (before == null) {
                added(after, metaPath, field);
                return;
            }
            // Most of an object is untouched by a write; Jackson's equality is strict (1 differs from 1.0), so
            // equal subtrees can be passed over and unequal ones are still compared as JSON below.
            if (before.equals(after)) return;
            Shape was = shape(before, field);
            Shape is = shape(after, field);
            if (was != is) {
                removed.add(here());
                added(after, metaPath, field);
                return;
            }
            switch (is) {
                case MAP -> objects((ObjectNode) before, (ObjectNode) after, metaPath);
                case LIST -> lists((ArrayNode) before, (ArrayNode) after, metaPath, field);
                case LEAF -> {
                    if (!JsonValues.jsonEquals(before, after)) changed.add(here());
                }
            }
        }

        private void lists(ArrayNode before, ArrayNode after, String metaPath, FieldMeta field) {
            Map<String, JsonNode> was = elements(before, field);
            Map<String, JsonNode> is = elements(after, field);
            for (Map.Entry<String, JsonNode> e : is.entrySet()) {
                String element = e.getKey();
                JsonNode old = was.get(element);
                push(element);
                if (!element.startsWith("k:")) {
                    if (old == null) changed.add(here());
                } else if (old == null) {
                    changed.add(here("."));
                    addedFields((ObjectNode) e.getValue(), metaPath);
                } else {
                    objects((ObjectNode) old, (ObjectNode) e.getValue(), metaPath);
                }
                pop();
            }
            for (String element : was.keySet()) {
                if (!is.containsKey(element)) removed.add(here(element));
            }
        }

        /** Every field of a value no one had before, as {@link FieldSet#of} lists them. */
        private void added(JsonNode value, String metaPath, FieldMeta field) {
            switch (shape(value, field)) {
                case MAP -> addedFields((ObjectNode) value, metaPath);
                case LIST -> {
                    for (Map.Entry<String, JsonNode> e : elements((ArrayNode) value, field).entrySet()) {
                        push(e.getKey());
                        if (e.getKey().startsWith("k:")) {
                            changed.add(here("."));
                            addedFields((ObjectNode) e.getValue(), metaPath);
                        } else {
                            changed.add(here());
                        }
                        pop();
                    }
                }
                case LEAF -> changed.add(here());
            }
        }

        private void addedFields(ObjectNode object, String metaPath) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                if (e.getValue().isNull() || ignored(metaPath, e.getKey())) continue;
                String childMeta = PatchMeta.child(metaPath, e.getKey());
                push("f:" + e.getKey());
                added(e.getValue(), childMeta, meta.field(childMeta));
                pop();
            }
        }
    }
}
