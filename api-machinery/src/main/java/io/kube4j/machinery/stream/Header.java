package io.kube4j.machinery.stream;

import java.util.Objects;

/**
 * One HTTP header line. Names compare case-insensitively wherever this package looks them up;
 * the spelling given is the spelling written.
 */
public record Header(String name, String value) {

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || containsLineBreak(name) || name.contains(":") || containsLineBreak(value)) {
            throw new IllegalArgumentException("not a valid header line: " + name + ": " + value);
        }
    }

    private static boolean containsLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}
