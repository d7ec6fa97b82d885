package io.kube4j.packaging;

import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's day-one walkthrough on the cluster a user gets from {@code ./kube4j up} (every
 * service, a real node with containerd, the proxy's nftables rules), driven by the real kubectl:
 * Deployment, NodePort Service, scale to 4, a rolling update while a client calls the Service
 * with no failed request, rollout history and undo, delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherWalkthroughTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final int NODE_PORT = 32600;

    private Path home;
    private Map<String, String> environment;
    private Kubectl kubectl;

    @BeforeAll
    void up() throws Exception {
        home = Files.createTempDirectory("kube4j-launcher");
        environment = new HashMap<>(Map.of("KUBE4J_HOME", home.toString()));
        for (String port : new String[]{"ETCD_PORT", "ETCD_PEER_PORT", "KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "REDIS_PORT",
                "RELAY_PORT", "GATEWAY_PORT", "CONTROLLERS_PORT", "SCHEDULER_PORT", "NODE_PORT", "PROXY_PORT", "DNS_PORT"}) {
            environment.put("KUBE4J_" + port, Integer.toString(EtcdProcess.freePort()));
        }
        DockerDaemon.Result up = DockerDaemon.run(ROOT, environment, Duration.ofMinutes(15), "./kube4j", "up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        kubectl = Kubectl.forKubeconfig(home.resolve("kubeconfig"));
    }

    @AfterAll
    void down() {
        if (home != null) DockerDaemon.run(ROOT, environment, Duration.ofMinutes(3), "./kube4j", "down", "--purge");
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: nginx-deployment
              labels: {app: nginx}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: nginx}
              template:
                metadata:
                  labels: {app: nginx}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.22
                    ports:
                    - containerPort: 80
            """;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: nginx-service
              labels: {app: nginx}
            spec:
              selector: {app: nginx}
              type: NodePort
              ports:
              - name: nginx-port
                protocol: TCP
                port: 80
                nodePort: %d
                targetPort: 80
            """.formatted(NODE_PORT);

    @Test
    void theDayOneWalkthroughPasses() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + NODE_PORT + "/")).timeout(Duration.ofSeconds(5)).build();

        kubectl.runWithInput(DEPLOYMENT, "apply", "-f", "-");
        kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=120s");
        kubectl.runWithInput(SERVICE, "apply", "-f", "-");
        // At once, as a user would: the first connection must be served, not refused.
        assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).contains("nginx");

        kubectl.ok("scale", "deployment/nginx-deployment", "--replicas=4");
        kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=120s");
        assertThat(kubectl.ok("get", "pods", "-l", "app=nginx", "--field-selector=status.phase=Running", "-o", "name").lines())
                .hasSize(4);

        // A rolling update while a client keeps calling the Service: no request may fail.
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        Thread client = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 200; i++) {
                try {
                    if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) failures.incrementAndGet();
                } catch (Exception e) {
                    failures.incrementAndGet();
                } finally {
                    requests.incrementAndGet();
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        kubectl.ok("set", "env", "deployment/nginx-deployment", "RELEASE=2");
        kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=180s");
        client.join();
        assertThat(requests.get()).isEqualTo(200);
        assertThat(failures.get()).as("failed requests during the rolling update").isZero();

        assertThat(kubectl.ok("rollout", "history", "deployment/nginx-deployment")).containsPattern("(?m)^2\\s");
        kubectl.ok("rollout", "undo", "deployment/nginx-deployment");
        kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=180s");
        assertThat(kubectl.ok("get", "deployment", "nginx-deployment", "-o", "jsonpath={.spec.template.spec.containers[0].env}"))
                .as("the undo restores revision 1, which has no RELEASE").doesNotContain("RELEASE");

        kubectl.ok("delete", "service", "nginx-service");
        kubectl.ok("delete", "deployment", "nginx-deployment");
        kubectl.ok("wait", "--for=delete", "pod", "-l", "app=nginx", "--timeout=120s");
    }
}
