package io.kube4j.scheduler.e2e;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.service.SchedulerApplication;
import io.kube4j.scheduler.service.SchedulerRunner;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.TestClassesExcluded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static io.kube4j.scheduler.Objects.labels;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.requesting;
import static io.kube4j.scheduler.Objects.taint;
import static io.kube4j.scheduler.Objects.term;
import static io.kube4j.scheduler.Objects.toleration;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler service on the real stack (etcd, Kafka, the relay, the gateway): Nodes created through the API
 * (no agents), pods placed as Kubernetes would place them, bound through {@code pods/{name}/binding}, Events that
 * the real kubectl shows, cordon and uncordon with the real kubectl, and two replicas that never overcommit.
 *
 * <p>Each test uses its own namespace and its own nodes (a {@code suite} label its pods select), so the tests
 * do not see each other's pods; the node counts of FailedScheduling summaries count every node of the cluster.
 */
class SchedulerEndToEndTest {

    static LocalCluster cluster;
    static ConfigurableApplicationContext replicaA;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
        replicaA = startScheduler(cluster, "replica-a");
    }

    @AfterAll
    static void stop() {
        if (replicaA != null) replicaA.close();
        if (cluster != null) cluster.close();
    }

    static ConfigurableApplicationContext startScheduler(LocalCluster cluster, String replica) {
        return TestClassesExcluded.application(SchedulerApplication.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                // The gateway on the test class path prepares TLS files in any application's directory unless told not to.
                "--kube4j.gateway.tls.enabled=false",
                "--kube4j.scheduler.kubeconfig=" + cluster.kubeconfig(),
                "--kube4j.scheduler.kafka-bootstrap-servers=" + cluster.kafkaBootstrapServers(),
                "--kube4j.scheduler.partitions=" + LocalCluster.PARTITIONS,
                "--kube4j.scheduler.lease-duration=6s",
                "--kube4j.scheduler.replica-id=" + replica);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    static void namespace(String name) {
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    static Node suiteNode(String name, String suite, String cpu, String... labels) {
        Map<String, String> l = new HashMap<>(labels(labels));
        l.put("suite", suite);
        Node n = node(name, cpu, "8Gi", 110).editMetadata().withLabels(l).addToLabels("kubernetes.io/hostname", name).endMetadata().build();
        return cluster.client().nodes().resource(n).create();
    }

    static Pod create(Pod pod) {
        return cluster.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    static PodBuilder suitePod(String ns, String name, String suite, String cpu, String... labels) {
        return new PodBuilder(requesting(name, cpu, "100Mi", labels).build()).editMetadata().withNamespace(ns).endMetadata()
                .editSpec().withNodeSelector(Map.of("suite", suite)).endSpec();
    }

    static String nodeOf(String ns, String name) {
        Pod p = cluster.client().pods().inNamespace(ns).withName(name).get();
        return p == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
    }

    static List<Event> events(String ns, String pod) {
        return cluster.client().v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    @Test
    void podsLandWhereKubernetesWouldPutThem() throws Exception {
        namespace("place");
        suiteNode("place-a", "place", "4", "zone=a", "disk=hdd");
        suiteNode("place-b", "place", "4", "zone=b", "disk=ssd");
        Node tainted = node("place-c", "4", "8Gi", 110).editMetadata().addToLabels("suite", "place").addToLabels("zone", "c").endMetadata()
                .editSpec().withTaints(taint("dedicated", "gpu", "NoSchedule")).endSpec().build();
        cluster.client().nodes().resource(tainted).create();

        create(suitePod("place", "wants-ssd", "place", "100m").editSpec().addToNodeSelector("disk", "ssd").endSpec().build());
        create(suitePod("place", "gpu-job", "place", "100m").editSpec()
                .withTolerations(toleration("dedicated", "Equal", "gpu", "NoSchedule"))
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("c").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build());
        for (String name : List.of("web-1", "web-2")) {
            create(suitePod("place", name, "place", "100m", "app=web").editSpec().withNewAffinity().withNewPodAntiAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(term("kubernetes.io/hostname", "app=web"))
                    .endPodAntiAffinity().endAffinity().endSpec().build());
        }
        create(suitePod("place", "near-web", "place", "100m").editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("zone", "app=web"))
                .endPodAffinity().endAffinity().endSpec().build());

        await(() -> !nodeOf("place", "wants-ssd").isEmpty() && !nodeOf("place", "gpu-job").isEmpty()
                && !nodeOf("place", "web-1").isEmpty() && !nodeOf("place", "web-2").isEmpty()
                && !nodeOf("place", "near-web").isEmpty(), "every pod bound");
        assertThat(nodeOf("place", "wants-ssd")).isEqualTo("place-b");
        assertThat(nodeOf("place", "gpu-job")).isEqualTo("place-c");
        // The web pods avoid each other and the tainted node: one on a, one on b.
        assertThat(List.of(nodeOf("place", "web-1"), nodeOf("place", "web-2"))).containsExactlyInAnyOrder("place-a", "place-b");
        assertThat(nodeOf("place", "near-web")).isIn("place-a", "place-b");

        Pod bound = cluster.client().pods().inNamespace("place").withName("wants-ssd").get();
        assertThat(bound.getStatus().getConditions()).anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("True"));
        await(() -> !events("place", "wants-ssd").isEmpty(), "the Scheduled event");
        Event scheduled = events("place", "wants-ssd").getFirst();
        assertThat(scheduled.getReason()).isEqualTo("Scheduled");
        assertThat(scheduled.getType()).isEqualTo("Normal");
        assertThat(scheduled.getMessage()).isEqualTo("Successfully assigned place/wants-ssd to place-b");
        assertThat(scheduled.getSource().getComponent()).isEqualTo("default-scheduler");
        assertThat(scheduled.getReportingComponent()).isEqualTo("default-scheduler");
    }

    @Test
    void aFullNodeLeavesTheNextPodPendingWithFailedScheduling() throws Exception {
        namespace("full");
        suiteNode("full-a", "full", "2");
        create(suitePod("full", "big", "full", "1500m").build());
        await(() -> nodeOf("full", "big").equals("full-a"), "big bound");
        create(suitePod("full", "next", "full", "1").build());
        await(() -> events("full", "next").stream().anyMatch(e -> "FailedScheduling".equals(e.getReason())), "FailedScheduling");
        Event failed = events("full", "next").stream().filter(e -> "FailedScheduling".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(failed.getType()).isEqualTo("Warning");
        // The other tests' nodes, when they exist, fail on the nodeSelector.
        // Preemption finds no lower-priority pod on the full node and is of no use on the others, as kube-scheduler says.
        assertThat(failed.getMessage()).matches(
                "0/\\d+ nodes are available: 1 Insufficient cpu(, \\d+ node\\(s\\) didn't match Pod's node affinity/selector)?\\."
                        + " preemption: 0/\\d+ nodes are available: 1 No preemption victims found for incoming pod"
                        + "(, \\d+ Preemption is not helpful for scheduling)?\\.");
        assertThat(nodeOf("full", "next")).isEmpty();
        await(() -> {
            Pod p = cluster.client().pods().inNamespace("full").withName("next").get();
            return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("PodScheduled") && c.getStatus().equals("False") && "Unschedulable".equals(c.getReason()));
        }, "PodScheduled=False, Unschedulable");
        String describe = cluster.kubectl().ok("describe", "pod", "next", "-n", "full");
        assertThat(describe).contains("FailedScheduling").contains("Insufficient cpu").contains("default-scheduler");

        // Room is made: the waiting pod is retried on the deletion, not on a timer.
        cluster.client().pods().inNamespace("full").withName("big").withGracePeriod(0).delete();
        await(() -> nodeOf("full", "next").equals("full-a"), "next bound after big went away");
    }

    @Test
    void aHigherPriorityPodPreemptsTheFewestLowerPriorityPodsSparingThoseABudgetGuards() throws Exception {
        namespace("preempt");
        cluster.kubectl().ok("create", "priorityclass", "preempt-high", "--value=1000");
        cluster.kubectl().ok("create", "priorityclass", "preempt-polite", "--value=1000", "--preemption-policy=Never");
        suiteNode("preempt-a", "preempt", "2");
        for (String low : List.of("low-1", "low-2")) {
            create(suitePod("preempt", low, "preempt", "1", "app=" + low).editSpec().withTerminationGracePeriodSeconds(0L).endSpec().build());
        }
        await(() -> boundIn("preempt").size() == 2, "the low-priority pods fill the node");
        // A budget that allows no disruption (no disruption controller runs here to raise it) guards low-2:
        // of two otherwise equal victims, preemption takes the unguarded one (without the budget, low-1 placed
        // first counts as the more important and low-2 would go).
        cluster.kubectl().ok("create", "poddisruptionbudget", "guard", "-n", "preempt", "--selector=app=low-2", "--min-available=1");

        // preemptionPolicy Never: the pod waits and says why it does not make room.
        create(suitePod("preempt", "polite", "preempt", "1").editSpec().withPriorityClassName("preempt-polite").endSpec().build());
        await(() -> events("preempt", "polite").stream().anyMatch(e -> "FailedScheduling".equals(e.getReason())
                && e.getMessage().endsWith("preemption: not eligible due to preemptionPolicy=Never.")), "polite waits");
        assertThat(boundIn("preempt")).containsOnlyKeys("low-1", "low-2");
        cluster.client().pods().inNamespace("preempt").withName("polite").withGracePeriod(0).delete();
        await(() -> cluster.client().pods().inNamespace("preempt").withName("polite").get() == null, "polite gone");

        Pod urgent = create(suitePod("preempt", "urgent", "preempt", "1").editSpec().withPriorityClassName("preempt-high").endSpec().build());
        assertThat(urgent.getSpec().getPriority()).as("the gateway resolves the PriorityClass").isEqualTo(1000);
        await(() -> nodeOf("preempt", "urgent").equals("preempt-a"), "urgent bound once room was made");
        Map<String, String> bound = boundIn("preempt");
        assertThat(bound).as("one victim is enough, and not the one a budget guards").containsOnlyKeys("urgent", "low-2");
        String victim = "low-1";
        assertThat(cluster.client().pods().inNamespace("preempt").withName(victim).get()).isNull();
        await(() -> events("preempt", victim).stream().anyMatch(e -> "Preempted".equals(e.getReason())), "the Preempted event");
        Event preempted = events("preempt", victim).stream().filter(e -> "Preempted".equals(e.getReason())).findFirst().orElseThrow();
        assertThat(preempted.getType()).isEqualTo("Normal");
        assertThat(preempted.getMessage()).isEqualTo("Preempted by pod " + urgent.getMetadata().getUid() + " on node preempt-a");
        Pod placed = cluster.client().pods().inNamespace("preempt").withName("urgent").get();
        assertThat(placed.getStatus().getNominatedNodeName()).isEqualTo("preempt-a");
    }

    @Test
    void aHigherPriorityPodPreemptsTheLowerPriorityPodItsAntiAffinityAvoids() throws Exception {
        namespace("antipre");
        cluster.kubectl().ok("create", "priorityclass", "antipre-high", "--value=1000");
        suiteNode("antipre-a", "antipre", "4");
        create(suitePod("antipre", "db", "antipre", "100m", "app=db").editSpec().withTerminationGracePeriodSeconds(0L).endSpec().build());
        await(() -> nodeOf("antipre", "db").equals("antipre-a"), "db bound");

        // The node has room to spare: only the anti-affinity to db keeps the pod off it, and db is worth less.
        create(suitePod("antipre", "lonely", "antipre", "100m").editSpec().withPriorityClassName("antipre-high")
                .withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("kubernetes.io/hostname", "app=db"))
                .endPodAntiAffinity().endAffinity().endSpec().build());
        await(() -> nodeOf("antipre", "lonely").equals("antipre-a"), "lonely bound once db was preempted");
        assertThat(cluster.client().pods().inNamespace("antipre").withName("db").get()).isNull();
        await(() -> events("antipre", "db").stream().anyMatch(e -> "Preempted".equals(e.getReason())), "the Preempted event");
    }

    @Test
    void cordonThenUncordonRetriesTheWaitingPod() throws Exception {
        namespace("cordon");
        suiteNode("cordon-a", "cordon", "2");
        cluster.kubectl().ok("cordon", "cordon-a");
        create(suitePod("cordon", "waits", "cordon", "100m").build());
        await(() -> events("cordon", "waits").stream().anyMatch(e -> "FailedScheduling".equals(e.getReason())
                && e.getMessage().contains("1 node(s) were unschedulable")), "FailedScheduling on the cordoned node");
        assertThat(nodeOf("cordon", "waits")).isEmpty();
        cluster.kubectl().ok("uncordon", "cordon-a");
        await(() -> nodeOf("cordon", "waits").equals("cordon-a"), "the pod bound after uncordon");
    }

    @Test
    void twoReplicasNeverOvercommitAndTheSecondTakesOver() throws Exception {
        namespace("ha");
        ConfigurableApplicationContext replicaB = startScheduler(cluster, "replica-b");
        try {
            suiteNode("ha-a", "ha", "4");
            for (int i = 0; i < 8; i++) create(suitePod("ha", "p" + i, "ha", "1").build());
            await(() -> boundIn("ha").size() == 4, "four pods bound");
            Thread.sleep(3000); // time for a second scheduler to (wrongly) bind more
            Map<String, String> bound = boundIn("ha");
            assertThat(bound).hasSize(4).allSatisfy((pod, node) -> assertThat(node).isEqualTo("ha-a"));
            long requested = cluster.client().pods().inNamespace("ha").list().getItems().stream()
                    .filter(p -> "ha-a".equals(p.getSpec().getNodeName()))
                    .mapToLong(p -> io.kube4j.scheduler.framework.Resource.amount("cpu",
                            p.getSpec().getContainers().getFirst().getResources().getRequests().get("cpu")))
                    .sum();
            assertThat(requested).isLessThanOrEqualTo(4000);
            assertThat(replicaA.getBean(SchedulerRunner.class).isScheduling()
                    ^ replicaB.getBean(SchedulerRunner.class).isScheduling()).as("exactly one replica schedules").isTrue();

            // The leader goes away: the other takes the Lease and places what waits once there is room.
            boolean aLed = replicaA.getBean(SchedulerRunner.class).isScheduling();
            ConfigurableApplicationContext leader = aLed ? replicaA : replicaB;
            ConfigurableApplicationContext follower = aLed ? replicaB : replicaA;
            leader.close();
            if (aLed) replicaA = replicaB; else replicaB = null;
            String gone = bound.keySet().iterator().next();
            cluster.client().pods().inNamespace("ha").withName(gone).withGracePeriod(0).delete();
            await(() -> follower.getBean(SchedulerRunner.class).isScheduling(), "the other replica leads");
            await(() -> boundIn("ha").size() == 4 && !boundIn("ha").containsKey(gone), "a waiting pod bound by the new leader");
        } finally {
            if (replicaB != null && replicaB != replicaA) replicaB.close();
        }
    }

    static Map<String, String> boundIn(String ns) {
        return cluster.client().pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty())
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getSpec().getNodeName()));
    }
}
