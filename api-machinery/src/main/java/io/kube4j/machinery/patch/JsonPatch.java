package io.kube4j.machinery.patch;

import java.util.ArrayList;
import java.util.List;

import io.kube4j.machinery.errors.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Patch (RFC 6902), the body of {@code application/json-patch+json} PATCH requests.
 *
 * <p>Pure: neither argument is modified; the result shares no node with them. Operations apply in order and
 * atomically: if one fails, no change is visible. Errors are what kube-apiserver answers:
 * <ul>
 *   <li>a body that is not a list of operation objects: 400 BadRequest with Go's decoding message;</li>
 *   <li>more than {@value #MAX_OPERATIONS} operations: 413;</li>
 *   <li>any operation that does not apply (missing path, failed {@code test}, unknown {@code op}, bad pointer):
 *       422 Invalid with the fixed message {@code the server rejected our request due to an error in our request}
 *       and empty details, exactly as kube-apiserver hides the reason; the reason is the exception's cause.</li>
 * </ul>
 * Array indices follow the RFC strictly: decimal without leading zeros, {@code -} only to append.
 */
public final class JsonPatch {

    /** kube-apiserver refuses JSON patches with more operations than this. */
    public static final int MAX_OPERATIONS = 10000;

    private JsonPatch() {}

    /** Applies {@code patch} (an array of operations) to {@code target} and returns the patched copy. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        List<ObjectNode> operations = decode(patch);
        Document doc = new Document(target == null ? JsonValues.NODES.nullNode() : target.deepCopy());
        for (ObjectNode op : operations) {
            doc.apply(op);
        }
        return doc.root;
    }

    private static List<ObjectNode> decode(JsonNode patch) {
        if (patch == null || patch.isNull() || patch.isMissingNode()) return List.of();
        if (!patch.isArray()) {
            throw PatchErrors.badRequest("json: cannot unmarshal " + goKind(patch)
                    + " into Go value of type jsonpatch.Patch");
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw ApiException.tooLarge("The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS
                    + ", got " + patch.size());
        }
        List<ObjectNode> ops = new ArrayList<>();
        for (JsonNode element : patch) {
            if (element.isNull()) {
                ops.add(JsonValues.NODES.objectNode());
            } else if (element instanceof ObjectNode o) {
                ops.add(o);
            } else {
                throw PatchErrors.badRequest("json: cannot unmarshal " + goKind(element)
                        + " into Go value of type jsonpatch.Operation");
            }
        }
        return ops;
    }

    static String goKind(JsonNode n) {
        if (n.isObject()) return "object";
        if (n.isArray()) return "array";
        if (n.isString()) return "string";
        if (n.isNumber()) return "number";
        if (n.isBoolean()) return "bool";
        return "null";
    }

    /** The document under change; {@link #root} is replaced by operations on the whole document. */
    private static final class Document {
        JsonNode root;

        Document(JsonNode root) {
            this.root = root;
        }

        void apply(ObjectNode op) {
            JsonNode kind = op.get("op");
            String name = kind != null && kind.isString() ? kind.stringValue() : "unknown";
            switch (name) {
                case "add" -> add(pointer(op, "path", name), value(op, name));
                case "remove" -> remove(pointer(op, "path", name));
                case "replace" -> replace(pointer(op, "path", name), value(op, name));
                case "move" -> move(pointer(op, "from", name), pointer(op, "path", name));
                case "copy" -> copy(pointer(op, "from", name), pointer(op, "path", name));
                case "test" -> test(pointer(op, "path", name), value(op, name));
                default -> throw PatchErrors.rejected("Unexpected kind: " + name);
            }
        }

        private static JsonPointer pointer(ObjectNode op, String field, String opName) {
            JsonNode p = op.get(field);
            if (p == null || !p.isString()) {
                throw PatchErrors.rejected(opName + " operation missing " + field + " string");
            }
            try {
                return JsonPointer.parse(p.stringValue());
            } catch (IllegalArgumentException e) {
                throw PatchErrors.rejected(opName + " operation: " + e.getMessage());
            }
        }

        private static JsonNode value(ObjectNode op, String opName) {
            JsonNode v = op.get("value");
            if (v == null) throw PatchErrors.rejected(opName + " operation missing value");
            return v;
        }

        private JsonNode get(JsonPointer pointer) {
            JsonNode node = root;
            for (String token : pointer.tokens()) {
                if (node == null) return null;
                if (node.isObject()) {
                    node = node.get(token);
                } else if (node.isArray()) {
                    int index = index(token, node.size() - 1, false);
                    node = index < 0 ? null : node.get(index);
                } else {
                    return null;
                }
            }
            return node;
        }

        /** Parses an array index; returns -1 when it is not a valid index no greater than {@code max}. */
        private static int index(String token, int max, boolean allowDash) {
            if (allowDash && token.equals("-")) return max;
            if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) return -1;
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c < '0' || c > '9') return -1;
            }
            int value = Integer.parseInt(token);
            return value <= max ? value : -1;
        }

        private JsonNode container(JsonPointer pointer, String opName) {
            JsonNode parent = get(pointer.parent());
            if (parent == null || !parent.isContainer()) {
                throw PatchErrors.rejected(opName + " operation does not apply: doc is missing path: \""
                        + pointer + "\": missing value");
            }
            return parent;
        }

        void add(JsonPointer path, JsonNode value) {
            JsonNode copy = value.deepCopy();
            if (path.isRoot()) {
                root = copy;
                return;
            }
            JsonNode parent = container(path, "add");
            if (parent instanceof ObjectNode o) {
                o.set(path.last(), copy);
            } else {
                ArrayNode a = (ArrayNode) parent;
                int i = index(path.last(), a.size(), true);
                if (i < 0) throw PatchErrors.rejected("add operation does not apply: index out of bounds: " + path);
                a.insert(i, copy);
            }
        }

        JsonNode remove(JsonPointer path) {
            if (path.isRoot()) throw PatchErrors.rejected("remove operation does not apply: cannot remove the root");
            JsonNode parent = container(path, "remove");
            if (parent instanceof ObjectNode o) {
                if (!o.has(path.last())) {
                    throw PatchErrors.rejected("remove operation does not apply: doc is missing key: " + path
                            + ": missing value");
                }
                return o.remove(path.last());
            }
            ArrayNode a = (ArrayNode) parent;
            int i = index(path.last(), a.size() - 1, false);
            if (i < 0) throw PatchErrors.rejected("remove operation does not apply: index out of bounds: " + path);
            return a.remove(i);
        }

        void replace(JsonPointer path, JsonNode value) {
            if (path.isRoot()) {
                root = value.deepCopy();
                return;
            }
            if (get(path) == null) {
                throw PatchErrors.rejected("replace operation does not apply: doc is missing key: " + path
                        + ": missing value");
            }
            JsonNode parent = get(path.parent());
            if (parent instanceof ObjectNode o) {
                o.set(path.last(), value.deepCopy());
            } else {
                ((ArrayNode) parent).set(index(path.last(), parent.size() - 1, false), value.deepCopy());
            }
        }

        void move(JsonPointer from, JsonPointer path) {
            if (from.equals(path) || from.tokens().equals(path.tokens())) {
                if (get(from) == null) throw missingFrom("move", from);
                return;
            }
            if (from.isProperPrefixOf(path)) {
                throw PatchErrors.rejected("move operation does not apply: \"from\" " + from
                        + " is a prefix of \"path\" " + path);
            }
            if (get(from) == null) throw missingFrom("move", from);
            JsonNode value = remove(from);
            add(path, value);
        }

        void copy(JsonPointer from, JsonPointer path) {
            JsonNode value = get(from);
            if (value == null) throw missingFrom("copy", from);
            add(path, value);
        }

        void test(JsonPointer path, JsonNode expected) {
            JsonNode actual = get(path);
            if (actual == null || !JsonValues.jsonEquals(actual, expected)) {
                throw PatchErrors.rejected("testing value " + path + " failed: test failed");
            }
        }

        private static ApiException missingFrom(String opName, JsonPointer from) {
            return PatchErrors.rejected(opName + " operation does not apply: doc is missing from path: " + from
                    + ": missing value");
        }
    }
}
