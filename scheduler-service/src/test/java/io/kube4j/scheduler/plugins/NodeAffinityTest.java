package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.plugins.nodeaffinity.NodeAffinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.edit;
import static io.kube4j.scheduler.Objects.labels;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** NodeAffinity: nodeSelector and required/preferred node affinity with every operator. */
class NodeAffinityTest {

    private static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    /** Nodes: a (zone=z1, gpu=2), b (zone=z2, gpu=8), c (no zone, no gpu). */
    private static final List<NodeInfo> NODES = List.of(
            nodeInfo(node("a", "zone=z1", "gpu=2")), nodeInfo(node("b", "zone=z2", "gpu=8")), nodeInfo(node("c")));

    record Case(String name, Pod pod, List<String> fitting) {
        @Override
        public String toString() {
            return name;
        }
    }

    static NodeSelectorRequirement expr(String key, String op, String... values) {
        return new NodeSelectorRequirementBuilder().withKey(key).withOperator(op).withValues(values).build();
    }

    static NodeSelectorTerm termOf(NodeSelectorRequirement... exprs) {
        return new NodeSelectorTermBuilder().withMatchExpressions(exprs).build();
    }

    static Pod required(NodeSelectorTerm... terms) {
        return edit(pod("p"), b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec()).build();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing asked: every node", pod("p"), List.of("a", "b", "c")),
                new Case("nodeSelector zone=z1", edit(pod("p"), b -> b.editSpec().withNodeSelector(labels("zone=z1")).endSpec()).build(), List.of("a")),
                new Case("nodeSelector on a missing label", edit(pod("p"), b -> b.editSpec().withNodeSelector(labels("disk=ssd")).endSpec()).build(), List.of()),
                new Case("In", required(termOf(expr("zone", "In", "z1", "z2"))), List.of("a", "b")),
                new Case("NotIn matches nodes without the label", required(termOf(expr("zone", "NotIn", "z1"))), List.of("b", "c")),
                new Case("Exists", required(termOf(expr("zone", "Exists"))), List.of("a", "b")),
                new Case("DoesNotExist", required(termOf(expr("zone", "DoesNotExist"))), List.of("c")),
                new Case("Gt", required(termOf(expr("gpu", "Gt", "4"))), List.of("b")),
                new Case("Lt", required(termOf(expr("gpu", "Lt", "4"))), List.of("a")),
                new Case("expressions of a term are ANDed", required(termOf(expr("zone", "Exists"), expr("gpu", "Lt", "4"))), List.of("a")),
                new Case("terms are ORed", required(termOf(expr("zone", "In", "z2")), termOf(expr("zone", "DoesNotExist"))), List.of("b", "c")),
                new Case("an empty term matches nothing", required(new NodeSelectorTerm()), List.of()),
                new Case("matchFields metadata.name", required(new NodeSelectorTermBuilder()
                        .withMatchFields(expr("metadata.name", "In", "c")).build()), List.of("c")),
                new Case("nodeSelector and affinity must both match", edit(required(termOf(expr("zone", "Exists"))),
                        b -> b.editSpec().withNodeSelector(labels("gpu=8")).endSpec()).build(), List.of("b"))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(Case c) {
        Map<String, String> reasons = PluginHarness.reasons(new NodeAffinity(), c.pod(), NODES);
        reasons.forEach((node, reason) ->
                assertThat(reason).as(node).isEqualTo(c.fitting().contains(node) ? "" : REASON));
    }

    @Test
    void preferredTermsScoreBySumOfWeightsNormalisedToTheBest() {
        Pod p = edit(pod("p"), b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new PreferredSchedulingTermBuilder().withWeight(20).withPreference(termOf(expr("zone", "Exists"))).build(),
                        new PreferredSchedulingTermBuilder().withWeight(60).withPreference(termOf(expr("gpu", "Gt", "4"))).build())
                .endNodeAffinity().endAffinity().endSpec()).build();
        // raw: a 20, b 80, c 0 → normalised by 80
        assertThat(PluginHarness.score(new NodeAffinity(), p, NODES)).containsExactly(
                Map.entry("a", 25L), Map.entry("b", 100L), Map.entry("c", 0L));
    }
}
