package io.kube4j.gateway.protobuf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JSON shape of Kubernetes' API structs, read once from {@code go-json-fields.tsv} (derived
 * from the Go declarations by {@code api-gateway/tools/go_json_fields.py}). Immutable after
 * construction, so safe to share between threads.
 */
final class GoJsonShapes {

    static final String RESOURCE = "go-json-fields.tsv";

    private final Map<String, Map<Integer, FieldShape>> fields;
    private final Set<String> kinds;

    private GoJsonShapes(Map<String, Map<Integer, FieldShape>> fields, Set<String> kinds) {
        this.fields = fields;
        this.kinds = kinds;
    }

    static GoJsonShapes load() {
        try (InputStream in = GoJsonShapes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GoJsonShapes parse(BufferedReader reader) throws IOException {
        Map<String, Map<Integer, FieldShape>> fields = new HashMap<>();
        Set<String> kinds = new HashSet<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) continue;
            String[] columns = line.split("\t", -1);
            String message = columns[0];
            int number = Integer.parseInt(columns[1]);
            String flags = columns[3];
            if (number == 0) {
                if (flags.contains("K")) kinds.add(message);
                continue;
            }
            fields.computeIfAbsent(message, m -> new HashMap<>()).put(number, new FieldShape(
                    columns[2], flags.contains("o"), flags.contains("p"), flags.contains("i")));
        }
        // core/v1's List is declared in Go as metav1.List under another name, so the table lacks it.
        String metaList = "k8s.io.apimachinery.pkg.apis.meta.v1.List";
        if (fields.containsKey(metaList)) {
            fields.putIfAbsent("k8s.io.api.core.v1.List", fields.get(metaList));
            kinds.add("k8s.io.api.core.v1.List");
        }
        return new GoJsonShapes(fields, kinds);
    }

    /** Whether the Go declarations describe this message at all. */
    boolean knows(String messageFullName) {
        return fields.containsKey(messageFullName) || kinds.contains(messageFullName);
    }

    /** Whether the Go struct embeds TypeMeta, i.e. is a kind of its own. */
    boolean isKind(String messageFullName) {
        return kinds.contains(messageFullName);
    }

    /** The field's shape, or null when the Go declarations do not mention it. */
    FieldShape field(String messageFullName, int number) {
        Map<Integer, FieldShape> byNumber = fields.get(messageFullName);
        return byNumber == null ? null : byNumber.get(number);
    }
}
