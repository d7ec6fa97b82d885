package io.kube4j.gateway.openapi;

import io.kube4j.gateway.discovery.Subresource;
import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The OpenAPI v3 paths of one resource, with the operations, operation ids, query parameters and
 * extensions ({@code x-kubernetes-action}, {@code x-kubernetes-group-version-kind}) that
 * kube-apiserver documents. Clients read these: kubectl looks for the {@code fieldValidation}
 * parameter of a kind's PATCH operation to decide whether the server validates fields itself.
 * Pure functions.
 */
final class ResourcePaths {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String META = KubernetesModelIndex.META;
    private static final List<String> OBJECT_TYPES =
            List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
    private static final List<String> LIST_TYPES = List.of("application/json", "application/yaml",
            "application/vnd.kubernetes.protobuf", "application/json;stream=watch",
            "application/vnd.kubernetes.protobuf;stream=watch");
    private static final List<String> BODY_TYPES = List.of("*/*");
    private static final List<String> PATCH_TYPES = List.of("application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");

    private ResourcePaths() {}

    /**
     * Adds the paths of {@code type} to {@code paths}.
     *
     * @param definitionOf the definition name of a kind (the resource's kind, its list, the kinds its
     *                     subresources carry), or null when there is none
     */
    static void add(ObjectNode paths, ResourceType type, Function<GroupVersionKind, String> definitionOf) {
        String root = type.apiPath();
        String prefix = operationPrefix(type.group(), type.version());
        String tag = tag(type.group(), type.version());
        GroupVersionKind gvk = new GroupVersionKind(type.group(), type.version(), type.kind());
        String kindRef = refOrObject(definitionOf.apply(gvk));
        String listRef = refOrObject(definitionOf.apply(new GroupVersionKind(type.group(), type.version(), type.listKind())));
        String scoped = type.namespaced() ? "Namespaced" + type.kind() : type.kind();
        String collection = type.namespaced() ? root + "/namespaces/{namespace}/" + type.plural() : root + "/" + type.plural();
        String item = collection + "/{name}";
        Operations ops = new Operations(tag, gvk);

        ObjectNode collectionPath = paths.putObject(collection);
        collectionPath.set("get", ops.op("list", "list or watch objects of kind " + type.kind(),
                "list" + prefix + scoped, listParameters(), null, List.of(), response("200", listRef, LIST_TYPES)));
        collectionPath.set("post", ops.op("post", "create " + article(type.kind()),
                "create" + prefix + scoped, writeParameters(false), kindRef, BODY_TYPES,
                response("200", kindRef, OBJECT_TYPES), response("201", kindRef, OBJECT_TYPES),
                response("202", kindRef, OBJECT_TYPES)));
        collectionPath.set("delete", ops.op("deletecollection", "delete collection of " + type.kind(),
                "delete" + prefix + "Collection" + scoped, concat(listParameters(), deleteParameters()),
                META + "DeleteOptions", BODY_TYPES, response("200", META + "Status", OBJECT_TYPES)));
        collectionPath.set("parameters", pathParameters(type, false));

        ObjectNode itemPath = paths.putObject(item);
        itemPath.set("get", ops.op("get", "read the specified " + type.kind(), "read" + prefix + scoped,
                List.of(), null, List.of(), response("200", kindRef, OBJECT_TYPES)));
        itemPath.set("put", ops.op("put", "replace the specified " + type.kind(), "replace" + prefix + scoped,
                writeParameters(false), kindRef, BODY_TYPES,
                response("200", kindRef, OBJECT_TYPES), response("201", kindRef, OBJECT_TYPES)));
        itemPath.set("delete", ops.op("delete", "delete " + article(type.kind()), "delete" + prefix + scoped,
                deleteParameters(), META + "DeleteOptions", BODY_TYPES,
                response("200", META + "Status", OBJECT_TYPES), response("202", META + "Status", OBJECT_TYPES)));
        itemPath.set("patch", ops.op("patch", "partially update the specified " + type.kind(), "patch" + prefix + scoped,
                writeParameters(true), META + "Patch", PATCH_TYPES,
                response("200", kindRef, OBJECT_TYPES), response("201", kindRef, OBJECT_TYPES)));
        itemPath.set("parameters", pathParameters(type, true));

        if (type.namespaced()) {
            ObjectNode all = paths.putObject(root + "/" + type.plural());
            all.set("get", ops.op("list", "list or watch objects of kind " + type.kind(),
                    "list" + prefix + type.kind() + "ForAllNamespaces", listParameters(), null, List.of(),
                    response("200", listRef, LIST_TYPES)));
            all.putArray("parameters").add(pretty());
        }

        for (Subresource sub : Subresource.of(type)) {
            addSubresource(paths, type, sub, item, prefix, scoped, tag, definitionOf);
        }
    }

