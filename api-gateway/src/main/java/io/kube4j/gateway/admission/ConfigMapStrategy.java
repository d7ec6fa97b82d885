package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** ConfigMaps (v1): valid keys, no key in both data and binaryData, at most 1 MiB, immutable when marked so. */
@Component
public final class ConfigMapStrategy extends BaseStrategy {

    public ConfigMapStrategy() {
        super("", "ConfigMap");
    }

    @Override
    public List<StatusCause> validate(ObjectNode configMap, ObjectNode old) {
        Causes causes = new Causes();
        long total = 0;
        ObjectNode data = JsonTree.object(configMap, "data");
        ObjectNode binary = JsonTree.object(configMap, "binaryData");
        if (data != null) {
            for (Map.Entry<String, JsonNode> e : data.properties()) {
                causes.invalidEach(FieldPath.of("data").key(e.getKey()), e.getKey(), NameValidation.isConfigMapKey(e.getKey()));
                String v = JsonTree.string(e.getValue());
                if (v != null) total += v.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (binary != null) {
            for (Map.Entry<String, JsonNode> e : binary.properties()) {
                causes.invalidEach(FieldPath.of("binaryData").key(e.getKey()), e.getKey(), NameValidation.isConfigMapKey(e.getKey()));
                if (data != null && data.has(e.getKey())) {
                    causes.invalid(FieldPath.of("binaryData"), e.getKey(), "duplicate of key present in data");
                }
                String v = JsonTree.string(e.getValue());
                if (v == null) continue;
                try {
                    total += Base64.getDecoder().decode(v).length;
                } catch (IllegalArgumentException ex) {
                    causes.invalid(FieldPath.of("binaryData").key(e.getKey()), v, "illegal base64 data");
                }
            }
        }
        // kube-apiserver names the whole object "[]" here.
        if (total > SecretStrategy.MAX_SIZE) causes.tooLong(FieldPath.of("[]"), SecretStrategy.MAX_SIZE);
        if (old != null) Immutability.check(configMap, old, List.of("data", "binaryData"), causes);
        return causes.list();
    }
}
