package io.kube4j.gateway.table;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code /usr/bin/kubectl} against a loopback server that answers discovery with
 * hand-written documents and lists with {@link TableConvertor}'s tables: what users see.
 */
class KubectlGetTableTest {

    private static final String KUBECTL = "/usr/bin/kubectl";

    private static HttpServer server;
    private static final Map<String, String> routes = new ConcurrentHashMap<>();
    private static final List<String> accepts = new CopyOnWriteArrayList<>();

    @TempDir
    static Path home;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", KubectlGetTableTest::answer);
        server.start();
        int port = server.getAddress().getPort();

        routes.put("/api", """
                {"kind":"APIVersions","versions":["v1"],
                 "serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:%d"}]}""".formatted(port));
        routes.put("/apis", """
                {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps",
                 "versions":[{"groupVersion":"apps/v1","version":"v1"}],
                 "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}""");
        routes.put("/api/v1", """
                {"kind":"APIResourceList","groupVersion":"v1","resources":[
                 {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","shortNames":["po"],"categories":["all"],
                  "verbs":["create","delete","deletecollection","get","list","patch","update","watch"]},
                 {"name":"services","singularName":"service","namespaced":true,"kind":"Service","shortNames":["svc"],
                  "categories":["all"],"verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}]}""");
        routes.put("/apis/apps/v1", """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
                 {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment",
                  "shortNames":["deploy"],"categories":["all"],
                  "verbs":["create","delete","deletecollection","get","list","patch","update","watch"]}]}""");

        routes.put("/api/v1/namespaces/default/pods", table(BuiltInTypes.POD,
                PodPrinterTest.pod(PodPrinterTest.ONE, PodPrinterTest.status("Running", "",
                        PodPrinterTest.running("web", true, 0))).replace("\"name\":\"p\"", "\"name\":\"web-0\""),
                PodPrinterTest.pod(PodPrinterTest.ONE, PodPrinterTest.status("Running", "",
                        PodPrinterTest.waiting("web", "CrashLoopBackOff", 5, "2026-11-25T11:56:40Z")))
                        .replace("\"name\":\"p\"", "\"name\":\"crashy\""),
                PodPrinterTest.pod(PodPrinterTest.WITH_INITS, PodPrinterTest.status("Pending",
                        PodPrinterTest.running("init-a", false, 0), ""))
                        .replace("\"name\":\"p\"", "\"name\":\"starting\"")));
        routes.put("/apis/apps/v1/namespaces/default/deployments", table(BuiltInTypes.DEPLOYMENT, """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default",
                 "creationTimestamp":"2026-11-22T09:00:00Z"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},
                  "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}},
                 "status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}"""));
        routes.put("/api/v1/namespaces/default/services", table(BuiltInTypes.SERVICE, """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"kubernetes","namespace":"default",
                 "creationTimestamp":"2026-11-01T12:00:00Z"},
                 "spec":{"type":"ClusterIP","clusterIP":"10.96.0.1","clusterIPs":["10.96.0.1"],
                  "ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":6443}]}}""", """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","labels":{"app":"web"},
                 "creationTimestamp":"2026-11-25T11:00:00Z"},
                 "spec":{"type":"NodePort","clusterIP":"10.96.12.34","clusterIPs":["10.96.12.34"],"selector":{"app":"web"},
                  "ports":[{"port":80,"nodePort":32600,"protocol":"TCP","targetPort":8080}]}}"""));
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static String table(ResourceType type, String... objects) {
        List<ObjectNode> items = Arrays.stream(objects).map(Printed::json).toList();
        return new TableConvertor().toTable(type, items, Printed.json("{\"resourceVersion\":\"42\"}"),
                IncludeObject.fromParameter(null), Printed.NOW).toString();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        accepts.add(path + " " + accept);
        String body = routes.get(path);
        int code = 200;
        if (body == null) {
            code = 404;
            body = """
                    {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}""";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static List<List<String>> kubectl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(KUBECTL,
                "--server", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", home.resolve("no-kubeconfig").toString());
        pb.environment().put("HOME", home.toString());
        Path err = Files.createTempFile(home, "kubectl", ".err");
        pb.redirectError(err.toFile());
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl failed: %s", Files.readString(err)).isZero();
        // kubectl separates columns by at least three spaces; no cell here holds two spaces in a row.
        return out.lines().map(line -> List.of(line.strip().split("\\s{2,}"))).toList();
    }

    @Test
    void getPods() throws Exception {
        assertThat(kubectl("get", "pods")).containsExactly(
                List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
                List.of("web-0", "1/1", "Running", "0", "5m"),
                List.of("crashy", "0/1", "CrashLoopBackOff", "5 (3m20s ago)", "5m"),
                List.of("starting", "0/1", "Init:0/2", "0", "5m"));
        assertThat(accepts).anyMatch(a -> a.startsWith("/api/v1/namespaces/default/pods ")
                && a.contains("as=Table;v=v1;g=meta.k8s.io"));
    }

    @Test
    void getPodsWide() throws Exception {
        assertThat(kubectl("get", "pods", "-o", "wide")).containsExactly(
                List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
                List.of("web-0", "1/1", "Running", "0", "5m", "10.244.1.5", "node-1", "<none>", "<none>"),
                List.of("crashy", "0/1", "CrashLoopBackOff", "5 (3m20s ago)", "5m", "10.244.1.5", "node-1", "<none>", "<none>"),
                List.of("starting", "0/1", "Init:0/2", "0", "5m", "10.244.1.5", "node-1", "<none>", "<none>"));
    }

    @Test
    void getDeployments() throws Exception {
        assertThat(kubectl("get", "deployments")).containsExactly(
                List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
                List.of("nginx", "2/3", "3", "2", "3d3h"));
        assertThat(kubectl("get", "deploy", "-o", "wide")).containsExactly(
                List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"),
                List.of("nginx", "2/3", "3", "2", "3d3h", "nginx", "nginx:1.27", "app=nginx"));
    }

    @Test
    void getServices() throws Exception {
        assertThat(kubectl("get", "svc")).containsExactly(
                List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"),
                List.of("kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "24d"),
                List.of("web", "NodePort", "10.96.12.34", "<none>", "80:32600/TCP", "60m"));
    }

    @Test
    void labelsComeFromTheRowsPartialObjectMetadata() throws Exception {
        List<List<String>> lines = kubectl("get", "svc", "-L", "app", "--show-labels");
        assertThat(lines.getFirst()).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "APP", "LABELS");
        assertThat(lines.get(2)).containsExactly("web", "NodePort", "10.96.12.34", "<none>", "80:32600/TCP", "60m", "web", "app=web");
    }
}
