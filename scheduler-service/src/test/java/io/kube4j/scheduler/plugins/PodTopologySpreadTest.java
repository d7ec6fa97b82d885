package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.plugins.podtopologyspread.PodTopologySpread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.labels;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static io.kube4j.scheduler.Objects.selector;
import static org.assertj.core.api.Assertions.assertThat;

/** PodTopologySpread: skew per domain, minDomains, inclusion policies, missing labels, and the spreading score. */
class PodTopologySpreadTest {

    private static final String SKEW = PodTopologySpread.REASON;
    private static final String MISSING = PodTopologySpread.MISSING_LABEL_REASON;

    static TopologySpreadConstraintBuilder constraint(String key, int maxSkew, String when) {
        return new TopologySpreadConstraintBuilder().withTopologyKey(key).withMaxSkew(maxSkew)
                .withWhenUnsatisfiable(when).withLabelSelector(selector("app=web"));
    }

    static Pod spread(TopologySpreadConstraint... constraints) {
        return new PodBuilder(pod("p", "app=web")).editSpec().withTopologySpreadConstraints(constraints).endSpec().build();
    }

    /** z1 = {a (2 web pods), b (1)}, z2 = {c (0), d (1 web in another namespace... counted not)}; e has no zone. */
    static List<NodeInfo> cluster() {
        Pod otherNs = new PodBuilder(pod("w4", "app=web")).editMetadata().withNamespace("other").endMetadata().build();
        return List.of(
                nodeInfo(node("a", "zone=z1"), pod("w1", "app=web"), pod("w2", "app=web"), pod("x", "app=db")),
                nodeInfo(node("b", "zone=z1"), pod("w3", "app=web")),
                nodeInfo(node("c", "zone=z2")),
                nodeInfo(node("d", "zone=z2"), otherNs),
                nodeInfo(node("e")));
    }

