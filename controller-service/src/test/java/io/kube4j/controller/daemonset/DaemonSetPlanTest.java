package io.kube4j.controller.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonSetPlanTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** A set {@code selector=k=v strategy=OnDelete surge=1 unavailable=25% minReady=10}. */
    static DaemonSet set(String settings) {
        Map<String, String> s = Arrays.stream(settings.split(" ")).filter(x -> !x.isBlank())
                .collect(Collectors.toMap(x -> x.substring(0, x.indexOf('=')), x -> x.substring(x.indexOf('=') + 1)));
        var template = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build();
        if (s.containsKey("selector")) template.getSpec().setNodeSelector(Map.of(s.get("selector").split("=")[0], s.get("selector").split("=")[1]));
        var b = new DaemonSetBuilder().withApiVersion("apps/v1").withKind("DaemonSet")
                .withNewMetadata().withNamespace("default").withName("agent").withUid("ds-uid").withGeneration(3L).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector().withTemplate(template)
                .withMinReadySeconds(Integer.parseInt(s.getOrDefault("minReady", "0")))
                .withNewUpdateStrategy().withType(s.getOrDefault("strategy", "RollingUpdate")).endUpdateStrategy().endSpec();
        if (!"OnDelete".equals(s.get("strategy"))) {
            b.editSpec().editUpdateStrategy().withNewRollingUpdate()
                    .withMaxUnavailable(intOrPercent(s.getOrDefault("unavailable", "1")))
                    .withMaxSurge(intOrPercent(s.getOrDefault("surge", "0")))
                    .endRollingUpdate().endUpdateStrategy().endSpec();
        }
        return b.build();
    }

    static IntOrString intOrPercent(String v) {
        return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
    }

    static List<Node> nodes(String list) {
        return Arrays.stream(list.split(" ")).filter(x -> !x.isBlank()).map(NodeEligibilityTest::node).toList();
    }

    /**
     * Pods {@code node/rev/state[/ageMinutes]}: rev {@code new|old}; state {@code r} Running and Ready,
     * (since their creation), {@code n} Running not Ready, {@code F} Failed, {@code S} Succeeded, {@code D} being deleted,
     * {@code u} not yet bound (pinned by affinity only). Named {@code node-rev-i}.
     */
    static List<Pod> pods(String list) {
        List<Pod> pods = new ArrayList<>();
        if (list == null) return pods;
        int i = 0;
        for (String p : list.split(" ")) {
            if (p.isBlank()) continue;
            String[] f = p.split("/");
            int age = f.length > 3 ? Integer.parseInt(f[3]) : 60;
            var b = new PodBuilder().withNewMetadata().withNamespace("default").withName(f[0] + "-" + f[1] + "-" + i++).withUid("uid-" + i)
                    .withCreationTimestamp(NOW.minusSeconds(age * 60L).toString())
                    .addToLabels("app", "agent").addToLabels("controller-revision-hash", f[1]).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                    .withNewStatus().withPhase("Running").endStatus();
            Pod pod = b.build();
            pod.getSpec().setAffinity(DaemonPods.pinnedTo(null, f[0]));
            switch (f[2]) {
                case "r" -> ready(pod, NOW.minusSeconds(age * 60L));
                case "n" -> { }
                case "F" -> pod.getStatus().setPhase("Failed");
                case "S" -> pod.getStatus().setPhase("Succeeded");
                case "D" -> pod.getMetadata().setDeletionTimestamp(NOW.toString());
                case "u" -> pod.getStatus().setPhase("Pending");
                default -> throw new IllegalArgumentException(f[2]);
            }
            if (!f[2].equals("u")) pod.getSpec().setNodeName(f[0]);
            pods.add(pod);
        }
        return pods;
    }

    /** Ready since {@code since} (the test's pods are Ready from their creation). */
    static void ready(Pod pod, Instant since) {
        pod.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready").withStatus("True")
                .withLastTransitionTime(since.toString()).build()));
    }

    static String names(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName()).sorted().collect(Collectors.joining(","));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case | set | nodes | pods | create on | delete | force-removed
            "every node gets a pod | '' | a b c | - | a,b,c | '' | ''",
            "a node with its pod is left alone | '' | a b | a/new/r | b | '' | ''",
            "an unbound pod pinned to its node counts | '' | a | a/new/u | '' | '' | ''",
            "nodeSelector picks the nodes | selector=disk=ssd | a;disk=ssd b;disk=hdd | - | a | '' | ''",
            "a pod on a node that no longer matches goes | selector=disk=ssd | a;disk=hdd | a/new/r | '' | a-new-0 | ''",
            "an untolerated NoSchedule taint lets a pod stay | '' | a;;x=y:NoSchedule | a/new/r | '' | '' | ''",
            "an untolerated NoSchedule taint gets no new pod | '' | a;;x=y:NoSchedule | - | '' | '' | ''",
            "an untolerated NoExecute taint evicts | '' | a;;x=y:NoExecute | a/new/r | '' | a-new-0 | ''",
            "a deleted node's bound pod is removed at once | '' | a | a/new/r b/new/r | '' | '' | b-new-1",
            "a deleted node's unbound pod is deleted | '' | a | a/new/r b/new/u | '' | b-new-1 | ''",
            "a failed pod is deleted, replaced next pass | '' | a | a/new/F | '' | a-new-0 | ''",
            "a pod being deleted holds its node | '' | a | a/new/D | '' | '' | ''",
            "of two pods on a node the oldest stays | '' | a | a/new/r/10 a/new/r/20 | '' | a-new-0 | ''",
            "RollingUpdate replaces maxUnavailable old pods | unavailable=1 | a b c | a/old/r b/old/r c/old/r | '' | a-old-0 | ''",
            "RollingUpdate percentages round up | unavailable=50% | a b c | a/old/r b/old/r c/old/r | '' | a-old-0,b-old-1 | ''",
            "RollingUpdate waits for an unavailable new pod | unavailable=1 | a b c | a/new/n b/old/r c/old/r | '' | '' | ''",
            "RollingUpdate continues after an available new pod | unavailable=1 | a b c | a/new/r b/old/r c/old/r | '' | b-old-1 | ''",
            "RollingUpdate replaces unavailable old pods at once | unavailable=1 | a b c | a/new/n b/old/n c/old/r | '' | b-old-1 | ''",
            "minReadySeconds holds a new Ready pod unavailable | unavailable=1 minReady=120 | a b | a/new/r/1 b/old/r | '' | '' | ''",
            "OnDelete leaves old pods alone | strategy=OnDelete | a b | a/old/r b/old/r | '' | '' | ''",
            "OnDelete gives a node whose pod was deleted the new template | strategy=OnDelete | a b | a/old/r | b | '' | ''",
            "surge starts a new pod beside an old one | surge=1 unavailable=0 | a b | a/old/r b/old/r | a | '' | ''",
            "surge waits while the new pod is not available | surge=1 unavailable=0 | a b | a/old/r a/new/n/1 b/old/r | '' | '' | ''",
            "surge deletes the old pod once the new one is available | surge=1 unavailable=0 | a b | a/old/r a/new/r/1 b/old/r | '' | a-old-0 | ''",
            "surge replaces an unavailable old pod at once, beyond maxSurge | surge=1 unavailable=0 | a b | a/old/r a/new/n/1 b/old/n | b | '' | ''",
            "with surge an unready old pod beside a new one goes | surge=1 unavailable=0 | a | a/old/n a/new/n/1 | '' | a-old-0 | ''",
    })
    void plansOnePass(String name, String settings, String nodeList, String podList, String create, String delete, String force) {
        DaemonSet set = set(settings);
        var actions = DaemonSetPlan.plan(set, DaemonPods.specOf(set.getSpec().getTemplate()), nodes(nodeList), pods(podList), "new", NOW);
        assertThat(String.join(",", actions.createOn())).as("create on").isEqualTo(create);
        assertThat(names(actions.delete())).as("delete").isEqualTo(delete);
        assertThat(names(actions.force())).as("force").isEqualTo(force);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case | set | nodes | pods | desired/current/misscheduled/ready/available/updated/unavailable
            "none yet | '' | a b | - | 2/0/0/0/0/0/2",
            "all running the update | '' | a b | a/new/r b/new/r | 2/2/0/2/2/2/0",
            "half updated, one not ready | '' | a b | a/new/n b/old/r | 2/2/0/1/1/1/1",
            "a pod where it should not run is misscheduled | selector=disk=ssd | a;disk=ssd b | a/new/r b/new/r | 1/1/1/1/1/1/0",
            "minReadySeconds delays availability | minReady=60 | a | a/new/r/0 | 1/1/0/1/0/1/1",
            "the oldest pod of a node speaks for it | '' | a | a/old/r/50 a/new/n/1 | 1/1/0/1/1/0/0",
    })
    void countsStatus(String name, String settings, String nodeList, String podList, String counts) {
        DaemonSet set = set(settings);
        var status = DaemonSetPlan.status(set, DaemonPods.specOf(set.getSpec().getTemplate()), nodes(nodeList), pods(podList), "new", NOW);
        assertThat(status.getDesiredNumberScheduled() + "/" + status.getCurrentNumberScheduled() + "/" + status.getNumberMisscheduled() + "/"
                + status.getNumberReady() + "/" + status.getNumberAvailable() + "/" + status.getUpdatedNumberScheduled() + "/"
                + status.getNumberUnavailable()).isEqualTo(counts);
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
    }
}
