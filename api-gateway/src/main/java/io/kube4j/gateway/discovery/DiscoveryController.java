package io.kube4j.gateway.discovery;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Discovery: the documents clients read to learn which groups, versions and resources are
 * served. Everything is computed from the registry's current content (cached per snapshot), so
 * custom resources appear as soon as they are registered.
 *
 * <p>{@code /api} and {@code /apis} answer in the aggregated form ({@code apidiscovery.k8s.io/v2})
 * when the client's Accept header asks for it first, as kubectl does, and in the legacy form
 * otherwise.
 */
@RestController
public class DiscoveryController {

    /** The media type of aggregated discovery, and the Content-Type of such answers. */
    public static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final ResourceRegistry registry;
    private final SnapshotCache<List<ResourceType>, DiscoveryDocuments> documents = new SnapshotCache<>();

    public DiscoveryController(ResourceRegistry registry) {
        this.registry = registry;
    }

    private DiscoveryDocuments documents() {
        List<ResourceType> types = new java.util.ArrayList<>(registry.all());
        // Served by their own handler from the metrics store, never stored: not in the registry.
        types.addAll(io.kube4j.machinery.registry.BuiltInTypes.METRICS);
        types.add(io.kube4j.machinery.registry.BuiltInTypes.COMPONENT_STATUS);
        return documents.get(types, () -> new DiscoveryDocuments(types));
    }

    @GetMapping("/api")
    public ResponseEntity<byte[]> api(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                      HttpServletRequest request) {
        if (wantsAggregated(accept)) {
            return aggregated(documents().aggregated(true));
        }
        return json(documents().apiVersions(request.getServerName() + ":" + request.getServerPort()));
    }

    @GetMapping("/apis")
    public ResponseEntity<byte[]> apis(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        if (wantsAggregated(accept)) {
            return aggregated(documents().aggregated(false));
        }
        return json(documents().groupList());
    }

    @GetMapping("/api/v1")
    public ResponseEntity<byte[]> coreResources() {
        return orNotFound(documents().resourceList("", "v1"));
    }

    @GetMapping("/apis/{group}")
    public ResponseEntity<byte[]> group(@PathVariable String group) {
        return orNotFound(documents().group(group));
    }

    @GetMapping("/apis/{group}/{version}")
    public ResponseEntity<byte[]> groupResources(@PathVariable String group, @PathVariable String version) {
        return orNotFound(documents().resourceList(group, version));
    }

    /**
     * Whether an Accept header prefers aggregated discovery: the first media range that this
     * server can answer decides. Parameters are compared as kube-apiserver does ({@code g},
     * {@code v}, {@code as}); q-values are not weighed, clients list their preference in order.
     */
    static boolean wantsAggregated(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        for (MediaType type : parse(accept)) {
            Map<String, String> params = type.getParameters();
            boolean json = type.getType().equals("application") && type.getSubtype().equals("json");
            if (json && "apidiscovery.k8s.io".equals(params.get("g")) && "v2".equals(params.get("v"))
                    && "APIGroupDiscoveryList".equals(params.get("as"))) {
                return true;
            }
            if (json && !params.containsKey("g") || type.isWildcardType()
                    || type.getType().equals("application") && type.isWildcardSubtype()) {
                return false;
            }
        }
        return false;
    }

    /** The media ranges of an Accept header in order; a range that does not parse is left out. */
    private static List<MediaType> parse(String accept) {
        List<MediaType> types = new java.util.ArrayList<>();
        for (String range : accept.split(",")) {
            try {
                types.add(MediaType.parseMediaType(range.trim()));
            } catch (RuntimeException malformed) {
                // e.g. a protobuf range with characters Spring's parser refuses: not one we serve anyway
            }
        }
        return types;
    }

    private static ResponseEntity<byte[]> orNotFound(Optional<? extends JsonNode> document) {
        return document.map(DiscoveryController::json).orElseGet(DiscoveryController::notFound);
    }

    static ResponseEntity<byte[]> json(JsonNode document) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(MAPPER.writeValueAsBytes(document));
    }

    private static ResponseEntity<byte[]> aggregated(JsonNode document) {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_TYPE, AGGREGATED_V2)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT)
                .body(MAPPER.writeValueAsBytes(document));
    }

    /** The 404 kube-apiserver gives for a path it does not serve. */
    static ResponseEntity<byte[]> notFound() {
        ApiException e = new ApiException(404, "NotFound", "the server could not find the requested resource",
                null, null, null, List.of());
        return ResponseEntity.status(404).contentType(MediaType.APPLICATION_JSON)
                .body(MAPPER.writeValueAsBytes(e.toStatus()));
    }
}
