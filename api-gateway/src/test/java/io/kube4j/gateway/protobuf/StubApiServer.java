package io.kube4j.gateway.protobuf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Just enough of kube-apiserver on a loopback port for kubectl's typed commands: legacy discovery
 * (hand-written, for the groups the tests touch), and writes that record the request body, decode
 * it with the codec under test and answer with the object re-encoded as protobuf when the client
 * accepts it. Objects are kept by path so a later GET (kubectl expose) finds them.
 */
final class StubApiServer implements AutoCloseable {

    /** One request kubectl sent with a body. */
    record Captured(String method, String path, String contentType, byte[] body) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, String> RESOURCES = Map.ofEntries(
            Map.entry("v1", """
                    [{"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","shortNames":["cm"]},
                     {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret"},
                     {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","shortNames":["ns"]},
                     {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","shortNames":["po"]},
                     {"name":"serviceaccounts/token","singularName":"","namespaced":true,"group":"authentication.k8s.io","version":"v1","kind":"TokenRequest"},
                     {"name":"services","singularName":"service","namespaced":true,"kind":"Service","shortNames":["svc"]},
                     {"name":"serviceaccounts","singularName":"serviceaccount","namespaced":true,"kind":"ServiceAccount","shortNames":["sa"]},
                     {"name":"resourcequotas","singularName":"resourcequota","namespaced":true,"kind":"ResourceQuota","shortNames":["quota"]}]"""),
            Map.entry("apps/v1", """
                    [{"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","shortNames":["deploy"]},
                     {"name":"deployments/scale","singularName":"","namespaced":true,"group":"autoscaling","version":"v1","kind":"Scale"}]"""),
            Map.entry("batch/v1", """
                    [{"name":"jobs","singularName":"job","namespaced":true,"kind":"Job"},
                     {"name":"cronjobs","singularName":"cronjob","namespaced":true,"kind":"CronJob","shortNames":["cj"]}]"""),
            Map.entry("rbac.authorization.k8s.io/v1", """
                    [{"name":"roles","singularName":"role","namespaced":true,"kind":"Role"},
                     {"name":"rolebindings","singularName":"rolebinding","namespaced":true,"kind":"RoleBinding"},
                     {"name":"clusterroles","singularName":"clusterrole","namespaced":false,"kind":"ClusterRole"},
                     {"name":"clusterrolebindings","singularName":"clusterrolebinding","namespaced":false,"kind":"ClusterRoleBinding"}]"""),
            Map.entry("authorization.k8s.io/v1", """
                    [{"name":"selfsubjectaccessreviews","singularName":"selfsubjectaccessreview","namespaced":false,"kind":"SelfSubjectAccessReview"}]"""),
            Map.entry("authentication.k8s.io/v1", """
                    [{"name":"selfsubjectreviews","singularName":"selfsubjectreview","namespaced":false,"kind":"SelfSubjectReview"}]"""),
            Map.entry("autoscaling/v2", """
                    [{"name":"horizontalpodautoscalers","singularName":"horizontalpodautoscaler","namespaced":true,"kind":"HorizontalPodAutoscaler","shortNames":["hpa"]}]"""),
            Map.entry("networking.k8s.io/v1", """
                    [{"name":"ingresses","singularName":"ingress","namespaced":true,"kind":"Ingress","shortNames":["ing"]}]"""),
            Map.entry("policy/v1", """
                    [{"name":"poddisruptionbudgets","singularName":"poddisruptionbudget","namespaced":true,"kind":"PodDisruptionBudget","shortNames":["pdb"]}]"""),
            Map.entry("scheduling.k8s.io/v1", """
                    [{"name":"priorityclasses","singularName":"priorityclass","namespaced":false,"kind":"PriorityClass","shortNames":["pc"]}]"""));

    private final ProtobufCodec codec;
    private final HttpServer server;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> objects = new ConcurrentHashMap<>();
    private volatile ObjectNode nextCreated;

