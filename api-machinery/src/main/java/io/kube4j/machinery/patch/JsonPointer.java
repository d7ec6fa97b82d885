package io.kube4j.machinery.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON pointer: {@code /a/b~1c/0}, with {@code ~1} standing for {@code /} and {@code ~0} for {@code ~}.
 *
 * @param text   the pointer as written
 * @param tokens its reference tokens, unescaped; empty for the whole document
 */
public record JsonPointer(String text, List<String> tokens) {

    public JsonPointer {
        tokens = List.copyOf(tokens);
    }

    /**
     * Parses a pointer.
     *
     * @throws IllegalArgumentException when it neither is empty nor starts with {@code /}, or holds a {@code ~}
     *                                  followed by anything but {@code 0} or {@code 1}
     */
    public static JsonPointer parse(String text) {
        if (text.isEmpty()) return new JsonPointer(text, List.of());
        if (text.charAt(0) != '/') {
            throw new IllegalArgumentException("JSON pointer must be empty or start with a \"/\": " + text);
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '/') {
                tokens.add(token.toString());
                token.setLength(0);
                continue;
            }
            char c = text.charAt(i);
            if (c == '~') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next == '0') token.append('~');
                else if (next == '1') token.append('/');
                else throw new IllegalArgumentException("invalid escape in JSON pointer: " + text);
                i++;
            } else {
                token.append(c);
            }
        }
        return new JsonPointer(text, tokens);
    }

    /** Escapes one reference token for use in a pointer. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    public boolean isRoot() {
        return tokens.isEmpty();
    }

    public JsonPointer parent() {
        if (isRoot()) throw new IllegalStateException("the root has no parent");
        List<String> parentTokens = tokens.subList(0, tokens.size() - 1);
        StringBuilder sb = new StringBuilder();
        parentTokens.forEach(t -> sb.append('/').append(escape(t)));
        return new JsonPointer(sb.toString(), parentTokens);
    }

    public String last() {
        return tokens.getLast();
    }

    /** Whether {@code other} lies strictly inside the value this pointer names. */
    public boolean isProperPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    @Override
    public String toString() {
        return text;
    }
}