    private static void addSubresource(ObjectNode paths, ResourceType type, Subresource sub, String item,
                                       String prefix, String scoped, String tag,
                                       Function<GroupVersionKind, String> definitionOf) {
        GroupVersionKind gvk = new GroupVersionKind(sub.group(), sub.version(), sub.kind());
        Operations ops = new Operations(tag, gvk);
        String suffix = Character.toUpperCase(sub.name().charAt(0)) + sub.name().substring(1);
        String ref = refOrObject(definitionOf.apply(gvk));
        ObjectNode path = paths.putObject(item + "/" + sub.name());
        String kind = type.kind();
        if (sub.streaming()) {
            if (sub.name().equals("log")) {
                ObjectNode get = ops.op("get", "read log of the specified " + kind, "read" + prefix + scoped + "Log",
                        logParameters(), null, List.of(), textResponse());
                path.set("get", get);
            } else {
                for (String method : List.of("get", "post")) {
                    String verb = method.equals("get") ? "Get" : "Post";
                    path.set(method, ops.op("connect", "connect " + method.toUpperCase() + " requests to "
                                    + sub.name() + " of " + kind,
                            "connect" + prefix + verb + scoped + suffix, connectParameters(sub.name()), null,
                            List.of(), textResponse()));
                }
            }
        } else if (sub.verbs().equals(List.of("create"))) {
            path.set("post", ops.op("post", "create " + sub.name() + " of " + article(kind),
                    "create" + prefix + scoped + suffix, writeParameters(false), ref, BODY_TYPES,
                    response("200", ref, OBJECT_TYPES), response("201", ref, OBJECT_TYPES),
                    response("202", ref, OBJECT_TYPES)));
        } else if (sub.verbs().equals(List.of("update"))) {
            path.set("put", ops.op("put", "replace " + sub.name() + " of the specified " + kind,
                    "replace" + prefix + scoped + suffix, writeParameters(false), ref, BODY_TYPES,
                    response("200", ref, OBJECT_TYPES), response("201", ref, OBJECT_TYPES)));
        } else {
            path.set("get", ops.op("get", "read " + sub.name() + " of the specified " + kind,
                    "read" + prefix + scoped + suffix, List.of(), null, List.of(), response("200", ref, OBJECT_TYPES)));
            path.set("put", ops.op("put", "replace " + sub.name() + " of the specified " + kind,
                    "replace" + prefix + scoped + suffix, writeParameters(false), ref, BODY_TYPES,
                    response("200", ref, OBJECT_TYPES), response("201", ref, OBJECT_TYPES)));
            path.set("patch", ops.op("patch", "partially update " + sub.name() + " of the specified " + kind,
                    "patch" + prefix + scoped + suffix, writeParameters(true), META + "Patch", PATCH_TYPES,
                    response("200", ref, OBJECT_TYPES), response("201", ref, OBJECT_TYPES)));
        }
        path.set("parameters", pathParameters(type, true));
    }

    /** {@code CoreV1}, {@code AppsV1}, {@code RbacAuthorizationV1}, {@code StableExampleComV1}. */
    static String operationPrefix(String group, String version) {
        return capitalize(groupWord(group)) + capitalize(version);
    }

    /** {@code core_v1}, {@code apps_v1}, {@code rbacAuthorization_v1}. */
    static String tag(String group, String version) {
        return groupWord(group) + "_" + version;
    }

