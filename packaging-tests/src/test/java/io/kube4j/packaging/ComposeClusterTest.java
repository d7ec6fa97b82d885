package io.kube4j.packaging;

import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(10);
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
                "KUBE4J_COMPOSE_GATEWAY_PORT", Integer.toString(freePort()));
        started = Instant.now();
        DockerDaemon.ok(ROOT, compose, UP_TIMEOUT, "docker-compose", "up", "-d");
        Duration up = Duration.between(started, Instant.now());
        DockerDaemon.ok(ROOT, compose, Duration.ofMinutes(2), "./kube4j", "compose-kubeconfig");
        System.out.printf("./kube4j images: %d s; docker-compose up -d: %d s%n", images.toSeconds(), up.toSeconds());
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

    @Order(1)
    @ParameterizedTest
    @ValueSource(strings = {"etcd", "redis", "kafka", "relay", "gateway", "controllers"})
    void everyServiceImageRunsAsANonRootUserAndHasAHealthCheck(String name) {
        String inspected = DockerDaemon.ok(ROOT, Map.of(), Duration.ofSeconds(30), "docker", "image", "inspect",
                "--format", "{{.Config.User}}|{{json .Config.Healthcheck.Test}}", PREFIX + name + ":" + TAG).strip();
        String[] parts = inspected.split("\\|", 2);
        assertThat(parts[0]).isEqualTo("10001:10001");
        assertThat(parts[1]).startsWith("[\"CMD\"");
    }

    @Order(2)
    @Test
    void imagesWhoseInputsDidNotChangeAreNotBuiltAgain() {
        String output = DockerDaemon.ok(ROOT, Map.of(), IMAGES_TIMEOUT, "./kube4j", "images");
        assertThat(output).doesNotContain("built ");
        for (String name : new String[] {"jre", "etcd", "redis", "kafka", "relay", "gateway", "controllers"}) {
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
        kubectl.ok("-n", "compose-e2e", "create", "deployment", "web", "--image=nginx", "--replicas=2");
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