    StubApiServer(ProtobufCodec codec) throws IOException {
        this.codec = codec;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Captured> captured() {
        return captured;
    }

    /** Every request line seen, for diagnosing what kubectl asked. */
    List<String> requests() {
        return requests;
    }

    /** The next write answers with this object instead of the one it carried. */
    void answerNextWriteWith(ObjectNode object) {
        nextCreated = object;
    }

    void reset() {
        nextCreated = null;
        captured.clear();
        requests.clear();
        objects.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + exchange.getRequestURI() + " accept="
                    + exchange.getRequestHeaders().getFirst("Accept"));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (body.length > 0) captured.add(new Captured(method, path, contentType, body));
            switch (method) {
                case "GET" -> get(exchange, path);
                case "POST" -> create(exchange, path, contentType, body);
                case "DELETE" -> delete(exchange, path);
                default -> json(exchange, 405, status(405, "MethodNotAllowed"));
            }
        } catch (RuntimeException e) {
            json(exchange, 500, status(500, "InternalError: " + e));
        }
    }

    private void get(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/version")) {
            json(exchange, 200, """
                    {"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""");
        } else if (path.equals("/api")) {
            json(exchange, 200, """
                    {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
        } else if (path.equals("/apis")) {
            StringBuilder groups = new StringBuilder();
            for (String groupVersion : RESOURCES.keySet()) {
                if (!groupVersion.contains("/")) continue;
                String group = groupVersion.substring(0, groupVersion.indexOf('/'));
                String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
                String entry = "{\"groupVersion\":\"" + groupVersion + "\",\"version\":\"" + version + "\"}";
                if (!groups.isEmpty()) groups.append(',');
                groups.append("{\"name\":\"").append(group).append("\",\"versions\":[").append(entry)
                        .append("],\"preferredVersion\":").append(entry).append('}');
            }
            json(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}");
        } else if (discoveryGroupVersion(path) != null) {
            String groupVersion = discoveryGroupVersion(path);
            String verbs = "\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]";
            String resources = RESOURCES.get(groupVersion).replace("\"kind\":", verbs + ",\"kind\":");
            json(exchange, 200, "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
                    + groupVersion + "\",\"resources\":" + resources + "}");
        } else if (objects.containsKey(path)) {
            answer(exchange, 200, objects.get(path));
        } else {
            json(exchange, 404, status(404, "NotFound"));
        }
    }

    private static String discoveryGroupVersion(String path) {
        if (path.equals("/api/v1")) return "v1";
        if (path.startsWith("/apis/")) {
            String groupVersion = path.substring("/apis/".length());
            if (RESOURCES.containsKey(groupVersion)) return groupVersion;
        }
        return null;
    }

    private void create(HttpExchange exchange, String path, String contentType, byte[] body) throws IOException {
        ObjectNode object = contentType != null && contentType.startsWith(ProtobufCodec.MEDIA_TYPE)
                ? codec.decode(body)
                : (ObjectNode) JSON.readTree(body);
        String name = object.path("metadata").path("name").asString("");
        objects.put(path + "/" + name, object);
        ObjectNode answer = nextCreated;
        nextCreated = null;
        answer(exchange, 201, answer == null ? object : answer);
    }

    private void delete(HttpExchange exchange, String path) throws IOException {
        ObjectNode gone = objects.remove(path);
        if (gone == null) {
            json(exchange, 200, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\"}");
        } else {
            answer(exchange, 200, gone);
        }
    }

    /** The object as protobuf when kubectl accepts it (it lists protobuf first), else as JSON. */
    private void answer(HttpExchange exchange, int code, JsonNode object) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains(ProtobufCodec.MEDIA_TYPE)) {
            byte[] bytes = codec.encode(object);
            exchange.getResponseHeaders().set("Content-Type", ProtobufCodec.MEDIA_TYPE);
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
        } else {
            json(exchange, code, JSON.writeValueAsString(object));
        }
    }

    private static String status(int code, String reason) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"reason\":\""
                + reason + "\",\"code\":" + code + "}";
    }

    private static void json(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
