package io.kube4j.packaging;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.testcontainers.Kube4jCluster;
import io.kube4j.testsupport.Kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What the suites on the Testcontainers cluster run and how they probe it: a Deployment of busybox
 * HTTP servers that answer with their pod's name (so a reply tells which pod, hence which node,
 * served it) behind a NodePort Service, and the node addresses and HTTP calls that reach it.
 */
final class EchoWorkload {

    static final String BUSYBOX = "busybox:1.35";
    static final int PORT = 8080;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EchoWorkload() {
    }

    static void createNamespace(KubernetesClient client, String namespace) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }

    /**
     * The Deployment {@code name} (pods labelled {@code app=name}); {@code placement} adds affinity or
     * spread constraints to its pod spec.
     */
    static Deployment deployment(String name, int replicas, UnaryOperator<PodSpecBuilder> placement) {
        Map<String, String> labels = Map.of("app", name);
        var podSpec = new PodSpecBuilder()
                .addNewContainer().withName("echo").withImage(BUSYBOX)
                .withCommand("sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p " + PORT + " -h /www")
                .addNewPort().withContainerPort(PORT).endPort()
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(PORT)).endTcpSocket()
                .withPeriodSeconds(2).endReadinessProbe()
                .endContainer()
                .withTerminationGracePeriodSeconds(2L);
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withSpec(new DeploymentSpecBuilder().withReplicas(replicas)
                        .withNewSelector().withMatchLabels(labels).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                        .withSpec(placement.apply(podSpec).build()).endTemplate().build())
                .build();
    }

    static Service nodePortService(String name) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withType("NodePort").withSelector(Map.of("app", name))
                .addNewPort().withPort(80).withTargetPort(new IntOrString(PORT)).endPort().endSpec().build();
    }

    static void awaitReady(KubernetesClient client, String namespace, String deployment, int replicas, Duration timeout) {
        client.apps().deployments().inNamespace(namespace).withName(deployment).waitUntilCondition(d -> d != null
                        && d.getStatus() != null && Integer.valueOf(replicas).equals(d.getStatus().getReadyReplicas())
                        && Integer.valueOf(replicas).equals(d.getStatus().getReplicas()),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static List<Pod> pods(KubernetesClient client, String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static String internalIp(KubernetesClient client, String nodeName) {
        return client.nodes().withName(nodeName).get().getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType())).findFirst().orElseThrow().getAddress();
    }

    /**
     * The pod names that answer {@code url} (whose body is a pod's name) within {@code attempts}
     * calls, stopping early once {@code expected} have all answered; failed calls are retried
     * (a second apart) until {@code timeout}.
     */
    static Set<String> answering(URI url, Set<String> expected, int attempts, Duration timeout) throws InterruptedException {
        Set<String> seen = new HashSet<>();
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        int answered = 0;
        while (answered < attempts && !seen.containsAll(expected) && Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200) {
                    seen.add(response.body().strip());
                    answered++;
                    continue;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(1000);
        }
        if (seen.isEmpty()) throw new AssertionError("no answer from " + url + " within " + timeout + ": " + last);
        return seen;
    }

    /** The real kubectl on the cluster's kubeconfig, written under {@code dir}. */
    static Kubectl kubectl(Kube4jCluster cluster, Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("kubeconfig");
            Files.writeString(file, cluster.kubeconfig());
            return Kubectl.forKubeconfig(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls {@code attempt} (a second apart) until {@code done} holds or {@code timeout} passes; returns the last result. */
    static <T> T eventually(Duration timeout, Attempt<T> attempt, Predicate<T> done) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        T last = attempt.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            last = attempt.get();
        }
        return last;
    }

    @FunctionalInterface
    interface Attempt<T> {
        T get() throws Exception;
    }
}
