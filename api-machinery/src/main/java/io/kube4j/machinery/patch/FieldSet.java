package io.kube4j.machinery.patch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths, the content of a {@code managedFields} entry. A path is a list of elements in Kubernetes'
 * {@code FieldsV1} notation: {@code f:<field>}, {@code k:<merge key as JSON>} for an element of a keyed list,
 * {@code v:<value as JSON>} for a value of a set, and {@code .} for the keyed element itself.
 *
 * <p>Immutable and thread-safe.
 */
public final class FieldSet {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Fields no manager owns: identity and system metadata, and status (a main-resource apply never sets it). */
    private static final Set<String> IGNORED_TOP = Set.of("apiVersion", "kind", "status");
    private static final Set<String> IGNORED_METADATA = Set.of("name", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields",
            "selfLink", "generateName");

    private final Set<List<String>> paths;

    private FieldSet(Set<List<String>> paths) {
        this.paths = Collections.unmodifiableSet(paths);
    }

    public static FieldSet empty() {
        return new FieldSet(new LinkedHashSet<>());
    }

    /** A set over {@code paths} itself, which the caller hands over and no longer changes. */
    static FieldSet wrap(Set<List<String>> paths) {
        return new FieldSet(paths);
    }

    public static FieldSet of(Set<List<String>> paths) {
        return new FieldSet(new LinkedHashSet<>(paths));
    }

    /**
     * The fields an object sets, as server-side apply owns them: every scalar, atomic list and empty object, every
     * keyed element and set value. Objects that hold fields are not members themselves (no {@code .} entry): only
     * the fields inside them are.
     */
    public static FieldSet of(JsonNode object, PatchMeta meta) {
        Set<List<String>> paths = new LinkedHashSet<>();
        if (object instanceof ObjectNode o) collect(o, "", new ArrayList<>(), meta, paths);
        return new FieldSet(paths);
    }

    static boolean ignored(String metaPath, String field) {
        return metaPath.isEmpty() ? IGNORED_TOP.contains(field)
                : metaPath.equals("metadata") && IGNORED_METADATA.contains(field);
    }

