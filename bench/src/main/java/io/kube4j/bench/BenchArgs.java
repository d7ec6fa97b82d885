package io.kube4j.bench;

import java.util.HashMap;
import java.util.Map;

/** The command line every benchmark takes: {@code --name=value} pairs, as {@code ./kube4j bench} passes them. */
final class BenchArgs {

    private BenchArgs() {
    }

    /** The pairs by name; a later repeat wins. Anything else is refused, as is a missing {@code required} name. */
    static Map<String, String> parse(String[] argv, String... required) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("expected --name=value: " + a);
            args.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        for (String name : required) {
            if (!args.containsKey(name)) throw new IllegalArgumentException("--" + name + " is required");
        }
        return args;
    }
}