    private static String groupWord(String group) {
        if (group.isEmpty()) {
            return "core";
        }
        String trimmed = group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        String[] parts = trimmed.split("[.-]");
        StringBuilder word = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            word.append(capitalize(parts[i]));
        }
        return word.toString();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String article(String kind) {
        return "a" + ("AEIOU".indexOf(kind.charAt(0)) >= 0 ? "n " : " ") + kind;
    }

    private static String refOrObject(String definition) {
        return definition == null ? ModelSchemas.RAW_EXTENSION : definition;
    }


    private record Response(String code, String definition, List<String> mediaTypes) {}

    private static Response response(String code, String definition, List<String> mediaTypes) {
        return new Response(code, definition, mediaTypes);
    }

    private static Response textResponse() {
        return new Response("200", null, List.of("*/*"));
    }

    /** Builds operations that share a tag and a kind. */
    private record Operations(String tag, GroupVersionKind gvk) {

        ObjectNode op(String action, String description, String operationId, List<ObjectNode> parameters,
                      String bodyDefinition, List<String> bodyTypes, Response... responses) {
            ObjectNode op = JSON.objectNode();
            op.putArray("tags").add(tag);
            op.put("description", description);
            op.put("operationId", operationId);
            if (!parameters.isEmpty()) {
                ArrayNode params = op.putArray("parameters");
                parameters.forEach(params::add);
            }
            if (bodyDefinition != null) {
                ObjectNode body = op.putObject("requestBody");
                ObjectNode content = body.putObject("content");
                for (String mediaType : bodyTypes) {
                    content.putObject(mediaType).putObject("schema").put("$ref", ModelSchemas.ref(bodyDefinition));
                }
                body.put("required", !action.equals("delete") && !action.equals("deletecollection"));
            }
            ObjectNode out = op.putObject("responses");
            for (Response response : responses) {
                ObjectNode r = out.putObject(response.code());
                r.put("description", switch (response.code()) {
                    case "201" -> "Created";
                    case "202" -> "Accepted";
                    default -> "OK";
                });
                ObjectNode content = r.putObject("content");
                for (String mediaType : response.mediaTypes()) {
                    ObjectNode schema = content.putObject(mediaType).putObject("schema");
                    if (response.definition() == null) {
                        schema.put("type", "string");
                    } else {
                        schema.put("$ref", ModelSchemas.ref(response.definition()));
                    }
                }
            }
            out.putObject("401").put("description", "Unauthorized");
            op.put("x-kubernetes-action", action);
            op.putObject("x-kubernetes-group-version-kind")
                    .put("group", gvk.group()).put("kind", gvk.kind()).put("version", gvk.version());
            return op;
        }
    }

    private static ObjectNode param(String name, String in, String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("name", name);
        p.put("in", in);
        p.put("description", description);
        if (in.equals("path")) {
            p.put("required", true);
        }
        ObjectNode schema = p.putObject("schema").put("type", type);
        if (!in.equals("path")) {
            schema.put("uniqueItems", true);
        }
        return p;
    }

    private static ObjectNode pretty() {
        return param("pretty", "query", "string", "If 'true', then the output is pretty printed.");
    }

    private static ArrayNode pathParameters(ResourceType type, boolean named) {
        ArrayNode params = JSON.arrayNode();
        if (named) {
            params.add(param("name", "path", "string", "name of the " + type.kind()));
        }
        if (type.namespaced()) {
            params.add(param("namespace", "path", "string", "object name and auth scope, such as for teams and projects"));
        }
        params.add(pretty());
        return params;
    }

