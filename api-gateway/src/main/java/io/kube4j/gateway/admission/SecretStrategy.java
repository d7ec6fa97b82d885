package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Secrets (v1): {@code stringData} merged into {@code data} as base64 (overriding keys of the same
 * name) and dropped, as kube-apiserver does on decode; type Opaque by default. Validation of keys,
 * total size (1 MiB) and the required keys of the typed secrets; immutable secrets stay so.
 */
@Component
public final class SecretStrategy extends BaseStrategy {

    static final int MAX_SIZE = 1024 * 1024;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    public SecretStrategy() {
        super("", "Secret");
    }

    @Override
    public void defaults(ObjectNode secret) {
        Defaulting.defaultText(secret, "type", "Opaque");
        if (secret.get("stringData") instanceof ObjectNode stringData) {
            ObjectNode data = JsonTree.ensureObject(secret, "data");
            stringData.properties().forEach(e -> {
                String value = e.getValue().isString() ? e.getValue().stringValue() : e.getValue().toString();
                data.put(e.getKey(), Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            });
        }
        secret.remove("stringData");
    }

    @Override
    public List<StatusCause> validate(ObjectNode secret, ObjectNode old) {
        Causes causes = new Causes();
        FieldPath dataPath = FieldPath.of("data");
        ObjectNode data = JsonTree.object(secret, "data");
        Map<String, byte[]> decoded = new java.util.HashMap<>();
        long total = 0;
        if (data != null) {
            for (Map.Entry<String, JsonNode> e : data.properties()) {
                causes.invalidEach(dataPath.key(e.getKey()), e.getKey(), NameValidation.isConfigMapKey(e.getKey()));
                String text = JsonTree.string(e.getValue());
                if (text == null) {
                    if (!e.getValue().isNull()) causes.invalid(dataPath.key(e.getKey()), "<secret contents redacted>", "must be a base64-encoded string");
                    continue;
                }
                try {
                    byte[] bytes = Base64.getDecoder().decode(text);
                    decoded.put(e.getKey(), bytes);
                    total += bytes.length;
                } catch (IllegalArgumentException ex) {
                    causes.invalid(dataPath.key(e.getKey()), "<secret contents redacted>", "illegal base64 data");
                }
            }
        }
        if (total > MAX_SIZE) causes.tooLong(dataPath, MAX_SIZE);
        String type = JsonTree.stringOrEmpty(secret, "type");
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                ObjectNode annotations = JsonTree.object(JsonTree.object(secret, "metadata"), "annotations");
                if (JsonTree.stringOrEmpty(annotations, "kubernetes.io/service-account.name").isEmpty()) {
                    causes.required(FieldPath.of("metadata", "annotations").key("kubernetes.io/service-account.name"));
                }
            }
            case "kubernetes.io/dockercfg" -> requireJson(decoded, ".dockercfg", dataPath, causes);
            case "kubernetes.io/dockerconfigjson" -> requireJson(decoded, ".dockerconfigjson", dataPath, causes);
            case "kubernetes.io/basic-auth" -> {
                if (!decoded.containsKey("username") && !decoded.containsKey("password")) {
                    causes.required(dataPath.key("username"));
                    causes.required(dataPath.key("password"));
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (!decoded.containsKey("ssh-privatekey") || decoded.get("ssh-privatekey").length == 0) {
                    causes.required(dataPath.key("ssh-privatekey"));
                }
            }
            case "kubernetes.io/tls" -> {
                if (!decoded.containsKey("tls.key")) causes.required(dataPath.key("tls.key"));
                if (!decoded.containsKey("tls.crt")) causes.required(dataPath.key("tls.crt"));
            }
            default -> {
                if (type.isEmpty()) causes.required(FieldPath.of("type"));
                else causes.invalidEach(FieldPath.of("type"), type, NameValidation.isQualifiedName(type));
            }
        }
        if (old != null) {
            if (!type.equals(JsonTree.stringOrEmpty(old, "type"))) causes.immutable(FieldPath.of("type"), type);
            Immutability.check(secret, old, List.of("data"), causes);
        }
        return causes.list();
    }

    private static void requireJson(Map<String, byte[]> decoded, String key, FieldPath dataPath, Causes causes) {
        byte[] value = decoded.get(key);
        if (value == null || value.length == 0) {
            causes.required(dataPath.key(key));
            return;
        }
        try {
            MAPPER.readTree(value);
        } catch (RuntimeException e) {
            causes.invalid(dataPath.key(key), "<secret contents redacted>", "invalid character in JSON");
        }
    }
}