    record Case(String name, Pod pod, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // zone counts: z1 3, z2 0 → min 0; z1 would be 4 - 0 = 4 > 1; z2 1 ≤ 1
                new Case("zone, maxSkew 1", spread(constraint("zone", 1, "DoNotSchedule").build()),
                        Map.of("a", SKEW, "b", SKEW, "c", "", "d", "", "e", MISSING)),
                new Case("zone, maxSkew 4", spread(constraint("zone", 4, "DoNotSchedule").build()),
                        Map.of("a", "", "b", "", "c", "", "d", "", "e", MISSING)),
                // hostname counts: a 2, b 1, c 0, d 0, e 0 → min 0; a 3 > 1, b 2 > 1
                new Case("hostname, maxSkew 1", spread(constraint("kubernetes.io/hostname", 1, "DoNotSchedule").build()),
                        Map.of("a", SKEW, "b", SKEW, "c", "", "d", "", "e", "")),
                new Case("ScheduleAnyway never filters", spread(constraint("zone", 1, "ScheduleAnyway").build()),
                        Map.of("a", "", "b", "", "c", "", "d", "", "e", "")),
                // only z1 counts as a domain, fewer than minDomains 2 → min 0: z1 3+1 > 3
                new Case("minDomains above the domain count with nodeAffinity honoured",
                        new PodBuilder(spread(constraint("zone", 3, "DoNotSchedule").withMinDomains(2).build()))
                                .editSpec().withNodeSelector(labels("zone=z1")).endSpec().build(),
                        Map.of("a", SKEW, "b", SKEW, "c", "", "d", "", "e", MISSING)),
                // with nodeAffinityPolicy Honor (default) only z1 is a domain: min 3, z1 4 - 3 = 1 ≤ 1
                new Case("nodeSelector narrows the domains by default",
                        new PodBuilder(spread(constraint("zone", 1, "DoNotSchedule").build()))
                                .editSpec().withNodeSelector(labels("zone=z1")).endSpec().build(),
                        Map.of("a", "", "b", "", "c", "", "d", "", "e", MISSING)),
                new Case("nodeAffinityPolicy Ignore counts every domain",
                        new PodBuilder(spread(constraint("zone", 1, "DoNotSchedule").withNodeAffinityPolicy("Ignore").build()))
                                .editSpec().withNodeSelector(labels("zone=z1")).endSpec().build(),
                        Map.of("a", SKEW, "b", SKEW, "c", "", "d", "", "e", MISSING)),
                // a pod that does not match its own selector adds nothing: z1 3 - 0 > 2
                new Case("a pod outside its own selector", new PodBuilder(spread(constraint("zone", 2, "DoNotSchedule").build()))
                        .editMetadata().withLabels(Map.of("app", "other")).endMetadata().build(),
                        Map.of("a", SKEW, "b", SKEW, "c", "", "d", "", "e", MISSING))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(Case c) {
        assertThat(PluginHarness.reasons(new PodTopologySpread(), c.pod(), cluster())).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void takingAPodOffThroughTheExtensionsCountsAsIfItWereNeverThere(Case c) {
        PodTopologySpread plugin = new PodTopologySpread();
        List<NodeInfo> nodes = cluster();
        for (NodeInfo n : nodes) {
            for (PodInfo p : n.pods()) {
                List<Map<String, String>> after = PluginHarness.reasonsWithoutThenWith(plugin, c.pod(), nodes, n.name(), p.key());
                assertThat(after.get(0)).as("without " + p).isEqualTo(PluginHarness.reasons(plugin, c.pod(),
                        PluginHarness.without(nodes, n.name(), p.key())));
                assertThat(after.get(1)).as("with " + p + " back").isEqualTo(c.expected());
            }
        }
    }

    @Test
    void nodeTaintsPolicyHonorLeavesTaintedNodesOut() {
        List<NodeInfo> nodes = List.of(
                nodeInfo(node("a", "zone=z1"), pod("w1", "app=web")),
                nodeInfo(node("b", "4", "8Gi", 110, "zone=z2").editSpec()
                        .withTaints(io.kube4j.scheduler.Objects.taint("k", "v", "NoSchedule")).endSpec().build()));
        // Ignore (default): z2 has 0 → min 0, a would be 2 > 1
        assertThat(PluginHarness.reasons(new PodTopologySpread(), spread(constraint("zone", 1, "DoNotSchedule").build()), nodes))
                .containsEntry("a", SKEW);
        // Honor: z2 is not a domain → min 1, a would be 2 - 1 = 1
        assertThat(PluginHarness.reasons(new PodTopologySpread(),
                spread(constraint("zone", 1, "DoNotSchedule").withNodeTaintsPolicy("Honor").build()), nodes))
                .containsEntry("a", "");
    }

    @Test
    void scoreFavoursTheLeastCrowdedDomain() {
        List<NodeInfo> nodes = cluster().subList(0, 4);
        // zone counts z1 3, z2 0; weight ln(2 + 2); raw a,b = round(3 * 1.386) = 4, c,d = 0
        // normalised: 100 * (max + min - s) / max → a,b 0, c,d 100
        assertThat(PluginHarness.score(new PodTopologySpread(), spread(constraint("zone", 1, "ScheduleAnyway").build()), nodes))
                .containsExactly(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("c", 100L), Map.entry("d", 100L));
    }

    @Test
    void scoreByHostnameCountsEachNode() {
        List<NodeInfo> nodes = cluster().subList(0, 4);
        // counts a 2, b 1, c 0, d 0; weight ln(4 + 2) = 1.79; raw a 4, b 2, c 0, d 0; max 4, min 0
        assertThat(PluginHarness.score(new PodTopologySpread(),
                spread(constraint("kubernetes.io/hostname", 1, "ScheduleAnyway").build()), nodes))
                .containsExactly(Map.entry("a", 0L), Map.entry("b", 50L), Map.entry("c", 100L), Map.entry("d", 100L));
    }

    @Test
    void scoreIgnoresNodesWithoutTheKey() {
        Map<String, Long> scores = PluginHarness.score(new PodTopologySpread(),
                spread(constraint("zone", 1, "ScheduleAnyway").build()), cluster());
        assertThat(scores).containsEntry("e", 0L).containsEntry("c", 100L);
    }

    @Test
    void matchLabelKeysNarrowTheSelectorToThePodsOwnValues() {
        List<NodeInfo> nodes = List.of(
                nodeInfo(node("a", "zone=z1"), pod("v1", "app=web", "rev=1"), pod("v2", "app=web", "rev=1")),
                nodeInfo(node("b", "zone=z2")));
        Pod p = new PodBuilder(spread(constraint("zone", 1, "DoNotSchedule").withMatchLabelKeys("rev").build()))
                .editMetadata().addToLabels("rev", "2").endMetadata().build();
        // only rev=2 pods count: z1 0, z2 0 → both fit
        assertThat(PluginHarness.reasons(new PodTopologySpread(), p, nodes)).containsEntry("a", "").containsEntry("b", "");
        // an unrelated selector requirement value keeps the old count
        assertThat(PluginHarness.reasons(new PodTopologySpread(), spread(constraint("zone", 1, "DoNotSchedule").build()), nodes))
                .containsEntry("a", SKEW);
    }

    @Test
    void requiredNodeAffinityAlsoNarrowsDomains() {
        Pod p = new PodBuilder(spread(constraint("zone", 1, "DoNotSchedule").build())).editSpec().withNewAffinity()
                .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("zone").withOperator("In").withValues("z1").build())
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity()
                .endSpec().build();
        assertThat(PluginHarness.reasons(new PodTopologySpread(), p, cluster())).containsEntry("a", "").containsEntry("b", "");
    }
}
