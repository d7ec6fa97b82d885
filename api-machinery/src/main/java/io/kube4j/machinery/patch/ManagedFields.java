package io.kube4j.machinery.patch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field ownership for the writes that are not server-side apply (create, update, JSON/merge/strategic patch, and
 * the status and scale subresources): what kube-apiserver records in {@code metadata.managedFields} as
 * {@code operation: Update} entries.
 *
 * <p>The rules, as kube-apiserver applies them:
 * <ul>
 *   <li>An entry is identified by manager, operation, subresource and, for Update, apiVersion; a manager writing
 *       through {@code apps/v1} and through the {@code scale} subresource has two entries.</li>
 *   <li>The fields a write changes ({@link FieldDiff}) go to the writer's Update entry and leave every other entry,
 *       Apply entries included: an update takes ownership without conflict. The fields it removes leave every entry,
 *       the writer's too. An entry left owning nothing is dropped. The writer's entry gets the write's time only
 *       when it took something; a write that changes nothing leaves managedFields as they were.</li>
 *   <li>Which managedFields the write starts from: for a subresource, always the stored ones; otherwise those the
 *       client sent if they are a non-empty list of well-formed entries, the stored ones if the client sent none,
 *       an empty list or malformed entries (clients unaware of the field must not wipe it), and none at all if
 *       the client sent exactly {@code [{}]} (kube-apiserver's documented way to reset them).</li>
 *   <li>Entries are ordered as kube-apiserver orders them: Apply before Update, then by time, manager,
 *       apiVersion and subresource.</li>
 *   <li>At most ten Update entries are kept; older ones merge into {@code ancient-changes} entries.</li>
 * </ul>
 * Not done: conversion of field sets between API versions.
 *
 * <p>Stateless and thread-safe. Entries not affected by a write are reused as they are, so the cost of a write
 * grows with what it changes, not with the size of managedFields.
 */
public final class ManagedFields {

    private static final Set<String> OPERATIONS = Set.of("Apply", "Update");

    /** kube-apiserver's limit on a field manager's name, in UTF-8 bytes. */
    public static final int MAX_MANAGER_BYTES = 128;

    private ManagedFields() {}

    /**
     * The manager of a non-apply write: the {@code fieldManager} parameter when given, else what the User-Agent
     * says before its first {@code /} ({@code kubectl/v1.32.0 (linux/amd64) ...} is {@code kubectl}), without
     * unprintable characters and cut to {@value #MAX_MANAGER_BYTES} bytes.
     */
    public static String managerName(String fieldManager, String userAgent) {
        if (fieldManager != null && !fieldManager.isEmpty()) return fieldManager;
        if (userAgent == null) return "";
        int slash = userAgent.indexOf('/');
        String prefix = slash < 0 ? userAgent : userAgent.substring(0, slash);
        StringBuilder name = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); ) {
            int c = prefix.codePointAt(i);
            i += Character.charCount(c);
            if (!isPrint(c)) continue;
            int size = utf8Length(c);
            if (bytes + size > MAX_MANAGER_BYTES) break;
            name.appendCodePoint(c);
            bytes += size;
        }
        return name.toString();
    }

    /**
     * What kube-apiserver finds wrong with a {@code fieldManager} parameter: longer than
     * {@value #MAX_MANAGER_BYTES} bytes, or holding characters that are not printable. Empty when it is fine.
     */
    public static List<StatusCause> validateName(String fieldManager) {
        List<StatusCause> causes = new ArrayList<>();
        if (fieldManager == null) return causes;
        if (fieldManager.getBytes(StandardCharsets.UTF_8).length > MAX_MANAGER_BYTES) {
            causes.add(StatusCause.tooLong("fieldManager", MAX_MANAGER_BYTES));
        }
        int position = 0;
        for (int i = 0; i < fieldManager.length(); ) {
            int c = fieldManager.codePointAt(i);
            i += Character.charCount(c);
            if (!isPrint(c)) {
                causes.add(StatusCause.invalid("fieldManager", fieldManager,
                        String.format("invalid character U+%04X (at position %d)", c, position)));
            }
            position += utf8Length(c);
        }
        return causes;
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int c) {
        if (c == ' ') return true;
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    private static int utf8Length(int c) {
        return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }

    /**
     * Who makes a non-apply write.
     *
     * @param name        the field manager: the {@code fieldManager} parameter, else derived from the User-Agent
     * @param apiVersion  the API version the request used, e.g. {@code apps/v1}
     * @param subresource the subresource written ({@code status}, {@code scale}), or empty for the object itself
     */
    public record Manager(String name, String apiVersion, String subresource) {
        public Manager {
            if (name == null) throw new IllegalArgumentException("a manager needs a name");
            if (apiVersion == null) throw new IllegalArgumentException("a manager needs an apiVersion");
            if (subresource == null) subresource = "";
        }

        boolean owns(JsonNode entry) {
            return name.equals(entry.path("manager").asString(""))
                    && "Update".equals(entry.path("operation").asString(""))
                    && apiVersion.equals(entry.path("apiVersion").asString(""))
                    && subresource.equals(entry.path("subresource").asString(""));
        }
    }

    /**
     * Records an Update by {@code manager}: sets {@code after}'s {@code metadata.managedFields} (or removes the field
     * when no entry is left). Reads {@code before} only.
     *
     * @param before the stored object, or null when the write creates the object
     * @param after  the object about to be stored, carrying the managedFields the client sent (if any)
     * @param meta   the kind's patch metadata
     * @param now    the time recorded in the writer's entry
     */
    public static void recordUpdate(ObjectNode before, ObjectNode after, PatchMeta meta, Manager manager,
                                    Instant now) {
        recordUpdate(before, after, meta, manager, now, true);
    }

    /**
     * {@link #recordUpdate(ObjectNode, ObjectNode, PatchMeta, Manager, Instant)}, giving the writer nothing in
     * {@code status} unless {@code statusOwned}: kube-apiserver resets status in writes to the object itself of a
     * kind with a status subresource, so such a write owns none of it, even where defaults put something there
     * ({@code kubectl create namespace} owns the namespace's label, not its phase).
     */
    public static void recordUpdate(ObjectNode before, ObjectNode after, PatchMeta meta, Manager manager,
                                    Instant now, boolean statusOwned) {
        List<ObjectNode> entries = startingEntries(before, after, manager);
        if (before == null && entries.isEmpty()) {
            // A create with nothing to take from: the creator's entry is the object's fields, built in one pass.
            ObjectNode fields = FieldDiff.fieldsOf(after, meta, statusOwned);
            entries = fields.isEmpty() ? List.of() : List.of(entry(manager, now, fields));
        } else {
            FieldDiff diff = FieldDiff.between(before, after, meta, statusOwned);
            if (!diff.isEmpty()) entries = transfer(entries, diff, manager, now);
        }
        ObjectNode metadata = KubeObject.metadata(after);
        if (entries.isEmpty()) {
            metadata.remove("managedFields");
        } else {
            ArrayNode list = JsonValues.NODES.arrayNode(entries.size());
            entries.forEach(list::add);
            metadata.set("managedFields", list);
        }
    }

    /** The managedFields a write starts from (see the class comment). */
    static List<ObjectNode> startingEntries(ObjectNode before, ObjectNode after, Manager manager) {
        JsonNode stored = before == null ? null : before.path("metadata").get("managedFields");
        if (!manager.subresource().isEmpty()) return entries(stored, false);
        JsonNode sent = after.path("metadata").get("managedFields");
        if (sent == null || sent.isNull()) return entries(stored, false);
        if (isReset(sent)) return List.of();
        // Clients that read, change and write back send the stored entries unchanged: those need no checking.
        if (sent.equals(stored)) return entries(stored, false);
        List<ObjectNode> fromClient = entries(sent, true);
        return fromClient.isEmpty() ? entries(stored, false) : fromClient;
    }

    private static boolean isReset(JsonNode sent) {
        return sent instanceof ArrayNode list && list.size() == 1 && list.get(0) instanceof ObjectNode only
                && only.isEmpty();
    }

    /**
     * The entries of a managedFields value; none when it is missing, or when {@code check} is set and any entry is
     * malformed. Stored entries were checked when they were written.
     */
    private static List<ObjectNode> entries(JsonNode managedFields, boolean check) {
        if (!(managedFields instanceof ArrayNode list) || list.isEmpty()) return List.of();
        List<ObjectNode> entries = new ArrayList<>(list.size());
        for (JsonNode element : list) {
            if (element instanceof ObjectNode entry && (!check || isWellFormed(entry))) {
                entries.add(entry);
            } else if (check) {
                return List.of();
            }
        }
        return entries;
    }

    private static boolean isWellFormed(ObjectNode entry) {
        if (!entry.path("manager").isString() || !OPERATIONS.contains(entry.path("operation").asString(""))) {
            return false;
        }
        for (String field : List.of("apiVersion", "time", "subresource")) {
            JsonNode value = entry.get(field);
            if (value != null && !value.isNull() && !value.isString()) return false;
        }
        if (!"FieldsV1".equals(entry.path("fieldsType").asString(""))) return false;
        JsonNode fields = entry.get("fieldsV1");
        return fields == null || fields.isNull() || fields instanceof ObjectNode o && isFieldsTree(o);
    }

    private static boolean isFieldsTree(ObjectNode tree) {
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            String key = e.getKey();
            boolean knownElement = key.equals(".") || key.startsWith("f:") || key.startsWith("k:")
                    || key.startsWith("v:") || key.startsWith("i:");
            if (!knownElement || !(e.getValue() instanceof ObjectNode child) || !isFieldsTree(child)) return false;
        }
        return true;
    }

    /** Hands what the write changed to the writer and takes it, and what it removed, from every other entry. */
    private static List<ObjectNode> transfer(List<ObjectNode> entries, FieldDiff diff, Manager manager, Instant now) {
        List<ObjectNode> out = new ArrayList<>(entries.size() + 1);
        ObjectNode own = null;
        for (ObjectNode entry : entries) {
            if (own == null && manager.owns(entry)) {
                own = entry;
                continue;
            }
            JsonNode fields = entry.get("fieldsV1");
            if (!(fields instanceof ObjectNode tree) || !FieldsTree.touches(tree, diff)) {
                out.add(entry);
                continue;
            }
            ObjectNode copy = tree.deepCopy();
            FieldsTree.takeAway(copy, diff);
            if (copy.isEmpty()) continue;
            ObjectNode updated = entry.deepCopy();
            updated.set("fieldsV1", copy);
            out.add(updated);
        }
        ObjectNode fields = own != null && own.get("fieldsV1") instanceof ObjectNode tree
                ? tree.deepCopy() : JsonValues.NODES.objectNode();
        for (List<String> removed : diff.removed().paths()) FieldsTree.removeSubtree(fields, removed);
        for (List<String> changed : diff.changed().paths()) FieldsTree.add(fields, changed);
        if (!fields.isEmpty()) out.add(entry(manager, now, FieldsTree.sorted(fields)));
        out = capUpdates(out);
        out.sort(ORDER);
        return out;
    }

    /** kube-apiserver keeps at most this many Update entries... */
    static final int MAX_UPDATE_ENTRIES = 10;

    /** ... and merges the oldest of the rest, per API version, into an entry of this manager. */
    static final String ANCIENT_CHANGES = "ancient-changes";

    /**
     * Holds the Update entries to {@value #MAX_UPDATE_ENTRIES}: oldest first, an entry whose API version was already
     * seen is merged into that version's {@value #ANCIENT_CHANGES} entry (made from the first one seen when there is
     * none yet), which takes the merged entry's time. Entries are never changed in place: they may be the stored
     * object's.
     */
    private static List<ObjectNode> capUpdates(List<ObjectNode> entries) {
        List<ObjectNode> updates = new ArrayList<>();
        for (ObjectNode e : entries) {
            if ("Update".equals(e.path("operation").asString(""))) updates.add(e);
        }
        if (updates.size() <= MAX_UPDATE_ENTRIES) return entries;
        updates.sort(Comparator.comparing(e -> e.path("time").asString("")));
        List<ObjectNode> out = new ArrayList<>(entries);
        Map<String, ObjectNode> firstSeen = new HashMap<>();
        int count = updates.size();
        for (ObjectNode update : updates) {
            if (count <= MAX_UPDATE_ENTRIES) break;
            String version = update.path("apiVersion").asString("");
            if (!firstSeen.containsKey(version) || ANCIENT_CHANGES.equals(update.path("manager").asString(""))) {
                firstSeen.putIfAbsent(version, update);
                continue;
            }
            ObjectNode bucket = null;
            for (ObjectNode e : out) {
                if (ANCIENT_CHANGES.equals(e.path("manager").asString("")) && version.equals(e.path("apiVersion").asString(""))
                        && "Update".equals(e.path("operation").asString(""))
                        && e.path("subresource").asString("").isEmpty()) {
                    bucket = e;
                }
            }
            if (bucket == null) {
                ObjectNode first = firstSeen.get(version);
                out.removeIf(e -> e == first);
                bucket = first;
            }
            FieldSet union = FieldSet.fromFieldsV1(bucket.get("fieldsV1"));
            Set<List<String>> paths = new LinkedHashSet<>(union.paths());
            paths.addAll(FieldSet.fromFieldsV1(update.get("fieldsV1")).paths());
            ObjectNode merged = entry(ANCIENT_CHANGES, "Update", version, update.path("time").asString(""), "",
                    FieldSet.wrap(paths).toFieldsV1());
            ObjectNode replaced = bucket;
            out.removeIf(e -> e == replaced || e == update);
            out.add(merged);
            count--;
        }
        return out;
    }

    private static ObjectNode entry(Manager manager, Instant now, ObjectNode fields) {
        return entry(manager.name(), "Update", manager.apiVersion(), timestamp(now), manager.subresource(), fields);
    }

    /** One managedFields entry, its fields in kube-apiserver's order; no {@code subresource} when it is empty. */
    static ObjectNode entry(String manager, String operation, String apiVersion, String time, String subresource,
                            ObjectNode fieldsV1) {
        ObjectNode entry = JsonValues.NODES.objectNode();
        entry.put("manager", manager);
        entry.put("operation", operation);
        entry.put("apiVersion", apiVersion);
        entry.put("time", time);
        entry.put("fieldsType", "FieldsV1");
        entry.set("fieldsV1", fieldsV1);
        if (!subresource.isEmpty()) entry.put("subresource", subresource);
        return entry;
    }

    /** The last second formatted: writes come many to a second, and formatting is a visible part of their cost. */
    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    private record Stamp(long second, String text) {}

    static String timestamp(Instant now) {
        Stamp last = lastStamp;
        long second = now.getEpochSecond();
        if (last.second() == second) return last.text();
        Stamp stamp = new Stamp(second, KubeObject.timestamp(now));
        lastStamp = stamp;
        return stamp.text();
    }

    /** kube-apiserver's order of managedFields: operation, then time, manager, apiVersion, subresource. */
    static final Comparator<JsonNode> ORDER = Comparator
            .<JsonNode, String>comparing(e -> e.path("operation").asString(""))
            .thenComparing(e -> e.path("time").asString(""))
            .thenComparing(e -> e.path("manager").asString(""))
            .thenComparing(e -> e.path("apiVersion").asString(""))
            .thenComparing(e -> e.path("subresource").asString(""));

    /**
     * Operations on a {@code fieldsV1} tree in place: a path is in the set when its node is {@code {}} or holds a
     * {@code .} key; every other node only leads to deeper paths.
     */
    static final class FieldsTree {

        private FieldsTree() {}

        /** Whether taking {@code diff} away would change the tree. */
        static boolean touches(ObjectNode tree, FieldDiff diff) {
            for (List<String> path : diff.changed().paths()) {
                if (contains(tree, path)) return true;
            }
            for (List<String> path : diff.removed().paths()) {
                if (node(tree, path) != null) return true;
            }
            return false;
        }

        static void takeAway(ObjectNode tree, FieldDiff diff) {
            for (List<String> path : diff.removed().paths()) removeSubtree(tree, path);
            for (List<String> path : diff.changed().paths()) remove(tree, path);
        }

        private static ObjectNode node(ObjectNode tree, List<String> path) {
            ObjectNode node = tree;
            for (String element : path) {
                if (!(node.get(element) instanceof ObjectNode child)) return null;
                node = child;
            }
            return node;
        }

        static boolean contains(ObjectNode tree, List<String> path) {
            ObjectNode node = node(tree, path);
            return node != null && (node.isEmpty() || node.has("."));
        }

        /** Adds one path; a member that gains children keeps its membership as a {@code .} key. */
        static void add(ObjectNode tree, List<String> path) {
            ObjectNode node = tree;
            boolean member = false;
            for (String element : path) {
                if (node.get(element) instanceof ObjectNode child) {
                    node = child;
                    // An existing {} is a member: it stays one, as a "." key, once it leads somewhere.
                    member = child.isEmpty();
                } else {
                    if (member) node.putObject(".");
                    ObjectNode child = JsonValues.NODES.objectNode();
                    node.set(element, child);
                    node = child;
                    member = false;
                }
            }
            if (!node.isEmpty() && !node.has(".")) node.putObject(".");
        }

        /** Removes one path, leaving what lies below it. */
        static void remove(ObjectNode tree, List<String> path) {
            ObjectNode target = node(tree, path);
            if (target == null) return;
            if (target.isEmpty()) {
                removeSubtree(tree, path);
            } else if (target.remove(".") != null && target.isEmpty()) {
                removeSubtree(tree, path);
            }
        }

        /** Removes a path and everything below it, then the ancestors left leading nowhere. */
        static void removeSubtree(ObjectNode tree, List<String> path) {
            if (path.isEmpty()) return;
            List<ObjectNode> chain = new ArrayList<>(path.size());
            ObjectNode node = tree;
            for (int i = 0; i < path.size() - 1; i++) {
                chain.add(node);
                if (!(node.get(path.get(i)) instanceof ObjectNode child)) return;
                node = child;
            }
            if (node.remove(path.getLast()) == null) return;
            for (int i = path.size() - 2; i >= 0 && node.isEmpty(); i--) {
                ObjectNode parent = chain.get(i);
                parent.remove(path.get(i));
                node = parent;
            }
        }

        /** The tree with keys in the order Kubernetes writes them. */
        static ObjectNode sorted(ObjectNode tree) {
            TreeMap<String, JsonNode> keys = new TreeMap<>();
            tree.properties().forEach(e -> keys.put(e.getKey(), e.getValue()));
            ObjectNode out = JsonValues.NODES.objectNode();
            keys.forEach((k, v) -> out.set(k, v instanceof ObjectNode o ? sorted(o) : v));
            return out;
        }
    }
}
