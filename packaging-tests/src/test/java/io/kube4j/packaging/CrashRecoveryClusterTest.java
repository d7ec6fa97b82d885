package io.kube4j.packaging;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.testcontainers.Kube4jCluster;
import io.kube4j.testcontainers.Kube4jExtension;
import io.kube4j.testcontainers.Kube4jNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service of the Testcontainers cluster killed with SIGKILL and started again, with nothing
 * lost: objects the gateway acknowledged (before and while the services are down) are all there
 * afterwards, the Deployment's replicas run again on both nodes, its Service answers at both
 * nodes, and a scale-up made afterwards is carried out.
 *
 * <p>Two waves, to keep the test short while every service is killed under a running rest:
 * first the state (etcd, Kafka, Redis) with the change-feed relay and the gateway, then the roles
 * (controllers, scheduler, node 2's container with its node agent, both proxy agents). The containers keep their
 * file systems (etcd's and Kafka's data) as a machine keeps its disk.
 */
@Kube4jNodes(2)
@ExtendWith({Kube4jImagesBuilt.class, Kube4jExtension.class})
class CrashRecoveryClusterTest {

    private static final String NAMESPACE = "tc-crash";

    @Test
    void everyServiceKilledAndRestartedLosesNothing(Kube4jCluster cluster, KubernetesClient client) throws Exception {
        EchoWorkload.createNamespace(client, NAMESPACE);
        // Spread evenly over the nodes, so that a scale to 4 puts two on each.
        var deployment = client.apps().deployments().inNamespace(NAMESPACE).resource(EchoWorkload.deployment("web", 2, spec -> spec
                .addNewTopologySpreadConstraint().withMaxSkew(1).withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("DoNotSchedule")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build())
                .endTopologySpreadConstraint())).create();
        Service service = client.services().inNamespace(NAMESPACE).resource(EchoWorkload.nodePortService("web")).create();
        EchoWorkload.awaitReady(client, NAMESPACE, "web", 2, Duration.ofMinutes(3));

        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            acknowledged.add(client.configMaps().inNamespace(NAMESPACE).resource(configMap("before-" + i)).create().getMetadata().getName());
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().name("acknowledged-writer").start(() -> write(cluster, acknowledged, writing));

        long wave = System.nanoTime();
        cluster.kill(cluster.etcd(), cluster.kafka(), cluster.redis(), cluster.relay(), cluster.gateway());
        cluster.restart(cluster.etcd(), cluster.kafka(), cluster.redis());
        cluster.restart(cluster.relay(), cluster.gateway());
        System.out.printf("etcd, Kafka, Redis, relay and gateway killed and healthy again in %d s%n", (System.nanoTime() - wave) / 1_000_000_000);

        wave = System.nanoTime();
        var node2 = cluster.nodes().get(1);
        List<GenericContainer<?>> roles = new ArrayList<>(List.of(cluster.controllers(), cluster.scheduler(), node2));
        roles.addAll(cluster.proxies());
        var killed = roles.toArray(GenericContainer<?>[]::new);
        cluster.kill(killed);
        cluster.restart(killed);
        System.out.printf("controllers, scheduler, node 2 and the proxy agents killed and healthy again in %d s%n",
                (System.nanoTime() - wave) / 1_000_000_000);
        writing.set(false);
        writer.join();

        // Every acknowledged object is there, unchanged.
        Map<String, ConfigMap> stored = client.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        List<String> written;
        synchronized (acknowledged) {
            written = List.copyOf(acknowledged);
        }
        assertThat(written.size()).as("objects acknowledged while services were down").isGreaterThan(20);
        assertThat(stored.keySet()).containsAll(written);
        assertThat(written).allSatisfy(name -> assertThat(stored.get(name).getData()).isEqualTo(Map.of("name", name)));
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("web").get().getMetadata().getUid())
                .isEqualTo(deployment.getMetadata().getUid());
        assertThat(client.services().inNamespace(NAMESPACE).withName("web").get().getMetadata().getUid())
                .isEqualTo(service.getMetadata().getUid());

        // The replicas run again, one on each node (node 2's was restarted with its container), and the Service answers at both nodes.
        EchoWorkload.awaitReady(client, NAMESPACE, "web", 2, Duration.ofMinutes(3));
        List<Pod> pods = EchoWorkload.pods(client, NAMESPACE, "web");
        assertThat(pods).hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
        assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(cluster.nodeNames().subList(0, 2));
        int nodePort = service.getSpec().getPorts().getFirst().getNodePort();
        Set<String> podNames = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
        for (String node : cluster.nodeNames().subList(0, 2)) {
            URI url = URI.create("http://" + EchoWorkload.internalIp(client, node) + ":" + nodePort + "/");
            assertThat(EchoWorkload.answering(url, podNames, 30, Duration.ofSeconds(90))).as("%s", url).isEqualTo(podNames);
        }

        // A change made after the restarts is carried out: scale to 4, two on each node.
        client.apps().deployments().inNamespace(NAMESPACE).withName("web").scale(4);
        EchoWorkload.awaitReady(client, NAMESPACE, "web", 4, Duration.ofMinutes(3));
        assertThat(EchoWorkload.pods(client, NAMESPACE, "web").stream()
                .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting())))
                .isEqualTo(Map.of(cluster.nodeNames().get(0), 2L, cluster.nodeNames().get(1), 2L));
        client.namespaces().withName(NAMESPACE).delete();
    }

    /**
     * Creates ConfigMaps one after another while {@code writing}, with a client of its own that
     * neither retries nor waits long, and records those the gateway acknowledged.
     */
    private static void write(Kube4jCluster cluster, List<String> acknowledged, AtomicBoolean writing) {
        Config config = new ConfigBuilder(Config.fromKubeconfig(cluster.kubeconfig()))
                .withRequestRetryBackoffLimit(0).withRequestTimeout(5_000).withConnectionTimeout(2_000).build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            for (int i = 0; writing.get(); i++) {
                String name = "during-" + i;
                try {
                    client.configMaps().inNamespace(NAMESPACE).resource(configMap(name)).create();
                    acknowledged.add(name);
                } catch (KubernetesClientException e) {
                    // Not acknowledged: the service that would have stored it is down.
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(Map.of("name", name)).build();
    }
}
