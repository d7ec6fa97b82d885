package io.kube4j.packaging;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.testcontainers.Kube4jCluster;
import io.kube4j.testcontainers.Kube4jExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube4j the way a user's tests get it: {@link Kube4jCluster} (Testcontainers) through
 * {@link Kube4jExtension}, driven with the fabric8 client it hands out — a Deployment's pods run
 * on the node containers and its NodePort Service answers at the first node's address.
 */
@ExtendWith({Kube4jImagesBuilt.class, Kube4jExtension.class})
class Kube4jClusterTest {

    private static final String NAMESPACE = "tc-e2e";

    @Test
    void aDeploymentsPodsRunAndItsServiceAnswers(Kube4jCluster cluster, KubernetesClient client) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        Map<String, String> labels = Map.of("app", "web");
        client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.22")
                .addNewPort().withContainerPort(80).endPort().endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        var service = client.services().inNamespace(NAMESPACE).resource(new ServiceBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withType("NodePort").withSelector(labels)
                .addNewPort().withPort(80).withTargetPort(new IntOrString(80)).endPort().endSpec().build()).create();

        client.apps().deployments().inNamespace(NAMESPACE).withName("web").waitUntilCondition(
                d -> d != null && d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
                3, TimeUnit.MINUTES);
        List<Pod> pods = client.pods().inNamespace(NAMESPACE).withLabels(labels).list().getItems();
        String nodeName = cluster.node().execInContainer("hostname").getStdout().strip();
        assertThat(cluster.nodeNames()).contains(nodeName);
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(cluster.nodeNames()).contains(pod.getSpec().getNodeName());
        });

        // The proxy agent in the first node's network namespace serves the Service's node port at
        // the node container's address, which the test's host reaches on the cluster's network.
        String nodeAddress = client.nodes().withName(nodeName).get().getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType())).findFirst().orElseThrow().getAddress();
        URI url = URI.create("http://" + nodeAddress + ":" + service.getSpec().getPorts().getFirst().getNodePort() + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String body = "";
        do {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                body = response.body();
                if (response.statusCode() == 200) break;
            } catch (IOException e) {
                body = e.toString();
            }
            Thread.sleep(1000);
        } while (Instant.now().isBefore(deadline));
        assertThat(body).as("%s", url).contains("Welcome to nginx!");
    }
}
