package io.kube4j.gateway.openapi;

import io.kube4j.machinery.errors.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * {@code /openapi/v3} (the index), {@code /openapi/v3/{api/v1 | apis/{group}/{version}}} and
 * {@code /openapi/v2}. Documents are served as JSON only: a client that accepts nothing but
 * protobuf gets 406 and falls back (kubectl reads v3 as JSON).
 */
@RestController
public class OpenApiController {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String V3_PREFIX = "/openapi/v3/";

    private final OpenApiService service;

    public OpenApiController(OpenApiService service) {
        this.service = service;
    }

    @GetMapping({"/openapi/v3", "/openapi/v3/"})
    public ResponseEntity<byte[]> v3Index(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return serve(service.v3Index(), accept, false);
    }

    @GetMapping("/openapi/v3/**")
    public ResponseEntity<byte[]> v3Document(HttpServletRequest request,
                                             @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String path = uri.substring(V3_PREFIX.length());
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String hash = request.getParameter("hash");
        String documentPath = path;
        return service.v3Document(path)
                .map(doc -> hash != null && !hash.equals(doc.hash())
                        // An outdated link (the content changed since the client read the index):
                        // send it to the current one rather than cache new content under an old hash.
                        ? ResponseEntity.status(301)
                                .location(java.net.URI.create(V3_PREFIX + documentPath + "?hash=" + doc.hash()))
                                .cacheControl(CacheControl.noCache())
                                .<byte[]>build()
                        : serve(doc, accept, hash != null))
                .orElseGet(() -> status(new ApiException(404, "NotFound",
                        "the server could not find the requested resource", null, null, null, List.of())));
    }

    @GetMapping("/openapi/v2")
    public ResponseEntity<byte[]> v2(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        return serve(service.v2Document(), accept, false);
    }

    private static ResponseEntity<byte[]> serve(OpenApiService.Document document, String accept, boolean immutable) {
        if (!acceptsJson(accept)) {
            return status(new ApiException(406, "NotAcceptable",
                    "only the following media types are accepted: application/json", null, null, null, List.of()));
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .eTag("\"" + document.hash() + "\"")
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (immutable) {
            ok.cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(365)).cachePublic().immutable());
        } else {
            ok.cacheControl(CacheControl.noCache());
        }
        return ok.body(document.json());
    }

    /** Whether any media range of an Accept header admits JSON (protobuf ranges are not parsed strictly). */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (type.equals("*/*") || type.equals("application/*") || type.equals("application/json")) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<byte[]> status(ApiException e) {
        return ResponseEntity.status(e.code()).contentType(MediaType.APPLICATION_JSON)
                .body(MAPPER.writeValueAsBytes(e.toStatus()));
    }
}
