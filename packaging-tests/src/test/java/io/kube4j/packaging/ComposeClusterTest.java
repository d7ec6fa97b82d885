package io.kube4j.packaging;

import io.kube4j.testcontainers.Kube4jCluster;

import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The way a user runs kube4j in containers, for real: {@code ./kube4j images} builds every image
 * (from this machine's JDK, Debian's binaries and Maven Central's jars: no registry answers here),
 * {@code docker-compose up -d} starts the cluster, the real kubectl reaches it through
 * {@code ./kube4j compose-kubeconfig}, and {@code docker-compose down -v} leaves nothing behind.
 * The compose project has a name of its own and the gateway a free host port, so a cluster the
 * user runs from the same directory is not touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeClusterTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Duration IMAGES_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);
    private static final String TAG = System.getenv().getOrDefault("KUBE4J_IMAGE_TAG", "0.1.0");
    private static final String PREFIX = System.getenv().getOrDefault("KUBE4J_IMAGE_PREFIX", "kube4j/");

    private static DockerDaemon docker;
    private static Map<String, String> compose;
    private static boolean down;

    @BeforeAll
    static void buildImagesAndStartTheCluster() throws IOException {
        docker = DockerDaemon.ensure();
        Instant started = Instant.now();
        DockerDaemon.ok(ROOT, Map.of(), IMAGES_TIMEOUT, "./kube4j", "images");
        Duration images = Duration.between(started, Instant.now());

        compose = Map.of(
                "COMPOSE_PROJECT_NAME", "kube4jtest" + ProcessHandle.current().pid(),
                "KUBE4J_COMPOSE_GATEWAY_PORT", Integer.toString(freePort()),
                // As the Testcontainers cluster does: a test cluster favours start-up over peak throughput.
                "KUBE4J_JAVA_OPTS", Kube4jCluster.START_UP_JVM_OPTIONS);
        started = Instant.now();
        DockerDaemon.ok(ROOT, compose, UP_TIMEOUT, "docker-compose", "up", "-d");
        Duration up = Duration.between(started, Instant.now());
        DockerDaemon.ok(ROOT, compose, Duration.ofMinutes(2), "./kube4j", "compose-kubeconfig");
        // up -d returns once the last service is created; it is healthy some seconds later.
        awaitEveryServiceHealthy();
        Duration healthy = Duration.between(started, Instant.now());
        System.out.printf("./kube4j images: %d s; docker-compose up -d: %d s; every service healthy: %d s%n",
                images.toSeconds(), up.toSeconds(), healthy.toSeconds());
    }

    /** Waits until every long-running service reports healthy and the one-shot kubeconfig exited 0. */
    private static void awaitEveryServiceHealthy() {
        String label = "label=com.docker.compose.project=" + compose.get("COMPOSE_PROJECT_NAME");
        Instant deadline = Instant.now().plus(UP_TIMEOUT);
        String states = "";
        while (Instant.now().isBefore(deadline)) {
            states = DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "ps", "-a", "--filter", label,
                    "--format", "{{.Label \"com.docker.compose.service\"}} {{.Status}}");
            boolean ready = !states.isBlank() && states.lines().allMatch(line -> line.startsWith("kubeconfig ")
                    ? line.contains("Exited (0)") : line.contains("(healthy)"));
            if (ready) return;
            assertThat(states).as("a service stopped or became unhealthy").doesNotContain("(unhealthy)");
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not every service became healthy within " + UP_TIMEOUT + ":\n" + states);
    }

    @AfterAll
    static void tearDown() {
        try {
            if (compose != null && !down) {
                DockerDaemon.run(ROOT, compose, Duration.ofMinutes(3), "docker-compose", "down", "-v");
            }
        } finally {
            if (docker != null) docker.close();
        }
    }

    /** The control plane runs as an unprivileged user; the node's agents program its kernel as root. */
    @Order(1)
    @ParameterizedTest
    @CsvSource({"etcd, 10001:10001", "redis, 10001:10001", "kafka, 10001:10001", "relay, 10001:10001",
            "gateway, 10001:10001", "controllers, 10001:10001", "scheduler, 10001:10001", "node, 0:0", "proxy, 0:0"})
    void everyServiceImageRunsAsItsUserAndHasAHealthCheck(String name, String user) {
        String inspected = DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "image", "inspect",
                "--format", "{{.Config.User}}|{{json .Config.Healthcheck.Test}}", PREFIX + name + ":" + TAG).strip();
        String[] parts = inspected.split("\\|", 2);
        assertThat(parts[0]).isEqualTo(user);
        assertThat(parts[1]).startsWith("[\"CMD\"");
    }

    @Order(2)
    @Test
    void imagesWhoseInputsDidNotChangeAreNotBuiltAgain() {
        String output = DockerDaemon.ok(ROOT, Map.of(), IMAGES_TIMEOUT, "./kube4j", "images");
        assertThat(output).doesNotContain("built ");
        for (String name : new String[] {"jre", "etcd", "redis", "kafka", "relay", "gateway", "controllers",
                "scheduler", "node", "proxy"}) {
            assertThat(output).contains(PREFIX + name + ":" + TAG + " is up to date");
        }
    }

    @Order(3)
    @Test
    void kubectlThroughTheComposeKubeconfigCreatesObjectsTheControllersActOn() throws InterruptedException {
        Path kubeconfig = ROOT.resolve(".kube4j/compose.kubeconfig");
        assertThat(kubeconfig).exists();
        Kubectl kubectl = Kubectl.forKubeconfig(kubeconfig);

        kubectl.ok("create", "namespace", "compose-e2e");
        kubectl.ok("-n", "compose-e2e", "create", "deployment", "web", "--image=nginx:1.22", "--replicas=2");
        assertThat(kubectl.ok("-n", "compose-e2e", "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"))
                .isEqualTo("2");

        // The controllers reach the gateway at https://gateway:6443, verifying its certificate, and
        // learn of the namespace from Kafka: its default ServiceAccount is their doing.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        Kubectl.Result serviceAccount;
        do {
            serviceAccount = kubectl.run("-n", "compose-e2e", "get", "serviceaccount", "default", "-o", "name");
            if (serviceAccount.ok()) break;
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        assertThat(serviceAccount.ok()).as("%s", serviceAccount).isTrue();
        assertThat(serviceAccount.out().strip()).isEqualTo("serviceaccount/default");
    }

    @Order(4)
    @Test
    void theNodeContainerIsAReadyNodeThatRunsAPod() {
        Kubectl kubectl = Kubectl.forKubeconfig(ROOT.resolve(".kube4j/compose.kubeconfig"));
        List<String> nodes = awaitReadyNodes(kubectl, 1);
        String node = nodes.getFirst();
        // The Node is named after the node container's host name.
        String hostname = DockerDaemon.ok(ROOT, compose, Duration.ofSeconds(30), "docker-compose", "exec", "-T", "node-agent",
                "hostname").strip().toLowerCase(java.util.Locale.ROOT);
        assertThat(node).isEqualTo(hostname);

        kubectl.ok("-n", "compose-e2e", "run", "hello", "--image=busybox:1.35", "--restart=Never", "--",
                "sh", "-c", "echo hello from $(hostname); sleep 3600");
        kubectl.ok("-n", "compose-e2e", "wait", "--for=jsonpath={.status.phase}=Running", "pod/hello", "--timeout=120s");
        assertThat(kubectl.ok("-n", "compose-e2e", "get", "pod", "hello", "-o", "jsonpath={.spec.nodeName}")).isEqualTo(node);
        assertThat(kubectl.ok("-n", "compose-e2e", "logs", "hello")).contains("hello from ");
        kubectl.ok("-n", "compose-e2e", "delete", "pod", "hello", "--wait=false");
    }

    @Order(5)
    @Test
    void theDayOneWalkthroughPasses() throws Exception {
        Kubectl kubectl = Kubectl.forKubeconfig(ROOT.resolve(".kube4j/compose.kubeconfig"));
        kubectl.ok("create", "namespace", "walkthrough");
        Path config = Files.createTempFile("walkthrough", ".kubeconfig");
        try {
            // The walkthrough runs in kubectl's current namespace: a kubeconfig of its own says which.
            Files.copy(ROOT.resolve(".kube4j/compose.kubeconfig"), config, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Kubectl walkthrough = Kubectl.forKubeconfig(config);
            walkthrough.ok("config", "set-context", "--current", "--namespace=walkthrough");
            // The host reaches the node container's address on the compose network.
            String nodeAddress = walkthrough.ok("get", "nodes", "-o",
                    "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}").strip();
            DayOneWalkthrough.passes(walkthrough, nodeAddress);
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Order(6)
    @Test
    void scalingTheNodeAgentAddsDistinctNodes() {
        DockerDaemon.ok(ROOT, compose, UP_TIMEOUT, "docker-compose", "up", "-d", "--no-recreate", "--scale", "node-agent=2");
        Kubectl kubectl = Kubectl.forKubeconfig(ROOT.resolve(".kube4j/compose.kubeconfig"));
        List<String> nodes = awaitReadyNodes(kubectl, 2);
        assertThat(nodes).doesNotHaveDuplicates().hasSize(2);
        String cidrs = kubectl.ok("get", "nodes", "-o", "jsonpath={.items[*].spec.podCIDR}");
        assertThat(cidrs.split("\\s+")).as("each node's pod subnet").doesNotHaveDuplicates();
    }

    /** The names of the Nodes once {@code count} of them are Ready. */
    private static List<String> awaitReadyNodes(Kubectl kubectl, int count) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        String listed = "";
        while (Instant.now().isBefore(deadline)) {
            Kubectl.Result nodes = kubectl.run("get", "nodes", "-o",
                    "jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
            listed = nodes.out();
            List<String> ready = listed.lines().map(String::strip).filter(line -> line.endsWith(" True"))
                    .map(line -> line.substring(0, line.indexOf(' '))).toList();
            if (nodes.ok() && ready.size() >= count) return ready;
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("fewer than " + count + " Ready nodes:\n" + listed);
    }

    /**
     * Each node container runs its own proxy agent, in its own network namespace and under its
     * own Node's name: a pod on the second node reaches a Service whose only endpoint is on the
     * first node by its ClusterIP and by its cluster DNS name, and the Service's NodePort answers at
     * the second node's address (the second node's rules, not the first's, carry that traffic).
     */
    @Order(7)
    @Test
    void everyScaledNodeRunsItsOwnProxyAgent() throws Exception {
        Kubectl kubectl = Kubectl.forKubeconfig(ROOT.resolve(".kube4j/compose.kubeconfig"));
        List<String> nodes = awaitReadyNodes(kubectl, 2);
        String first = nodeContainerHostname(1);
        String second = nodeContainerHostname(2);
        assertThat(nodes).containsExactlyInAnyOrder(first, second);
        for (int index = 1; index <= 2; index++) {
            // A node is Ready once its node agent reports; its proxy agent is UP after its first sync, a little later.
            int container = index;
            String health = EchoWorkload.eventually(Duration.ofSeconds(120), () -> DockerDaemon.run(ROOT, compose,
                    Duration.ofSeconds(30), "docker-compose", "exec", "-T", "--index=" + container, "node-agent",
                    "curl", "-sS", "http://127.0.0.1:10256/actuator/health").output(), output -> output.contains("\"UP\""));
            assertThat(health).as("the proxy agent in node container %d", index).contains("\"UP\"");
        }
        String secondAddress = kubectl.ok("get", "node", second, "-o",
                "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").strip();
        // The second node's proxy agent registers its DNS server under the second node's name, at its address.
        assertThat(EchoWorkload.eventually(Duration.ofSeconds(60), () -> kubectl.run("-n", "kube-system", "get", "endpointslice",
                        "kube-dns-" + second, "-o", "jsonpath={.endpoints[0].nodeName} {.endpoints[0].addresses[0]}").out().strip(),
                (second + " " + secondAddress)::equals)).isEqualTo(second + " " + secondAddress);

        kubectl.ok("create", "namespace", "compose-nodes");
        for (String manifest : List.of(ECHO_ON_FIRST_NODE.formatted(first, ECHO_NODE_PORT), CLIENT_ON_SECOND_NODE.formatted(second))) {
            Kubectl.Result applied = kubectl.runWithInput(manifest, "-n", "compose-nodes", "apply", "-f", "-");
            assertThat(applied.ok()).as("%s", applied).isTrue();
        }
        kubectl.ok("-n", "compose-nodes", "rollout", "status", "deployment/echo", "--timeout=180s");
        kubectl.ok("-n", "compose-nodes", "wait", "--for=jsonpath={.status.phase}=Running", "pod/client", "--timeout=180s");
        String echoPod = kubectl.ok("-n", "compose-nodes", "get", "pods", "-l", "app=echo", "-o",
                "jsonpath={.items[0].metadata.name} {.items[0].spec.nodeName}").strip();
        assertThat(echoPod).as("the Service's only endpoint, on the first node").endsWith(" " + first);
        String echo = echoPod.substring(0, echoPod.indexOf(' '));
        assertThat(kubectl.ok("-n", "compose-nodes", "get", "pod", "client", "-o", "jsonpath={.spec.nodeName}")).isEqualTo(second);

        String clusterIp = kubectl.ok("-n", "compose-nodes", "get", "service", "echo", "-o", "jsonpath={.spec.clusterIP}").strip();
        for (String url : List.of("http://" + clusterIp + "/", "http://echo.compose-nodes.svc.cluster.local/")) {
            Kubectl.Result answer = EchoWorkload.eventually(Duration.ofSeconds(60), () -> kubectl.run("-n", "compose-nodes", "exec", "client",
                    "--", "timeout", "5", "wget", "-q", "-O", "-", url), Kubectl.Result::ok);
            assertThat(answer.ok()).as("%s from the second node: %s", url, answer).isTrue();
            assertThat(answer.out().strip()).as(url).isEqualTo(echo);
        }

        // The API from a pod of the second node, as its ServiceAccount: the real kubectl, copied into the node
        // container, in a pod there. The node's proxy agent leads the kubernetes Service to the gateway's container;
        // the pod's traffic leaves with the node container's address.
        ProcessBuilder copying = new ProcessBuilder("docker-compose", "exec", "-T", "--index=2", "node-agent", "sh", "-c",
                "cat > /var/lib/kube4j-node/kubectl && chmod 755 /var/lib/kube4j-node/kubectl")
                .directory(ROOT.toFile()).redirectInput(java.nio.file.Path.of(Kubectl.binary()).toRealPath().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        copying.environment().putAll(compose);
        Process copy = copying.start();
        assertThat(copy.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && copy.exitValue() == 0).as("kubectl copied").isTrue();
        Kubectl.Result client = kubectl.runWithInput(InClusterApiAccessTest.kubectlPod("api-client", "compose-nodes", second,
                "/var/lib/kube4j-node/kubectl"), "apply", "-f", "-");
        assertThat(client.ok()).as(client.toString()).isTrue();
        kubectl.ok("-n", "compose-nodes", "wait", "--for=condition=Ready", "pod/api-client", "--timeout=90s");
        assertThat(EchoWorkload.eventually(Duration.ofSeconds(60), () -> InClusterApiAccessTest.whoAmI(kubectl, "compose-nodes", "api-client"),
                Kubectl.Result::ok).out()).isEqualTo("system:serviceaccount:compose-nodes:default");

        // From this host, at the second node's address: the second node forwards to the first node's pod.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + secondAddress + ":" + ECHO_NODE_PORT + "/"))
                .timeout(Duration.ofSeconds(5)).build();
        String body = EchoWorkload.eventually(Duration.ofSeconds(60), () -> {
            try {
                HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() + " " + response.body().strip();
            } catch (IOException e) {
                return e.toString();
            }
        }, ("200 " + echo)::equals);
        assertThat(body).as("the NodePort at the second node %s", secondAddress).isEqualTo("200 " + echo);
        kubectl.ok("delete", "namespace", "compose-nodes", "--wait=false");
    }

    private static final int ECHO_NODE_PORT = 32601;

    /** A busybox HTTP server answering with its pod's name, on the first node only, behind a NodePort Service. */
    private static final String ECHO_ON_FIRST_NODE = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: echo
            spec:
              replicas: 1
              selector:
                matchLabels: {app: echo}
              template:
                metadata:
                  labels: {app: echo}
                spec:
                  nodeSelector: {kubernetes.io/hostname: %s}
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: echo
                    image: busybox:1.35
                    command: [sh, -c, "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    ports:
                    - containerPort: 8080
                    readinessProbe:
                      tcpSocket: {port: 8080}
                      periodSeconds: 2
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: echo
            spec:
              type: NodePort
              selector: {app: echo}
              ports:
              - port: 80
                targetPort: 8080
                nodePort: %d
            """;

    private static final String CLIENT_ON_SECOND_NODE = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: client
            spec:
              nodeSelector: {kubernetes.io/hostname: %s}
              terminationGracePeriodSeconds: 1
              containers:
              - name: client
                image: busybox:1.35
                command: [sleep, "3600"]
            """;

    /** The host name, in lower case (the Node's name), of the {@code index}th node-agent container. */
    private static String nodeContainerHostname(int index) {
        return DockerDaemon.ok(ROOT, compose, Duration.ofSeconds(30), "docker-compose", "exec", "-T", "--index=" + index,
                "node-agent", "hostname").strip().toLowerCase(java.util.Locale.ROOT);
    }

    @Order(8)
    @Test
    void downWithVolumesLeavesNoContainerNetworkOrVolume() {
        String project = compose.get("COMPOSE_PROJECT_NAME");
        String label = "label=com.docker.compose.project=" + project;
        assertThat(DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "volume", "ls", "-q", "--filter", label))
                .as("the cluster's volumes while it runs").isNotBlank();

        DockerDaemon.ok(ROOT, compose, Duration.ofMinutes(3), "docker-compose", "down", "-v");
        down = true;

        assertThat(DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "ps", "-aq", "--filter", label)).isBlank();
        assertThat(DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "volume", "ls", "-q", "--filter", label)).isBlank();
        assertThat(DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "network", "ls", "-q", "--filter", label)).isBlank();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
