package io.kube4j.gateway.http;

import io.kube4j.gateway.conversion.VersionConversions;
import io.kube4j.gateway.storage.DeleteOptions;
import io.kube4j.gateway.storage.DeleteResult;
import io.kube4j.gateway.storage.ListOptions;
import io.kube4j.gateway.storage.ListPage;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.patch.ManagedFields;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;



/**
 * Every resource request: {@code /api/v1/...} and {@code /apis/{group}/{version}/...}. It parses
 * what the path addresses, decodes the body, and hands the verb to {@link ResourceStorage},
 * {@link WatchStreamer} or a subresource; then renders the result as JSON, YAML or a Table.
 */
@RestController
public class ResourceController {

    private static final Logger log = LoggerFactory.getLogger(ResourceController.class);

    /** kube-apiserver's limit on request bodies. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private final ResourceRegistry registry;
    private final ResourceStorage storage;
    private final WatchStreamer watches;
    private final BodyDecoder decoder;
    private final ObjectPatcher patcher;
    private final TablePrinter tables;
    private final Subresources subresources;
    private final FieldValidation fieldValidation;
    private final io.kube4j.gateway.security.Reviews reviews;
    private final io.kube4j.gateway.kubelet.PodStreams podStreams;

    public ResourceController(ResourceRegistry registry, ResourceStorage storage, WatchStreamer watches,
                              BodyDecoder decoder, ObjectPatcher patcher, TablePrinter tables,
                              Subresources subresources, FieldValidation fieldValidation,
                              io.kube4j.gateway.security.Reviews reviews,
                              io.kube4j.gateway.kubelet.PodStreams podStreams) {
        this.registry = registry;
        this.storage = storage;
        this.watches = watches;
        this.decoder = decoder;
        this.patcher = patcher;
        this.tables = tables;
        this.subresources = subresources;
        this.fieldValidation = fieldValidation;
        this.reviews = reviews;
        this.podStreams = podStreams;
    }

    @RequestMapping(path = {"/api/v1/**", "/apis/{group}/{version}/**"})
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            serve(request, response);
        } catch (ApiException e) {
            ApiResponses.writeStatus(response, e);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            ApiResponses.writeStatus(response, ApiException.internal(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = UriUtils.decode(request.getRequestURI(), StandardCharsets.UTF_8);
        RequestInfo info = RequestInfo.parse(path);
        ResourceType served = registry.byResource(info.group(), info.version(), info.resource())
                .orElseThrow(() -> new ApiException(404, "NotFound", "the server could not find the requested resource",
                        info.group(), info.resource(), info.name(), List.of()));
        // Objects are stored in one version; a kind served in another is converted on the way in and out.
        ResourceType type = VersionConversions.storageType(served);
        if (info.namespace() != null && !type.namespaced()) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                    info.group(), info.resource(), info.name(), List.of());
        }
        if (info.subresource() != null && !type.hasSubresource(info.subresource())) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                    info.group(), info.resource() + "/" + info.subresource(), info.name(), List.of());
        }
        String namespace = type.namespaced() ? info.namespace() : null;
        if (type.namespaced() && namespace == null && info.name() != null) {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource",
                    info.group(), info.resource(), info.name(), List.of());
        }
        MediaTypes.Rendering rendering = MediaTypes.rendering(request.getHeader("Accept"));
        String method = request.getMethod();
        boolean dryRun = dryRun(request);
        String validation = request.getParameter("fieldValidation");
        if (io.kube4j.gateway.kubelet.PodStreams.serves(type, info.subresource()) && info.name() != null) {
            podStreams.serve(info.subresource(), namespace, info.name(), request, response);
            return;
        }
        if (reviews.handles(type)) {
            if (!method.equals("POST") || info.name() != null) {
                throw ApiException.methodNotSupported(type.group(), type.plural(), method.toLowerCase());
            }
            ObjectNode review = decoder.decode(readBody(request), request.getContentType());
            ApiResponses.write(response, 201, reviews.answer(type, review, request), rendering == MediaTypes.Rendering.YAML
                    ? rendering : MediaTypes.Rendering.JSON);
            return;
        }
        switch (method) {
            case "GET" -> {
                if (info.name() == null || info.watchPath()) {
                    if (info.watchPath() || isTrue(request.getParameter("watch"))) {
                        watches.stream(served, namespace, info.name(), request, response, rendering);
                    } else {
                        list(served, namespace, request, response, rendering);
                    }
                } else if (wholeObjectPart(info.subresource()) != null) {
                    ObjectNode object = storage.get(type, namespace, info.name());
                    respond(response, 200, served, object, request, rendering);
                } else {
                    subresources.get(type, namespace, info.name(), info.subresource(), request, response);
                }
            }
            case "POST" -> {
                if (info.name() == null) {
                    if (namespace == null && type.namespaced()) {
                        throw ApiException.methodNotSupported(type.group(), type.plural(), "create");
                    }
                    ManagedFields.Manager manager = writer(request, served, null, "CreateOptions");
                    ObjectNode body = decoder.decode(readBody(request), request.getContentType());
                    FieldValidation.addWarnings(response, fieldValidation.apply(served, body, validation));
                    ResourceStorage.Written created = storage.createWritten(type, namespace,
                            VersionConversions.toStorage(served, body), dryRun, manager);
                    respond(response, 201, served, created, request, rendering);
                } else if (info.subresource() != null) {
                    ObjectNode body = decoder.decode(readBody(request), request.getContentType());
                    subresources.post(type, namespace, info.name(), info.subresource(), body, dryRun, response);
                } else {
                    throw ApiException.methodNotSupported(type.group(), type.plural(), "create");
                }
            }
            case "PUT" -> {
                requireName(type, info);
                ManagedFields.Manager manager = writer(request, served, info.subresource(), "UpdateOptions");
                ObjectNode body = decoder.decode(readBody(request), request.getContentType());
                ResourceStorage.Part part = wholeObjectPart(info.subresource());
                if (part != null) {
                    FieldValidation.addWarnings(response, fieldValidation.apply(served, body, validation));
                    // Only kinds a PUT may create need to know whether the object was there.
                    boolean existed = !ResourceStorage.createsOnUpdate(type) || part != ResourceStorage.Part.MAIN
                            || storage.find(type, namespace, info.name()).isPresent();
                    ResourceStorage.Written updated = storage.updateWritten(type, namespace, info.name(),
                            VersionConversions.toStorage(served, body), part, dryRun, manager);
                    respond(response, existed ? 200 : 201, served, updated, request, rendering);
                } else {
                    subresources.put(type, namespace, info.name(), info.subresource(), body, dryRun, manager, response);
                }
            }
            case "PATCH" -> {
                requireName(type, info);
                byte[] patch = readBody(request);
                String contentType = MediaTypes.base(request.getContentType());
                String manager = request.getParameter("fieldManager");
                boolean force = isTrue(request.getParameter("force"));
                boolean apply = contentType.equals(MediaTypes.APPLY_PATCH_YAML);
                if (!apply && request.getParameter("force") != null) {
                    throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", List.of(
                            StatusCause.forbidden("force", "may not be specified for non-apply patch")));
                }
                // Apply records its own entry; every other patch is its manager's Update.
                ManagedFields.Manager writer = apply ? null : writer(request, served, info.subresource(), "PatchOptions");
                if (apply) validateFieldManager(manager, "PatchOptions");
                ResourceStorage.Part part = wholeObjectPart(info.subresource());
                if (part != null) {
                    if (apply && storage.find(type, namespace, info.name()).isEmpty() && part == ResourceStorage.Part.MAIN) {
                        ObjectNode applied = patcher.patch(served, null, patch, contentType, manager, force);
                        KubeObject.metadata(applied).put("name", info.name());
                        FieldValidation.addWarnings(response, fieldValidation.apply(served, applied, validation));
                        respond(response, 201, served, storage.create(type, namespace,
                                VersionConversions.toStorage(served, applied), dryRun), request, rendering);
                        return;
                    }
                    java.util.List<String> warnings = new java.util.ArrayList<>();
                    ResourceStorage.Written patched = storage.mutateWritten(type, namespace, info.name(), current -> {
                        ObjectNode next = patcher.patch(served, VersionConversions.fromStorage(served, current), patch,
                                contentType, manager, force);
                        warnings.clear();
                        warnings.addAll(fieldValidation.applyToPatched(served, next, validation, patch, contentType));
                        return VersionConversions.toStorage(served, next);
                    }, part, dryRun, writer);
                    FieldValidation.addWarnings(response, warnings);
                    respond(response, 200, served, patched, request, rendering);
                } else {
                    subresources.patch(type, namespace, info.name(), info.subresource(), patch, contentType, dryRun,
                            writer, response);
                }
            }
            case "DELETE" -> {
                DeleteOptions options = deleteOptions(request, dryRun);
                if (info.name() == null) {
                    deleteCollection(type, namespace, request, options, response);
                    return;
                }
                if (info.subresource() != null) throw ApiException.methodNotSupported(type.group(), type.plural(), "delete");
                DeleteResult result = storage.delete(type, namespace, info.name(), options);
                if (!result.deleted() || returnsDeletedObject(type)) {
                    respond(response, 200, served, result.object(), request, rendering);
                } else {
                    ApiResponses.write(response, 200, successStatus(type, result.object()), rendering == MediaTypes.Rendering.YAML
                            ? rendering : MediaTypes.Rendering.JSON);
                }
            }
            default -> throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                    type.group(), type.plural(), info.name(), List.of());
        }
    }

    /**
     * Who makes a non-apply write, for managedFields: the {@code fieldManager} parameter, else the User-Agent's
     * product name; the entry carries the API version the client used. A malformed fieldManager is a 422 against
     * the request's options kind, as kube-apiserver answers.
     */
    static ManagedFields.Manager writer(HttpServletRequest request, ResourceType served, String subresource,
                                        String optionsKind) {
        String fieldManager = request.getParameter("fieldManager");
        validateFieldManager(fieldManager, optionsKind);
        return new ManagedFields.Manager(ManagedFields.managerName(fieldManager, request.getHeader("User-Agent")),
                served.apiVersion(), subresource == null ? "" : subresource);
    }