    static List<ObjectNode> listParameters() {
        return List.of(
                param("allowWatchBookmarks", "query", "boolean",
                        "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
                param("continue", "query", "string",
                        "The continue option should be set when retrieving more results from the server."),
                param("fieldSelector", "query", "string",
                        "A selector to restrict the list of returned objects by their fields."),
                param("labelSelector", "query", "string",
                        "A selector to restrict the list of returned objects by their labels."),
                param("limit", "query", "integer",
                        "limit is a maximum number of responses to return for a list call."),
                param("resourceVersion", "query", "string",
                        "resourceVersion sets a constraint on what resource versions a request may be served from."),
                param("resourceVersionMatch", "query", "string",
                        "resourceVersionMatch determines how resourceVersion is applied to list calls."),
                param("sendInitialEvents", "query", "boolean",
                        "`sendInitialEvents=true` may be set together with `watch=true`."),
                param("timeoutSeconds", "query", "integer",
                        "Timeout for the list/watch call."),
                param("watch", "query", "boolean",
                        "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications."));
    }

    static List<ObjectNode> writeParameters(boolean patch) {
        List<ObjectNode> params = new ArrayList<>(List.of(
                param("dryRun", "query", "string",
                        "When present, indicates that modifications should not be persisted. Valid values: All."),
                param("fieldManager", "query", "string",
                        "fieldManager is a name associated with the actor or entity that is making these changes."),
                param("fieldValidation", "query", "string",
                        "fieldValidation instructs the server on how to handle objects in the request containing "
                                + "unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.")));
        if (patch) {
            params.add(param("force", "query", "boolean",
                    "Force is going to \"force\" Apply requests. It must be unset for non-apply patch requests."));
        }
        return params;
    }

    static List<ObjectNode> deleteParameters() {
        return List.of(
                param("dryRun", "query", "string",
                        "When present, indicates that modifications should not be persisted. Valid values: All."),
                param("gracePeriodSeconds", "query", "integer",
                        "The duration in seconds before the object should be deleted."),
                param("ignoreStoreReadErrorWithClusterBreakingPotential", "query", "boolean",
                        "if set to true, it will trigger an unsafe deletion of the resource in case the normal "
                                + "deletion flow fails with a corrupt object error."),
                param("orphanDependents", "query", "boolean",
                        "Deprecated: please use the PropagationPolicy."),
                param("propagationPolicy", "query", "string",
                        "Whether and how garbage collection will be performed: Orphan, Background or Foreground."));
    }

    private static List<ObjectNode> logParameters() {
        return List.of(
                param("container", "query", "string", "The container for which to stream logs."),
                param("follow", "query", "boolean", "Follow the log stream of the pod."),
                param("insecureSkipTLSVerifyBackend", "query", "boolean",
                        "insecureSkipTLSVerifyBackend indicates that the apiserver should not confirm the validity "
                                + "of the serving certificate of the backend it is connecting to."),
                param("limitBytes", "query", "integer",
                        "The number of bytes to read from the server before terminating the log output."),
                param("previous", "query", "boolean", "Return previous terminated container logs."),
                param("sinceSeconds", "query", "integer",
                        "A relative time in seconds before the current time from which to show logs."),
                param("tailLines", "query", "integer",
                        "The number of lines from the end of the logs to show."),
                param("timestamps", "query", "boolean",
                        "If true, add an RFC3339 timestamp at the beginning of every line of log output."));
    }

    private static List<ObjectNode> connectParameters(String subresource) {
        if (!subresource.equals("exec") && !subresource.equals("attach")) {
            return List.of();
        }
        List<ObjectNode> params = new ArrayList<>();
        if (subresource.equals("exec")) {
            params.add(param("command", "query", "string", "Command is the remote command to execute."));
        }
        params.add(param("container", "query", "string", "Container in which to execute the command."));
        params.add(param("stderr", "query", "boolean", "Redirect the standard error stream of the pod for this call."));
        params.add(param("stdin", "query", "boolean", "Redirect the standard input stream of the pod for this call."));
        params.add(param("stdout", "query", "boolean", "Redirect the standard output stream of the pod for this call."));
        params.add(param("tty", "query", "boolean", "TTY if true indicates that a tty will be allocated for the exec call."));
        return params;
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> all = new ArrayList<>(a);
        b.stream().filter(p -> all.stream().noneMatch(q -> q.get("name").equals(p.get("name")))).forEach(all::add);
        return all;
    }
}
