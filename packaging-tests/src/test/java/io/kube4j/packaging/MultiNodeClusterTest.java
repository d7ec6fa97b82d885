package io.kube4j.packaging;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.testcontainers.Kube4jCluster;
import io.kube4j.testcontainers.Kube4jExtension;
import io.kube4j.testcontainers.Kube4jNodes;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of the Testcontainers cluster, each its own container with its own containerd, podCIDR
 * and proxy agent: a Deployment with pod anti-affinity gets one replica on each; the proxy agents
 * route each other's podCIDR through the other's InternalIP; a pod on node 1 reaches the pod on
 * node 2 by its IP and the Service's ClusterIP reaches both; the NodePort answers at both nodes'
 * addresses with either pod behind it.
 */
@Kube4jNodes(2)
@ExtendWith({Kube4jImagesBuilt.class, Kube4jExtension.class})
class MultiNodeClusterTest {

    private static final String NAMESPACE = "tc-multinode";

    @Test
    void oneReplicaPerNodeAndServiceTrafficCrossesNodes(Kube4jCluster cluster, KubernetesClient client, @TempDir Path dir)
            throws Exception {
        List<String> nodes = cluster.nodeNames().subList(0, 2);
        EchoWorkload.createNamespace(client, NAMESPACE);
        client.apps().deployments().inNamespace(NAMESPACE).resource(EchoWorkload.deployment("echo", 2, spec -> spec
                .withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "echo")).build())
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity())).create();
        Service service = client.services().inNamespace(NAMESPACE).resource(EchoWorkload.nodePortService("echo")).create();
        // The client pod on node 1.
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName("client").endMetadata()
                .withNewSpec().withNodeSelector(Map.of("kubernetes.io/hostname", nodes.get(0)))
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("client").withImage(EchoWorkload.BUSYBOX).withCommand("sleep", "3600").endContainer()
                .endSpec().build()).create();

        EchoWorkload.awaitReady(client, NAMESPACE, "echo", 2, Duration.ofMinutes(3));
        client.pods().inNamespace(NAMESPACE).withName("client").waitUntilCondition(
                p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()), 2, TimeUnit.MINUTES);

        List<Pod> pods = EchoWorkload.pods(client, NAMESPACE, "echo");
        Map<String, Pod> byNode = pods.stream().collect(Collectors.toMap(p -> p.getSpec().getNodeName(), p -> p));
        assertThat(byNode.keySet()).as("one replica on each node").containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(pods).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
        Set<String> podNames = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
        Pod remote = byNode.get(nodes.get(1));
        assertThat(remote.getStatus().getPodIP()).as("node 2's pod has an address of its podCIDR")
                .startsWith(Kube4jCluster.podCidr(2).replace("0/24", ""));

        // Each node's proxy agent routes the other node's podCIDR through its InternalIP (its own routes, proto 148).
        for (int i = 0; i < 2; i++) {
            int other = 1 - i;
            String expected = Kube4jCluster.podCidr(other + 1) + " via " + EchoWorkload.internalIp(client, nodes.get(other));
            var node = cluster.nodes().get(i);
            String routes = EchoWorkload.eventually(Duration.ofSeconds(30),
                    () -> node.execInContainer("ip", "-4", "route", "show", "proto", "148").getStdout(), r -> r.contains(expected));
            assertThat(routes).as("routes on %s", nodes.get(i)).contains(expected);
        }

        Kubectl kubectl = EchoWorkload.kubectl(cluster, dir);
        // Pod to pod across nodes, by pod IP (no NAT in between: the CNI bridge does not masquerade).
        String direct = EchoWorkload.eventually(Duration.ofSeconds(30), () -> kubectl.run("exec", "-n", NAMESPACE, "client", "--",
                "timeout", "5", "wget", "-q", "-O", "-", "http://" + remote.getStatus().getPodIP() + ":" + EchoWorkload.PORT + "/"),
                Kubectl.Result::ok).out();
        assertThat(direct.strip()).isEqualTo(remote.getMetadata().getName());

        // Through the ClusterIP from node 1: both pods answer, the one on node 2 among them.
        String clusterIp = service.getSpec().getClusterIP();
        // (The proxy may still be taking in the endpoint that just became ready: rounds of 24 calls until both answer.)
        Set<String> answered = EchoWorkload.eventually(Duration.ofSeconds(30), () -> kubectl.ok("exec", "-n", NAMESPACE, "client", "--",
                        "sh", "-c", "for i in $(seq 24); do timeout 5 wget -q -O - http://" + clusterIp + "/; done")
                .lines().map(String::strip).collect(Collectors.toCollection(TreeSet::new)), podNames::equals);
        assertThat(answered).as("pods answering %s from node 1", clusterIp).isEqualTo(podNames);

        // The NodePort at each node's address, from the test's host: either pod answers behind either node.
        int nodePort = service.getSpec().getPorts().getFirst().getNodePort();
        for (String node : nodes) {
            URI url = URI.create("http://" + EchoWorkload.internalIp(client, node) + ":" + nodePort + "/");
            assertThat(EchoWorkload.answering(url, podNames, 30, Duration.ofSeconds(60))).as("%s", url).isEqualTo(podNames);
        }
        client.namespaces().withName(NAMESPACE).delete();
    }
}