    private static void validateFieldManager(String fieldManager, String optionsKind) {
        List<StatusCause> causes = ManagedFields.validateName(fieldManager);
        if (!causes.isEmpty()) throw ApiException.invalid("meta.k8s.io", optionsKind, "", causes);
    }

    private static void requireName(ResourceType type, RequestInfo info) {
        if (info.name() == null) throw ApiException.methodNotSupported(type.group(), type.plural(), "update");
    }

    private static boolean returnsDeletedObject(ResourceType type) {
        return type.equals(BuiltInTypes.POD) || type.equals(BuiltInTypes.NAMESPACE);
    }

    static ObjectNode successStatus(ResourceType type, ObjectNode deleted) {
        ObjectNode status = Json.object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details");
        details.put("name", KubeObject.name(deleted));
        if (!type.group().isEmpty()) details.put("group", type.group());
        details.put("kind", type.plural());
        details.put("uid", KubeObject.uid(deleted));
        return status;
    }

    private void list(ResourceType served, String namespace, HttpServletRequest request, HttpServletResponse response,
                      MediaTypes.Rendering rendering) throws IOException {
        ResourceType type = VersionConversions.storageType(served);
        ListOptions options = listOptions(type, request);
        ListPage page = storage.list(type, namespace, options);
        ObjectNode listMeta = Json.object();
        listMeta.put("resourceVersion", Long.toString(page.resourceVersion()));
        if (page.continueToken() != null) listMeta.put("continue", page.continueToken());
        if (page.remaining() != null) listMeta.put("remainingItemCount", page.remaining());
        if (rendering == MediaTypes.Rendering.TABLE) {
            ObjectNode table = tables.table(type, page.items(), listMeta, includeObject(request), true);
            ApiResponses.write(response, 200, table, MediaTypes.Rendering.JSON);
            return;
        }
        ObjectNode list = Json.object();
        list.put("kind", served.listKind());
        list.put("apiVersion", served.apiVersion());
        list.set("metadata", listMeta);
        ArrayNode items = list.putArray("items");
        page.items().forEach(item -> items.add(VersionConversions.fromStorage(served, item)));
        ApiResponses.write(response, 200, list, rendering);
    }

