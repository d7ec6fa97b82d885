package io.kube4j.machinery.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kube4j.machinery.errors.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes' strategic merge patch, the body of {@code application/strategic-merge-patch+json} PATCH requests and
 * of the patches {@code kubectl apply} computes from the last-applied-configuration annotation.
 *
 * <p>Semantics, as kube-apiserver applies them:
 * <ul>
 *   <li>objects merge key by key; a {@code null} value deletes the key;</li>
 *   <li>lists whose field has the {@code merge} strategy merge: lists of objects element by element on the merge
 *       key (matching elements merged recursively, new ones added), lists of primitives as sets; every other list
 *       is replaced;</li>
 *   <li>a value whose JSON type differs from the live one replaces it;</li>
 *   <li>{@code $patch: replace} in an object replaces the object; {@code $patch: delete} empties it;
 *       in an element of a merging list, {@code $patch: delete} removes the elements with that merge key and
 *       {@code $patch: replace} makes the patch's elements the whole list; {@code $patch: merge} is refused, as
 *       kube-apiserver refuses it;</li>
 *   <li>{@code $retainKeys: [..]} drops the live keys it does not list (and refuses a patch that sets a key
 *       outside it); {@code $deleteFromPrimitiveList/<field>: [..]} removes values from a primitive merging list;
 *       {@code $setElementOrder/<field>: [..]} orders a merging list: listed elements in that order, live-only
 *       elements keep their place relative to them.</li>
 * </ul>
 * Element order follows kube-apiserver's algorithm exactly: elements named in the patch come in patch order,
 * live-only elements in live order, interleaved where the live order allows.
 *
 * <p>A value for a key the object lacks is taken with its nulls discarded and any object carrying {@code $patch}
 * dropped; a {@code $deleteFromPrimitiveList} for a list the object lacks deletes nothing. Keys that start with
 * {@code $} and are no directive are dropped, as kube-apiserver's decoding into its types drops them.
 *
 * <p>Pure: neither argument is modified. Errors are kube-apiserver's: 400 BadRequest for malformed patches and
 * directives, 422 for lists of lists.
 */
public final class StrategicMergePatch {

    private static final String DIRECTIVE = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder";

    static final String BAD_PRIMITIVE_LIST = "invalid patch format of primitive list";
    static final String BAD_RETAIN_KEYS = "invalid patch format of retainKeys";
    static final String BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list";

    private final PatchMeta meta;

    private StrategicMergePatch(PatchMeta meta) {
        this.meta = meta;
    }

    /**
     * The patch as kube-apiserver prints it inside its errors (an Invalid {@code patch} value): Go's {@code %v} of
     * the decoded map, keys sorted, e.g. {@code map[spec:map[replicas:3]]}.
     */
    public static String printed(JsonNode patch) {
        return JsonValues.go(patch);
    }

    /**
     * Applies {@code patch} to the object {@code target}.
     *
     * @param meta the kind's field strategies, e.g. {@link KubernetesPatchMeta#forKind}
     * @return the patched object, sharing no node with the arguments
     * @throws ApiException 400 for a patch that is not an object or carries malformed directives, 422 for lists of
     *                      lists
     */
    public static JsonNode apply(JsonNode target, JsonNode patch, PatchMeta meta) {
        if (target != null && !target.isNull() && !target.isObject()) {
            throw PatchErrors.badRequest("invalid JSON document");
        }
        if (patch != null && !patch.isNull() && !patch.isObject()) {
            throw PatchErrors.badRequest("json: cannot unmarshal " + JsonPatch.goKind(patch)
                    + " into Go value of type map[string]interface {}");
        }
        ObjectNode original = target == null || target.isNull()
                ? JsonValues.NODES.objectNode() : (ObjectNode) target.deepCopy();
        ObjectNode p = patch == null || patch.isNull() ? JsonValues.NODES.objectNode() : (ObjectNode) patch.deepCopy();
        return new StrategicMergePatch(meta == null ? PatchMeta.NONE : meta).mergeMap(original, p, "");
    }

    // ---- maps -----------------------------------------------------------------------------------------------

