package io.kube4j.machinery.patch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side apply ({@code application/apply-patch+yaml}): merges an applied configuration into the live object
 * on behalf of a field manager and records what that manager owns in {@code metadata.managedFields}.
 *
 * <p>The subset implemented, precisely:
 * <ul>
 *   <li>No live object: the result is the applied configuration with one {@code managedFields} entry.</li>
 *   <li>Ownership is a {@link FieldSet}: every scalar, atomic list, empty object and atomic struct
 *       ({@link FieldMeta#atomic()}) of the configuration; for lists with the {@code merge} strategy each element
 *       by its key ({@code k:{"name":"x"}} with a {@code .} entry; {@code k:{"containerPort":80,"protocol":"TCP"}}
 *       where {@link FieldMeta#moreKeys()} names more key fields, a missing {@code protocol} counting as TCP; an
 *       atomic element, such as an owner reference, is {@code k:{"uid":"u"}} alone) or each value of a primitive
 *       set ({@code v:"x"}). Objects holding fields carry no {@code .} entry of their own: an applier owns the
 *       fields it sets, not the maps around them. {@code apiVersion}, {@code kind}, {@code status} and
 *       the system fields of {@code metadata} (name, namespace, uid, resourceVersion, generation, timestamps,
 *       managedFields) are owned by no one.</li>
 *   <li>Conflicts: a field the configuration sets, owned by another entry of {@code managedFields} (another
 *       manager, or the same one through Update), whose live value differs from the applied one. Without
 *       {@code force} they fail with 409 and kube-apiserver's message and causes; with {@code force} the other
 *       entries lose those fields. An object without {@code managedFields} has no owners, so no conflicts
 *       (Kubernetes would attribute its fields to {@code before-first-apply}).</li>
 *   <li>Removal: fields the manager applied before (its Apply entry) and omits now are removed from the object
 *       unless another entry owns them; a keyed element goes when no other entry owns anything in it.</li>
 *   <li>Merge: objects merge key by key; keyed lists merge element by element (live order kept, new elements
 *       appended); sets take the union; everything else is replaced by the applied value. {@code null} in the
 *       configuration means "not set". The live {@code status} is kept.</li>
 *   <li>The manager's Apply entry is replaced by {@code {manager, operation: Apply, apiVersion, time,
 *       fieldsType: FieldsV1, fieldsV1}}; entries left owning nothing are dropped; entries are ordered as
 *       {@link ManagedFields} orders them (Apply first, then by time).</li>
 * </ul>
 * Not implemented: schema defaults of list keys other than {@code protocol}, {@code +listType=map} keys of lists
 * that strategic merge patch does not merge, granular ownership inside atomic maps, reordering keyed lists to the applier's order, and conversion of
 * field sets between API versions.
 *
 * <p>Pure: no argument is modified; the clock is a parameter.
 */
public final class ApplyPatch {

    private final PatchMeta meta;

    private ApplyPatch(PatchMeta meta) {
        this.meta = meta;
    }

    /**
     * Applies {@code applied} to {@code live} for {@code fieldManager}.
     *
     * @param live         the stored object, or null when it does not exist (the apply creates it)
     * @param applied      the configuration sent, already decoded from YAML
     * @param meta         the kind's patch metadata
     * @param fieldManager the {@code fieldManager} query parameter
     * @param force        the {@code force} query parameter: take over conflicting fields
     * @param now          the time recorded in the managedFields entry
     * @return the resulting object
     * @throws ApiException 422 without a field manager, 400 for a configuration that is no object, lacks
     *                      apiVersion or kind, or carries managedFields, 409 on conflicts without force
     */
    public static ObjectNode apply(JsonNode live, JsonNode applied, PatchMeta meta, String fieldManager,
                                   boolean force, Instant now) {
        if (fieldManager == null || fieldManager.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", List.of(new StatusCause(
                    "FieldValueRequired", "Required value: is required for apply patch", "fieldManager")));
        }
        if (!(applied instanceof ObjectNode config)) {
            throw ApiException.badRequest("error decoding YAML: the configuration must be an object");
        }
        if (!config.path("apiVersion").isString() || !config.path("kind").isString()) {
            throw ApiException.badRequest("error decoding YAML: Object 'apiVersion' and 'Kind' must be set");
        }
        JsonNode managedInConfig = config.path("metadata").get("managedFields");
        if (managedInConfig != null && !managedInConfig.isNull()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        return new ApplyPatch(meta == null ? PatchMeta.NONE : meta)
                .run(live instanceof ObjectNode o ? o : null, config, fieldManager, force, now);
    }

    /** One entry of managedFields, as read from the live object. */
    private record Entry(ObjectNode raw, FieldSet fields) {
        String manager() {
            return raw.path("manager").asString("");
        }

        String operation() {
            return raw.path("operation").asString("");
        }

        boolean isApplyOf(String fieldManager) {
            return manager().equals(fieldManager) && operation().equals("Apply")
                    && raw.path("subresource").asString("").isEmpty();
        }

        /** How Kubernetes names a manager in conflict messages. */
        String printed() {
            String name = "\"" + manager() + "\"";
            String subresource = raw.path("subresource").asString("");
            if (!subresource.isEmpty()) name += " with subresource \"" + subresource + "\"";
            // kube-apiserver prints the manager's identity, which leaves the time out.
            if (operation().equals("Update")) return name + " using " + raw.path("apiVersion").asString("");
            return name;
        }
    }

    private ObjectNode run(ObjectNode live, ObjectNode config, String fieldManager, boolean force, Instant now) {
        FieldSet next = FieldSet.of(config, meta);
        ObjectNode entry = entry(fieldManager, config.get("apiVersion").stringValue(), now, next);

        if (live == null) {
            ObjectNode created = config.deepCopy();
            ArrayNode managed = JsonValues.NODES.arrayNode();
            if (!next.isEmpty()) managed.add(entry);
            KubeObject.metadata(created).set("managedFields", managed);
            return created;
        }

        ObjectNode result = live.deepCopy();
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : result.path("metadata").path("managedFields")) {
            if (e instanceof ObjectNode o) entries.add(new Entry(o, FieldSet.fromFieldsV1(o.get("fieldsV1"))));
        }
        FieldSet previous = entries.stream().filter(e -> e.isApplyOf(fieldManager)).map(Entry::fields)
                .findFirst().orElse(FieldSet.empty());
        List<Entry> others = new ArrayList<>(entries.stream().filter(e -> !e.isApplyOf(fieldManager)).toList());

        Map<Entry, Set<List<String>>> conflicts = conflicts(others, next, live, config);
        if (!conflicts.isEmpty()) {
            if (!force) throw conflictError(conflicts);
            for (int i = 0; i < others.size(); i++) {
                Set<List<String>> lost = conflicts.get(others.get(i));
                if (lost != null) {
                    Entry other = others.get(i);
                    others.set(i, new Entry(other.raw(), other.fields().minus(lost)));
                }
            }
        }

        for (List<String> path : previous.minus(next).paths()) {
            if (ownedByAny(others, path)) continue;
            if (path.getLast().equals(".")) {
                List<String> item = path.subList(0, path.size() - 1);
                if (others.stream().noneMatch(o -> o.fields().containsPrefix(item))
                        && !next.containsPrefix(item)) {
                    remove(result, item);
                }
            } else {
                remove(result, path);
            }
        }

        mergeObject(result, config, "");

        ArrayNode managed = JsonValues.NODES.arrayNode();
        boolean placed = false;
        for (Entry e : entries) {
            if (e.isApplyOf(fieldManager)) {
                if (!next.isEmpty()) managed.add(entry);
                placed = true;
                continue;
            }
            Entry updated = others.stream().filter(o -> o.raw() == e.raw()).findFirst().orElse(e);
            if (updated.fields().isEmpty()) continue;
            ObjectNode raw = updated.raw().deepCopy();
            raw.set("fieldsV1", updated.fields().toFieldsV1());
            managed.add(raw);
        }
        if (!placed && !next.isEmpty()) managed.add(entry);
        List<JsonNode> ordered = new ArrayList<>(managed.valueStream().toList());
        ordered.sort(ManagedFields.ORDER);
        managed.removeAll();
        ordered.forEach(managed::add);
        KubeObject.metadata(result).set("managedFields", managed);
        return result;
    }

    private static ObjectNode entry(String manager, String apiVersion, Instant now, FieldSet fields) {
        return ManagedFields.entry(manager, "Apply", apiVersion, ManagedFields.timestamp(now), "", fields.toFieldsV1());
    }

    private static boolean ownedByAny(List<Entry> entries, List<String> path) {
        return entries.stream().anyMatch(e -> e.fields().contains(path));
    }

    // ---- conflicts ------------------------------------------------------------------------------------------

    private static Map<Entry, Set<List<String>>> conflicts(List<Entry> others, FieldSet next, ObjectNode live,
                                                          ObjectNode config) {
        Map<Entry, Set<List<String>>> conflicts = new LinkedHashMap<>();
        for (List<String> path : next.paths()) {
            if (path.getLast().equals(".") || path.getLast().startsWith("v:")) continue;
            for (Entry other : others) {
                if (!other.fields().contains(path)) continue;
                JsonNode liveValue = valueAt(live, path);
                JsonNode appliedValue = valueAt(config, path);
                if (liveValue == null || appliedValue == null || !JsonValues.jsonEquals(liveValue, appliedValue)) {
                    conflicts.computeIfAbsent(other, k -> new LinkedHashSet<>()).add(path);
                }
            }
        }
        return conflicts;
    }

    private static ApiException conflictError(Map<Entry, Set<List<String>>> conflicts) {
        List<StatusCause> causes = new ArrayList<>();
        int count = 0;
        TreeMap<String, List<String>> byManager = new TreeMap<>();
        for (Map.Entry<Entry, Set<List<String>>> e : conflicts.entrySet()) {
            String manager = e.getKey().printed();
            for (List<String> path : e.getValue()) {
                String rendered = FieldSet.render(path);
                causes.add(new StatusCause("FieldManagerConflict", "conflict with " + manager, rendered));
                byManager.computeIfAbsent(manager, k -> new ArrayList<>()).add(rendered);
                count++;
            }
        }
        String message;
        if (count == 1) {
            StatusCause only = causes.getFirst();
            message = "Apply failed with 1 conflict: " + only.message() + ": " + only.field();
        } else {
            List<String> lines = new ArrayList<>();
            byManager.forEach((manager, paths) -> {
                lines.add("conflicts with " + manager + ":");
                paths.forEach(p -> lines.add("- " + p));
            });
            message = "Apply failed with " + count + " conflicts: " + String.join("\n", lines);
        }
        return new ApiException(409, "Conflict", message, null, null, null, causes);
    }

    // ---- paths into objects ---------------------------------------------------------------------------------

    /** The value a field path names in an object, or null. */
    static JsonNode valueAt(JsonNode root, List<String> path) {
        JsonNode node = root;
        for (String element : path) {
            if (node == null) return null;
            if (element.startsWith("f:")) {
                node = node.isObject() ? node.get(element.substring(2)) : null;
            } else if (element.startsWith("k:")) {
                node = node.isArray() ? findKeyed((ArrayNode) node, FieldSet.parseElement(element)) : null;
            } else if (element.startsWith("v:")) {
                JsonNode value = FieldSet.parseElement(element);
                node = node.isArray() && contains((ArrayNode) node, value) ? value : null;
            } else if (!element.equals(".")) {
                return null;
            }
        }
        return node;
    }

    private static JsonNode findKeyed(ArrayNode list, JsonNode key) {
        for (JsonNode item : list) {
            if (FieldSet.matchesKey(item, key)) return item;
        }
        return null;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode item : list) {
            if (JsonValues.jsonEquals(item, value)) return true;
        }
        return false;
    }

    /** Removes what a path names: a field, a keyed element (path ending in its {@code k:}) or a set value. */
    private static void remove(ObjectNode root, List<String> path) {
        JsonNode parent = valueAt(root, path.subList(0, path.size() - 1));
        String last = path.getLast();
        if (last.startsWith("f:") && parent instanceof ObjectNode o) {
            o.remove(last.substring(2));
        } else if (last.startsWith("k:") && parent instanceof ArrayNode a) {
            JsonNode item = findKeyed(a, FieldSet.parseElement(last));
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) == item) {
                    a.remove(i);
                    break;
                }
            }
        } else if (last.startsWith("v:") && parent instanceof ArrayNode a) {
            JsonNode value = FieldSet.parseElement(last);
            for (int i = a.size() - 1; i >= 0; i--) {
                if (JsonValues.jsonEquals(a.get(i), value)) a.remove(i);
            }
        }
    }

    // ---- merge ----------------------------------------------------------------------------------------------

    private void mergeObject(ObjectNode target, ObjectNode config, String metaPath) {
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            String field = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull() || FieldSet.ignored(metaPath, field)) continue;
            String childMeta = PatchMeta.child(metaPath, field);
            target.set(field, merge(target.get(field), value, childMeta));
        }
    }

    private JsonNode merge(JsonNode live, JsonNode applied, String metaPath) {
        FieldMeta field = meta.field(metaPath);
        if (live instanceof ObjectNode liveObject && applied instanceof ObjectNode appliedObject && !field.atomic()) {
            mergeObject(liveObject, appliedObject, metaPath);
            return liveObject;
        }
        if (live instanceof ArrayNode liveList && applied instanceof ArrayNode appliedList && field.isMergeList()) {
            ArrayNode out = liveList.deepCopy();
            for (JsonNode element : appliedList) {
                if (field.mergeKey() != null && element instanceof ObjectNode item && item.has(field.mergeKey())) {
                    JsonNode existing = findKeyed(out, FieldSet.keyOf(field, item));
                    if (existing instanceof ObjectNode existingObject && field.atomicElements()) {
                        for (int i = 0; i < out.size(); i++) {
                            if (out.get(i) == existing) out.set(i, withoutNulls(item));
                        }
                    } else if (existing instanceof ObjectNode existingObject) {
                        mergeObject(existingObject, item, metaPath);
                    } else {
                        out.add(withoutNulls(item));
                    }
                } else if (!contains(out, element)) {
                    out.add(element.deepCopy());
                }
            }
            return out;
        }
        return withoutNulls(applied);
    }

    private static JsonNode withoutNulls(JsonNode value) {
        if (value instanceof ObjectNode o) {
            ObjectNode out = JsonValues.NODES.objectNode();
            o.properties().forEach(e -> {
                if (!e.getValue().isNull()) out.set(e.getKey(), withoutNulls(e.getValue()));
            });
            return out;
        }
        return value.deepCopy();
    }
}
