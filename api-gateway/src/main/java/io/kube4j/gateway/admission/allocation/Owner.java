package io.kube4j.gateway.admission.allocation;

import java.nio.charset.StandardCharsets;

/**
 * Who holds an allocation: the object's namespace, name and uid, stored as the allocation key's
 * value so that an allocation is only ever released by the object that claimed it.
 */
public record Owner(String namespace, String name, String uid) {

    public Owner {
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        uid = uid == null ? "" : uid;
    }

    byte[] toBytes() {
        return ("{\"namespace\":" + json(namespace) + ",\"name\":" + json(name) + ",\"uid\":" + json(uid) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The owner recorded in an allocation key's value; an unreadable value yields an owner with no uid. */
    static Owner parse(byte[] value) {
        try {
            tools.jackson.databind.JsonNode node = MAPPER.readTree(value);
            return new Owner(node.path("namespace").asString(""), node.path("name").asString(""), node.path("uid").asString(""));
        } catch (RuntimeException e) {
            return new Owner("", "", "");
        }
    }

    private static final tools.jackson.databind.json.JsonMapper MAPPER = tools.jackson.databind.json.JsonMapper.builder().build();

    boolean holds(byte[] value) {
        return java.util.Arrays.equals(value, toBytes());
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