    ListOptions listOptions(ResourceType type, HttpServletRequest request) {
        var filter = Selectors.filter(type, request.getParameter("labelSelector"), request.getParameter("fieldSelector"));
        long limit = 0;
        String limitParam = request.getParameter("limit");
        if (limitParam != null && !limitParam.isEmpty()) {
            try {
                limit = Math.max(0, Long.parseLong(limitParam));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit: Invalid value: \"" + limitParam + "\": must be an integer");
            }
        }
        String continueToken = request.getParameter("continue");
        String resourceVersion = request.getParameter("resourceVersion");
        if (continueToken != null && !continueToken.isEmpty() && resourceVersion != null && !resourceVersion.isEmpty()
                && !resourceVersion.equals("0")) {
            throw ApiException.badRequest("specifying resource version is not allowed when using continue");
        }
        return new ListOptions(filter.predicate(), filter.selective(), limit, continueToken,
                listRevision(request.getParameter("resourceVersion"), request.getParameter("resourceVersionMatch")));
    }

    /**
     * The revision a list reads at, from resourceVersion and resourceVersionMatch as kube-apiserver
     * reads them: {@code Exact} reads at that revision; unset or {@code NotOlderThan} reads the
     * latest state, which is never older than a revision the store has reached (a revision it has
     * not reached is a 504 Timeout, as kube-apiserver answers after waiting for it).
     */
    private String listRevision(String resourceVersion, String match) {
        boolean given = resourceVersion != null && !resourceVersion.isEmpty();
        if (match != null && !match.isEmpty()) {
            if (!given) {
                throw ApiException.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
            }
            if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
                throw ApiException.badRequest("resourceVersionMatch: Unsupported value: \"" + match
                        + "\": supported values: \"Exact\", \"NotOlderThan\"");
            }
            if (match.equals("Exact")) {
                if (resourceVersion.equals("0")) {
                    throw ApiException.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
                }
                return resourceVersion;
            }
        }
        if (!given || resourceVersion.equals("0")) return null;
        long wanted = ResourceStorage.parseResourceVersion(resourceVersion);
        long current = storage.store().currentRevision();
        if (wanted > current) {
            throw ApiException.timeout("Too large resource version: " + wanted + ", current: " + current);
        }
        return null;
    }

    private void deleteCollection(ResourceType type, String namespace, HttpServletRequest request,
                                  DeleteOptions options, HttpServletResponse response) throws IOException {
        ListOptions listOptions = listOptions(type, request);
        ListPage page = storage.list(type, namespace, new ListOptions(listOptions.filter(), listOptions.filtered(), 0, null, null));
        ObjectNode list = Json.object();
        list.put("kind", type.listKind());
        list.put("apiVersion", type.apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(page.resourceVersion()));
        ArrayNode items = list.putArray("items");
        for (ObjectNode object : page.items()) {
            try {
                items.add(storage.delete(type, KubeObject.namespace(object), KubeObject.name(object), options).object());
            } catch (ApiException e) {
                if (e.code() != 404) throw e;
            }
        }
        ApiResponses.write(response, 200, list, MediaTypes.Rendering.JSON);
    }

    /** {@link #respond}, with the JSON the write already produced when the client wants exactly that. */
    private void respond(HttpServletResponse response, int status, ResourceType served, ResourceStorage.Written written,
                         HttpServletRequest request, MediaTypes.Rendering rendering) throws IOException {
        byte[] json = rendering == MediaTypes.Rendering.JSON && !VersionConversions.converts(served) ? written.json() : null;
        if (json != null) {
            ApiResponses.writeJson(response, status, json);
        } else {
            respond(response, status, served, written.object(), request, rendering);
        }
    }

    /** Writes a stored object as a client of {@code served} asked for it: converted, or as a Table row. */
    private void respond(HttpServletResponse response, int status, ResourceType served, ObjectNode object,
                         HttpServletRequest request, MediaTypes.Rendering rendering) throws IOException {
        ResourceType type = VersionConversions.storageType(served);
        if (rendering == MediaTypes.Rendering.TABLE) {
            ObjectNode listMeta = Json.object();
            String rv = KubeObject.resourceVersion(object);
            if (rv != null) listMeta.put("resourceVersion", rv);
            ApiResponses.write(response, status, tables.table(type, List.of(object), listMeta, includeObject(request), true),
                    MediaTypes.Rendering.JSON);
            return;
        }
        ApiResponses.write(response, status, VersionConversions.fromStorage(served, object), rendering);
    }

    /** The {@code includeObject} a Table request asks for: {@code Metadata} unless it says otherwise. */
    public static String includeObject(HttpServletRequest request) {
        String include = request.getParameter("includeObject");
        return include == null || include.isEmpty() ? "Metadata" : include;
    }

    static byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) throw tooLarge();
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) throw tooLarge();
            return body;
        }
    }

    private static ApiException tooLarge() {
        return ApiException.tooLarge("Request entity too large: limit is " + MAX_BODY_BYTES);
    }

    /**
     * The part of the object a request on {@code subresource} reads and writes when the subresource is the
     * whole object ({@code status}, a pod's {@code ephemeralcontainers}); null for the subresources that are
     * views of their own ({@code scale}, {@code binding}, …).
     */
    static ResourceStorage.Part wholeObjectPart(String subresource) {
        if (subresource == null) return ResourceStorage.Part.MAIN;
        return switch (subresource) {
            case "status" -> ResourceStorage.Part.STATUS;
            case "ephemeralcontainers" -> ResourceStorage.Part.EPHEMERAL_CONTAINERS;
            default -> null;
        };
    }

    private static boolean dryRun(HttpServletRequest request) {
        String[] values = request.getParameterValues("dryRun");
        if (values == null) return false;
        for (String v : values) {
            if (v.equals("All")) return true;
            if (!v.isEmpty()) throw ApiException.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
        }
        return false;
    }

    /** A boolean query parameter as kube-apiserver reads it (Go's ParseBool: 1, t, T, TRUE, true, True). */
    public static boolean isTrue(String value) {
        return value != null && java.util.Set.of("1", "t", "T", "TRUE", "true", "True").contains(value);
    }

    private DeleteOptions deleteOptions(HttpServletRequest request, boolean dryRun) throws IOException {
        Long grace = null;
        String propagation = request.getParameter("propagationPolicy");
        String uid = null;
        String rv = null;
        String graceParam = request.getParameter("gracePeriodSeconds");
        if (graceParam != null && !graceParam.isEmpty()) grace = parseLong("gracePeriodSeconds", graceParam);
        String orphan = request.getParameter("orphanDependents");
        if (propagation == null && orphan != null) propagation = isTrue(orphan) ? "Orphan" : "Background";
        byte[] body = readBody(request);
        if (body.length > 0) {
            ObjectNode options = decoder.decode(body, request.getContentType());
            JsonNode g = options.get("gracePeriodSeconds");
            if (g != null && !g.isNull()) grace = g.asLong();
            JsonNode p = options.get("propagationPolicy");
            if (p != null && !p.isNull()) propagation = p.asString();
            JsonNode o = options.get("orphanDependents");
            if (propagation == null && o != null && !o.isNull()) propagation = o.asBoolean() ? "Orphan" : "Background";
            JsonNode pre = options.path("preconditions");
            if (pre.hasNonNull("uid")) uid = pre.get("uid").asString();
            if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asString();
            JsonNode d = options.get("dryRun");
            if (d instanceof ArrayNode a && a.valueStream().anyMatch(v -> v.asString().equals("All"))) dryRun = true;
        }
        return new DeleteOptions(grace, propagation, uid, rv, dryRun);
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
        }
    }

}