    private static void collect(ObjectNode object, String metaPath, List<String> prefix, PatchMeta meta,
                                Set<List<String>> out) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull() || ignored(metaPath, field)) continue;
            String childMeta = PatchMeta.child(metaPath, field);
            List<String> path = append(prefix, "f:" + field);
            FieldMeta fm = meta.field(childMeta);
            if (value instanceof ObjectNode child && !child.isEmpty() && !fm.atomic()) {
                collect(child, childMeta, path, meta, out);
            } else if (value instanceof ArrayNode list && fm.isMergeList() && !list.isEmpty()) {
                for (JsonNode element : list) {
                    if (fm.mergeKey() != null && element instanceof ObjectNode item && item.has(fm.mergeKey())) {
                        List<String> itemPath = append(path, keyElement(fm, item));
                        if (fm.atomicElements()) {
                            out.add(itemPath);
                        } else {
                            out.add(append(itemPath, "."));
                            collect(item, childMeta, itemPath, meta, out);
                        }
                    } else {
                        out.add(append(path, "v:" + element.toString()));
                    }
                }
            } else {
                out.add(path);
            }
        }
    }

    /**
     * The value a key field has in an element that leaves it out: Kubernetes' schema default, which field
     * ownership puts in the key. Every Kubernetes list keyed by {@code protocol} defaults it to TCP.
     */
    private static final Map<String, JsonNode> KEY_DEFAULTS = Map.of("protocol", JsonValues.NODES.stringNode("TCP"));

    /** The key fields of an element of a keyed list (it has the merge key), sorted by name as Kubernetes writes them. */
    static ObjectNode keyOf(FieldMeta field, ObjectNode item) {
        ObjectNode key = JsonValues.NODES.objectNode();
        if (field.moreKeys().isEmpty()) {
            key.set(field.mergeKey(), item.get(field.mergeKey()));
            return key;
        }
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        fields.put(field.mergeKey(), item.get(field.mergeKey()));
        for (String name : field.moreKeys()) {
            JsonNode value = item.get(name);
            if (value == null || value.isNull()) value = KEY_DEFAULTS.get(name);
            if (value != null) fields.put(name, value);
        }
        fields.forEach(key::set);
        return key;
    }

    /** The {@code k:} path element of an element of a keyed list (it has the merge key). */
    static String keyElement(FieldMeta field, ObjectNode item) {
        if (field.moreKeys().isEmpty() && plain(field.mergeKey())) {
            // Most keys are a plain name or a port number: spelled out directly, as JSON would print them.
            String mergeKey = field.mergeKey();
            JsonNode value = item.get(mergeKey);
            if (value != null && value.isString() && plain(value.asString())) return "k:{\"" + mergeKey + "\":\"" + value.asString() + "\"}";
            if (value != null && (value.isInt() || value.isLong())) return "k:{\"" + mergeKey + "\":" + value.asLong() + "}";
        }
        return "k:" + keyOf(field, item);
    }

    /** Whether an element has the key fields of {@code key}; a key field it leaves out counts as its default. */
    static boolean matchesKey(JsonNode item, JsonNode key) {
        if (!item.isObject()) return false;
        for (Map.Entry<String, JsonNode> k : key.properties()) {
            JsonNode v = item.get(k.getKey());
            if (v == null || v.isNull()) v = KEY_DEFAULTS.get(k.getKey());
            if (v == null || !JsonValues.jsonEquals(v, k.getValue())) return false;
        }
        return true;
    }

    /** Whether JSON writes {@code text} inside its quotes unchanged: printable ASCII without quote or backslash. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        }
        return true;
    }

    private static List<String> append(List<String> prefix, String element) {
        List<String> path = new ArrayList<>(prefix.size() + 1);
        path.addAll(prefix);
        path.add(element);
        return List.copyOf(path);
    }

    /** Reads a {@code fieldsV1} object: each key a path element, {@code {}} where a path ends. */
    public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        Set<List<String>> paths = new LinkedHashSet<>();
        if (fieldsV1 instanceof ObjectNode o) read(o, List.of(), paths);
        return new FieldSet(paths);
    }

    private static void read(ObjectNode node, List<String> prefix, Set<List<String>> out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            List<String> path = append(prefix, e.getKey());
            if (e.getValue() instanceof ObjectNode child && !child.isEmpty()) {
                read(child, path, out);
            } else {
                out.add(path);
            }
        }
    }

    /** This set in {@code fieldsV1} form, keys sorted as Kubernetes writes them. */
    public ObjectNode toFieldsV1() {
        Map<String, Object> tree = new TreeMap<>();
        for (List<String> path : paths) {
            Map<String, Object> node = tree;
            for (String element : path) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(element, k -> new TreeMap<>());
                node = child;
            }
        }
        return toNode(tree);
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode toNode(Map<String, Object> tree) {
        ObjectNode node = JsonValues.NODES.objectNode();
        // "." sorts first in Kubernetes' output; TreeMap already puts it before letters
        tree.forEach((k, v) -> node.set(k, toNode((Map<String, Object>) v)));
        return node;
    }

    public Set<List<String>> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    public boolean contains(List<String> path) {
        return paths.contains(path);
    }

    /** Whether this set holds {@code prefix} itself or any path below it. */
    public boolean containsPrefix(List<String> prefix) {
        for (List<String> p : paths) {
            if (p.size() >= prefix.size() && p.subList(0, prefix.size()).equals(prefix)) return true;
        }
        return false;
    }

    public FieldSet minus(FieldSet other) {
        Set<List<String>> out = new LinkedHashSet<>(paths);
        out.removeAll(other.paths);
        return new FieldSet(out);
    }

    public FieldSet minus(Set<List<String>> other) {
        Set<List<String>> out = new LinkedHashSet<>(paths);
        out.removeAll(other);
        return new FieldSet(out);
    }

    /** A path as Kubernetes prints it in conflict messages: {@code .spec.containers[name="web"].image}. */
    public static String render(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String element : path) {
            if (element.startsWith("f:")) {
                sb.append('.').append(element.substring(2));
            } else if (element.startsWith("k:")) {
                JsonNode key = MAPPER.readTree(element.substring(2));
                List<String> parts = new ArrayList<>();
                key.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue().toString()));
                sb.append('[').append(String.join(",", parts)).append(']');
            } else if (element.startsWith("v:")) {
                sb.append("[=").append(element.substring(2)).append(']');
            }
        }
        return sb.toString();
    }

    static JsonNode parseElement(String element) {
        return MAPPER.readTree(element.substring(2));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet other && other.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }
}
