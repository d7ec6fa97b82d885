package io.kube4j.gateway.crd;

import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reading a CustomResourceDefinition: the resource types it serves. Pure functions. */
public final class CustomResourceDefinitions {

    private CustomResourceDefinitions() {}

    /** One type per served version of the definition, with the subresources that version enables. */
    public static List<ResourceType> servedTypes(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asString("");
        String kind = names.path("kind").asString("");
        String plural = names.path("plural").asString("");
        if (group.isEmpty() || kind.isEmpty() || plural.isEmpty()) return List.of();
        String singular = names.path("singular").asString(kind.toLowerCase());
        boolean namespaced = !"Cluster".equals(spec.path("scope").asString("Namespaced"));
        List<String> shortNames = strings(names.path("shortNames"));
        List<String> categories = strings(names.path("categories"));
        List<ResourceType> types = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (!version.path("served").asBoolean(true)) continue;
            Set<String> subresources = new HashSet<>();
            version.path("subresources").properties().forEach(e -> subresources.add(e.getKey()));
            types.add(new ResourceType(group, version.path("name").asString(), kind, plural, singular, namespaced,
                    shortNames, categories, subresources));
        }
        return types;
    }

    /** The definition's schema for one version, or null. */
    public static JsonNode schema(JsonNode crd, String version) {
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asString("").equals(version)) {
                JsonNode schema = v.path("schema").path("openAPIV3Schema");
                return schema.isMissingNode() ? null : schema;
            }
        }
        return null;
    }

    /** The definition's additionalPrinterColumns for one version (possibly empty). */
    public static List<ObjectNode> printerColumns(JsonNode crd, String version) {
        List<ObjectNode> columns = new ArrayList<>();
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asString("").equals(version)) {
                for (JsonNode c : v.path("additionalPrinterColumns")) {
                    if (c instanceof ObjectNode o) columns.add(o);
                }
            }
        }
        return columns;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : array) values.add(v.asString());
        return values;
    }
}
