package io.kube4j.packaging;

import io.kube4j.testsupport.Kubectl;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's day-one walkthrough, driven by the real kubectl against any kube4j cluster:
 * Deployment, NodePort Service served at once, scale to 4, a rolling update while a client calls
 * the Service with no failed request, rollout history and undo, delete. Every way of deploying
 * kube4j (the launcher, docker compose) runs this same walkthrough.
 */
final class DayOneWalkthrough {

    static final int NODE_PORT = 32600;

    private DayOneWalkthrough() {
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

    /**
     * Runs the walkthrough in kubectl's current namespace, which must hold no nginx-deployment or
     * nginx-service; the Service's node port is called at {@code nodeAddress}.
     */
    static void passes(Kubectl kubectl, String nodeAddress) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + nodeAddress + ":" + NODE_PORT + "/"))
                .timeout(Duration.ofSeconds(5)).build();

        kubectl.runWithInput(DEPLOYMENT, "apply", "-f", "-");
        kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=120s");
        kubectl.runWithInput(SERVICE, "apply", "-f", "-");
        // At once, as a user would: the first connection must be served, not refused. Its SYN may
        // come before the Service's endpoints reach the proxy; the kernel retries it at 1 s and 3 s.
        HttpClient first = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(first.send(get, HttpResponse.BodyHandlers.ofString()).body()).contains("nginx");

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