    private ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path) {
        JsonNode directive = patch.get(DIRECTIVE);
        if (directive != null) {
            if (directive.isString() && directive.stringValue().equals("replace")) {
                patch.remove(DIRECTIVE);
                return (ObjectNode) stripDirectives(patch);
            }
            if (directive.isString() && directive.stringValue().equals("delete")) {
                return JsonValues.NODES.objectNode();
            }
            throw badPatchType(directive, patch);
        }
        if (original == null) original = JsonValues.NODES.objectNode();

        applyRetainKeys(original, patch);
        applySetElementOrder(original, patch, path);

        for (String key : new ArrayList<>(patch.propertyNames())) {
            JsonNode patchValue = patch.get(key);
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, extractKey(key, DELETE_FROM_PRIMITIVE_LIST), patchValue);
                continue;
            }
            if (key.startsWith("$")) continue;
            String childPath = PatchMeta.child(path, key);
            if (patchValue.isNull()) {
                original.remove(key);
                continue;
            }
            JsonNode originalValue = original.get(key);
            if (originalValue == null || originalValue.isNull() || !JsonValues.sameType(originalValue, patchValue)) {
                JsonNode added = newValue(patchValue);
                if (added == null) {
                    original.remove(key);
                } else {
                    original.set(key, added);
                }
                continue;
            }
            FieldMeta field = meta.field(childPath);
            if (patchValue instanceof ObjectNode patchObject) {
                original.set(key, field.strategy() == FieldMeta.Strategy.REPLACE
                        ? stripDirectives(patchObject)
                        : mergeMap((ObjectNode) originalValue, patchObject, childPath));
            } else if (patchValue instanceof ArrayNode patchList) {
                original.set(key, field.isMergeList()
                        ? mergeList((ArrayNode) originalValue, patchList, field.mergeKey(), childPath)
                        : stripDirectives(patchList));
            } else {
                original.set(key, patchValue);
            }
        }
        return original;
    }

    /**
     * A patch value for a key the object does not have (or has with another type): its nulls discarded and every
     * object carrying {@code $patch} dropped, as kube-apiserver does; null when the value itself is dropped.
     */
    private static JsonNode newValue(JsonNode value) {
        if (value instanceof ObjectNode o) {
            if (o.has(DIRECTIVE)) return null;
            ObjectNode out = JsonValues.NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isNull() || e.getKey().startsWith("$")) continue;
                JsonNode child = newValue(e.getValue());
                if (child != null) out.set(e.getKey(), child);
            }
            return out;
        }
        if (value instanceof ArrayNode a) {
            ArrayNode out = JsonValues.NODES.arrayNode();
            for (JsonNode element : a) {
                JsonNode child = newValue(element);
                if (child != null) out.add(child);
            }
            return out;
        }
        return value;
    }

    /**
     * A patch value taken as it is (a replaced list or map): without the {@code $} keys and null members that
     * kube-apiserver's typed decoding drops.
     */
    private static JsonNode stripDirectives(JsonNode value) {
        if (value instanceof ObjectNode o) {
            ObjectNode out = JsonValues.NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getValue().isNull() || e.getKey().startsWith("$")) continue;
                out.set(e.getKey(), stripDirectives(e.getValue()));
            }
            return out;
        }
        if (value instanceof ArrayNode a) {
            ArrayNode out = JsonValues.NODES.arrayNode();
            for (JsonNode element : a) out.add(stripDirectives(element));
            return out;
        }
        return value;
    }

    private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
        JsonNode retain = patch.remove(RETAIN_KEYS);
        if (retain == null) return;
        if (!retain.isArray()) throw PatchErrors.badRequest(BAD_RETAIN_KEYS);
        Set<String> keep = new HashSet<>();
        for (JsonNode k : retain) {
            if (k.isString()) keep.add(k.stringValue());
        }
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String k = e.getKey();
            if (e.getValue().isNull() || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) {
                continue;
            }
            if (!keep.contains(k)) throw PatchErrors.badRequest(BAD_RETAIN_KEYS);
        }
        for (String k : new ArrayList<>(original.propertyNames())) {
            if (!keep.contains(k)) original.remove(k);
        }
    }

    private static String extractKey(String key, String prefix) {
        int slash = key.indexOf('/');
        if (slash < 0 || !key.substring(0, slash).equals(prefix)) {
            throw PatchErrors.badRequest(prefix.equals(DELETE_FROM_PRIMITIVE_LIST)
                    ? BAD_PRIMITIVE_LIST : BAD_SET_ELEMENT_ORDER);
        }
        return key.substring(slash + 1);
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String key, JsonNode toDelete) {
        if (!toDelete.isArray()) throw PatchErrors.badRequest(BAD_PRIMITIVE_LIST);
        JsonNode current = original.get(key);
        if (current == null || current.isNull()) return;
        if (!current.isArray()) throw PatchErrors.badRequest(BAD_PRIMITIVE_LIST);
        ArrayNode kept = JsonValues.NODES.arrayNode();
        for (JsonNode v : current) {
            if (indexOf(toDelete, v, null) < 0) kept.add(v);
        }
        original.set(key, kept);
    }

    // ---- $setElementOrder -----------------------------------------------------------------------------------

    private void applySetElementOrder(ObjectNode original, ObjectNode patch, String path) {
        for (String directiveKey : new ArrayList<>(patch.propertyNames())) {
            if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
            JsonNode order = patch.remove(directiveKey);
            if (!order.isArray()) throw badListType(order);
            String key = extractKey(directiveKey, SET_ELEMENT_ORDER);
            String childPath = PatchMeta.child(path, key);
            JsonNode originalValue = original.get(key);
            JsonNode patchValue = patch.get(key);
            if (originalValue != null && !originalValue.isArray()) throw badListType(originalValue);
            if (patchValue != null && !patchValue.isArray()) throw badListType(patchValue);
            FieldMeta field = meta.field(childPath);
            String mergeKey = field.mergeKey();
            validateAgainstOrder((ArrayNode) patchValue, order, mergeKey);

            ArrayNode merged;
            if (originalValue != null && patchValue == null) {
                merged = (ArrayNode) originalValue;
            } else if (originalValue == null && patchValue != null) {
                merged = (ArrayNode) stripDirectives(patchValue);
            } else if (originalValue != null) {
                merged = field.isMergeList()
                        ? mergeList((ArrayNode) originalValue, (ArrayNode) patchValue, mergeKey, childPath)
                        : (ArrayNode) stripDirectives(patchValue);
            } else {
                continue;
            }
            List<JsonNode> inOrder = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            for (JsonNode item : merged) {
                requireMergeKey(item, mergeKey);
                (indexOf(order, item, mergeKey) >= 0 ? inOrder : serverOnly).add(item);
            }
            List<JsonNode> serverOrder = originalValue == null ? List.of() : list(originalValue);
            original.set(key, toArray(normalizeOrder(inOrder, serverOnly, list(order), serverOrder, mergeKey)));
            patch.remove(key);
        }
    }

    /** The elements a patch names must appear in its {@code $setElementOrder} list, in the same relative order. */
    private static void validateAgainstOrder(ArrayNode patchList, JsonNode order, String mergeKey) {
        if (patchList == null || patchList.isEmpty() || order.isEmpty()) return;
        List<JsonNode> kept = new ArrayList<>();
        for (JsonNode item : patchList) {
            if (mergeKey != null) {
                if (!item.isObject()) throw badArgType(item);
                if (isDirective(item, "delete")) continue;
            }
            kept.add(item);
        }
        int patchIndex = 0;
        int orderIndex = 0;
        while (patchIndex < kept.size() && orderIndex < order.size()) {
            JsonNode item = kept.get(patchIndex);
            if (item.isObject() && item.has(DIRECTIVE)) {
                patchIndex++;
                continue;
            }
            if (keyEquals(item, order.get(orderIndex), mergeKey)) patchIndex++;
            orderIndex++;
        }
        if (patchIndex < kept.size()) {
            throw PatchErrors.badRequest("The order in patch list:\n" + JsonValues.go(patchList)
                    + "\n doesn't match " + SET_ELEMENT_ORDER + " list:\n" + JsonValues.go(order) + "\n");
        }
    }

    private static boolean keyEquals(JsonNode left, JsonNode right, String mergeKey) {
        if (mergeKey == null) return JsonValues.jsonEquals(left, right);
        if (!left.isObject()) throw badArgType(left);
        if (!right.isObject()) throw badArgType(right);
        return JsonValues.jsonEquals(requireMergeKey(left, mergeKey), requireMergeKey(right, mergeKey));
    }

    // ---- lists ----------------------------------------------------------------------------------------------

    private ArrayNode mergeList(ArrayNode original, ArrayNode patch, String mergeKey, String path) {
        if (original.isEmpty() && patch.isEmpty()) return original;
        JsonNode sample = elementTypeOf(original, patch);
        List<JsonNode> serverOrder;
        List<JsonNode> patchItems;
        List<JsonNode> merged;
        if (!sample.isObject()) {
            merged = new ArrayList<>();
            for (JsonNode v : original) addUnique(merged, v);
            for (JsonNode v : patch) addUnique(merged, v);
            serverOrder = list(original);
            patchItems = list(patch);
            mergeKey = null;
        } else {
            if (mergeKey == null) {
                throw PatchErrors.badRequest("cannot merge lists without merge key for type struct");
            }
            List<JsonNode> live = list(original);
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            for (JsonNode v : patch) {
                JsonNode directive = v.get(DIRECTIVE);
                if (directive == null) {
                    plain.add(v);
                } else if (directive.isString() && directive.stringValue().equals("delete")) {
                    JsonNode value = v.get(mergeKey);
                    if (value == null) throw noMergeKey(v, mergeKey);
                    String key = mergeKey;
                    live.removeIf(item -> JsonValues.jsonEquals(requireObject(item).get(key), value));
                } else if (directive.isString() && directive.stringValue().equals("replace")) {
                    replace = true;
                } else if (directive.isString() && directive.stringValue().equals("merge")) {
                    throw PatchErrors.badRequest("merging lists cannot yet be specified in the patch");
                } else {
                    throw badPatchType(directive, v);
                }
            }
            if (replace) {
                live = new ArrayList<>();
                for (JsonNode v : plain) live.add(stripDirectives(v));
                plain = List.of();
            }
            merged = new ArrayList<>(live);
            for (JsonNode v : plain) {
                JsonNode value = requireMergeKey(v, mergeKey);
                int at = indexOfKey(merged, mergeKey, value);
                if (at >= 0) {
                    merged.set(at, mergeMap((ObjectNode) merged.get(at), (ObjectNode) v, path));
                } else {
                    merged.add(stripDirectives(v));
                }
            }
            serverOrder = live;
            patchItems = plain;
        }
        List<JsonNode> fromPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        ArrayNode patchOrder = toArray(patchItems);
        for (JsonNode item : merged) {
            (indexOf(patchOrder, item, mergeKey) >= 0 ? fromPatch : serverOnly).add(item);
        }
        return toArray(normalizeOrder(fromPatch, serverOnly, patchItems, serverOrder, mergeKey));
    }

    /**
     * Orders the merged list: the patch's elements by {@code patchOrder}, live-only elements by {@code serverOrder},
     * then interleaves them; a live-only element goes before a patch element only when both are live and it comes
     * first there.
     */
    private static List<JsonNode> normalizeOrder(List<JsonNode> fromPatch, List<JsonNode> serverOnly,
                                                 List<JsonNode> patchOrder, List<JsonNode> serverOrder,
                                                 String mergeKey) {
        ArrayNode patchOrderArray = toArray(patchOrder);
        ArrayNode serverOrderArray = toArray(serverOrder);
        List<JsonNode> right = sortedBy(fromPatch, patchOrderArray, mergeKey);
        List<JsonNode> left = sortedBy(serverOnly, serverOrderArray, mergeKey);
        List<JsonNode> result = new ArrayList<>(left.size() + right.size());
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            if (i >= left.size()) {
                result.add(right.get(j++));
            } else if (j >= right.size()) {
                result.add(left.get(i++));
            } else {
                int li = indexOf(serverOrderArray, left.get(i), mergeKey);
                int ri = indexOf(serverOrderArray, right.get(j), mergeKey);
                if (li >= 0 && ri >= 0 && li < ri) {
                    result.add(left.get(i++));
                } else {
                    result.add(right.get(j++));
                }
            }
        }
        return result;
    }

    private static List<JsonNode> sortedBy(List<JsonNode> items, ArrayNode order, String mergeKey) {
        List<JsonNode> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt(item -> {
            int at = indexOf(order, item, mergeKey);
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        return sorted;
    }

    /** Position of {@code item} in {@code list}: by merge key for objects, by value for primitives. */
    private static int indexOf(JsonNode list, JsonNode item, String mergeKey) {
        JsonNode wanted = mergeKey == null ? item : item.get(mergeKey);
        for (int i = 0; i < list.size(); i++) {
            JsonNode candidate = mergeKey == null ? list.get(i) : list.get(i).get(mergeKey);
            if (wanted == null ? candidate == null : candidate != null && JsonValues.jsonEquals(wanted, candidate)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfKey(List<JsonNode> items, String mergeKey, JsonNode value) {
        for (int i = 0; i < items.size(); i++) {
            JsonNode candidate = requireObject(items.get(i)).get(mergeKey);
            if (candidate != null && JsonValues.jsonEquals(candidate, value)) return i;
        }
        return -1;
    }

    private static void addUnique(List<JsonNode> items, JsonNode value) {
        for (JsonNode existing : items) {
            if (JsonValues.jsonEquals(existing, value)) return;
        }
        items.add(value);
    }

    /** The one JSON type every element of both lists has; lists of lists are refused as kube-apiserver does. */
    private static JsonNode elementTypeOf(ArrayNode... lists) {
        JsonNode first = null;
        for (ArrayNode list : lists) {
            for (JsonNode v : list) {
                if (first == null) {
                    if (v.isArray()) throw PatchErrors.rejected("lists of lists are not supported");
                    first = v;
                } else if (!JsonValues.sameType(first, v)) {
                    List<String> rendered = new ArrayList<>();
                    for (ArrayNode l : lists) rendered.add(JsonValues.go(l));
                    throw PatchErrors.badRequest("list element types are not identical: ["
                            + String.join(" ", rendered) + "]");
                }
            }
        }
        return first;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>(array.size());
        array.values().forEach(out::add);
        return out;
    }

    private static ArrayNode toArray(List<JsonNode> items) {
        ArrayNode out = JsonValues.NODES.arrayNode();
        items.forEach(out::add);
        return out;
    }

    private static boolean isDirective(JsonNode item, String directive) {
        JsonNode d = item.get(DIRECTIVE);
        return d != null && d.isString() && d.stringValue().equals(directive);
    }

    private static ObjectNode requireObject(JsonNode item) {
        if (item instanceof ObjectNode o) return o;
        throw badArgType(item);
    }

    private static JsonNode requireMergeKey(JsonNode item, String mergeKey) {
        if (mergeKey == null) return item;
        JsonNode value = requireObject(item).get(mergeKey);
        if (value == null) throw noMergeKey(item, mergeKey);
        return value;
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    private static ApiException noMergeKey(JsonNode item, String mergeKey) {
        return PatchErrors.badRequest("map: " + JsonValues.go(item) + " does not contain declared merge key: "
                + mergeKey);
    }

    private static ApiException badPatchType(JsonNode directive, JsonNode map) {
        String rendered = directive.isString() ? directive.stringValue() : "%!s(" + goType(directive) + "="
                + JsonValues.go(directive) + ")";
        return PatchErrors.badRequest("unknown patch type: " + rendered + " in map: " + JsonValues.go(map));
    }

    private static ApiException badArgType(JsonNode actual) {
        return PatchErrors.badRequest("expected a map[string]interface {}, but received a " + goType(actual));
    }

    private static ApiException badListType(JsonNode actual) {
        return PatchErrors.badRequest("expected a []interface {}, but received a " + goType(actual));
    }

    private static String goType(JsonNode n) {
        if (n.isObject()) return "map[string]interface {}";
        if (n.isArray()) return "[]interface {}";
        if (n.isString()) return "string";
        if (n.isNumber()) return "float64";
        if (n.isBoolean()) return "bool";
        return "<nil>";
    }
}
