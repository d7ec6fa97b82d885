package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists every object of a type through the gateway, page by page, at one resourceVersion (the
 * continue token pins the first page's revision), as an informer's initial list does.
 */
public interface ObjectLister<T extends HasMetadata> {

    /** A complete list and the revision it is consistent at. */
    record Snapshot<T>(List<T> items, long revision) {
    }

    Snapshot<T> list();

    /** The lister over the gateway's REST API with fabric8's HTTP client (its authentication and TLS). */
    static <T extends HasMetadata> ObjectLister<T> gateway(KubernetesClient client, ResourceType resource, Class<T> type, int pageSize) {
        String base = GatewayClients.url(client, resource.apiPath() + "/" + resource.plural());
        return () -> {
            List<T> items = new ArrayList<>();
            String cont = null;
            long revision = 0;
            do {
                String url = base + "?limit=" + pageSize + (cont == null ? "" : "&continue=" + URLEncoder.encode(cont, StandardCharsets.UTF_8));
                String body = client.raw(url);
                if (body == null) throw new IllegalStateException("the gateway does not serve " + base);
                JsonNode page = Json.MAPPER.readTree(body);
                JsonNode metadata = page.path("metadata");
                if (revision == 0) revision = Long.parseLong(metadata.path("resourceVersion").asString("0"));
                for (JsonNode item : page.path("items")) {
                    if (item instanceof ObjectNode object) {
                        object.put("apiVersion", resource.apiVersion());
                        object.put("kind", resource.kind());
                        items.add(Json.MAPPER.treeToValue(object, type));
                    }
                }
                cont = metadata.path("continue").asString("");
                if (cont.isEmpty()) cont = null;
            } while (cont != null);
            return new Snapshot<>(items, revision);
        };
    }
}
