package io.kube4j.gateway.crd;

import io.kube4j.gateway.admission.AdmissionContext;
import io.kube4j.gateway.admission.KindStrategy;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Admission of CustomResourceDefinitions: defaults, the rules kube-apiserver enforces on names,
 * scope and versions, and the status it reports once the names are accepted (set at once here,
 * since the gateway starts serving a definition as soon as it is stored).
 */
@Component
public class CustomResourceDefinitionStrategy implements KindStrategy {

    static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

    private final Clock clock;

    public CustomResourceDefinitionStrategy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String group() {
        return "apiextensions.k8s.io";
    }

    @Override
    public String kind() {
        return "CustomResourceDefinition";
    }

    @Override
    public void defaults(ObjectNode crd) {
        ObjectNode spec = crd.withObjectProperty("spec");
        ObjectNode names = spec.withObjectProperty("names");
        String kind = names.path("kind").asString("");
        if (!names.has("singular") && !kind.isEmpty()) names.put("singular", kind.toLowerCase());
        if (!names.has("listKind") && !kind.isEmpty()) names.put("listKind", kind + "List");
        if (!spec.has("conversion")) spec.putObject("conversion").put("strategy", "None");
    }

    @Override
    public void prepareForCreate(ObjectNode crd, AdmissionContext context) {
        KubeObject.addFinalizer(crd, CLEANUP_FINALIZER);
        setStatus(crd);
    }

    @Override
    public void prepareForUpdate(ObjectNode crd, ObjectNode old, AdmissionContext context) {
        setStatus(crd);
    }

    private void setStatus(ObjectNode crd) {
        ObjectNode status = crd.withObjectProperty("status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode stored = status.has("storedVersions") && status.get("storedVersions").isArray()
                ? (ArrayNode) status.get("storedVersions") : status.putArray("storedVersions");
        for (JsonNode v : crd.path("spec").path("versions")) {
            String name = v.path("name").asString("");
            if (v.path("storage").asBoolean(false) && stored.valueStream().noneMatch(s -> s.asString().equals(name))) {
                stored.add(name);
            }
        }
        if (!status.has("conditions")) {
            ArrayNode conditions = status.putArray("conditions");
            String now = KubeObject.timestamp(clock.instant());
            condition(conditions, "NamesAccepted", "NoConflicts", "no conflicts found", now);
            condition(conditions, "Established", "InitialNamesAccepted", "the initial names have been accepted", now);
        }
    }

    private static void condition(ArrayNode conditions, String type, String reason, String message, String now) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", "True");
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
    }

    @Override
    public List<StatusCause> validate(ObjectNode crd, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = crd.path("spec");
        String group = spec.path("group").asString("");
        JsonNode names = spec.path("names");
        String plural = names.path("plural").asString("");
        String kind = names.path("kind").asString("");
        if (group.isEmpty()) causes.add(StatusCause.required("spec.group"));
        else if (!group.contains(".")) causes.add(StatusCause.invalid("spec.group", group, "should be a domain with at least one dot"));
        if (plural.isEmpty()) causes.add(StatusCause.required("spec.names.plural"));
        else if (!plural.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            causes.add(StatusCause.invalid("spec.names.plural", plural, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
        }
        if (kind.isEmpty()) causes.add(StatusCause.required("spec.names.kind"));
        String name = KubeObject.name(crd);
        if (!plural.isEmpty() && !group.isEmpty() && name != null && !name.equals(plural + "." + group)) {
            causes.add(StatusCause.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }
        String scope = spec.path("scope").asString("");
        if (scope.isEmpty()) causes.add(StatusCause.required("spec.scope"));
        else if (!Set.of("Namespaced", "Cluster").contains(scope)) {
            causes.add(StatusCause.notSupported("spec.scope", scope, List.of("Cluster", "Namespaced")));
        }
        JsonNode versions = spec.path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            causes.add(StatusCause.invalid("spec.versions", "[]", "must have exactly one version marked as storage version"));
        } else {
            int storage = 0;
            for (int i = 0; i < versions.size(); i++) {
                JsonNode v = versions.get(i);
                if (v.path("name").asString("").isEmpty()) causes.add(StatusCause.required("spec.versions[" + i + "].name"));
                if (v.path("storage").asBoolean(false)) storage++;
                if (v.path("schema").path("openAPIV3Schema").isMissingNode()) {
                    causes.add(StatusCause.required("spec.versions[" + i + "].schema.openAPIV3Schema"));
                }
            }
            if (storage != 1) {
                causes.add(StatusCause.invalid("spec.versions", storage, "must have exactly one version marked as storage version"));
            }
        }
        if (old != null) {
            if (!old.path("spec").path("group").equals(spec.path("group"))) {
                causes.add(StatusCause.invalid("spec.group", group, "field is immutable"));
            }
            if (!old.path("spec").path("scope").equals(spec.path("scope"))) {
                causes.add(StatusCause.invalid("spec.scope", scope, "field is immutable"));
            }
        }
        return causes;
    }
}
