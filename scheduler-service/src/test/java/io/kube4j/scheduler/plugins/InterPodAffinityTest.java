package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.kube4j.scheduler.cache.Snapshot;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.plugins.interpodaffinity.InterPodAffinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static io.kube4j.scheduler.Objects.term;
import static org.assertj.core.api.Assertions.assertThat;

/** InterPodAffinity: required affinity and anti-affinity both ways, namespaces, and preferred scores. */
class InterPodAffinityTest {

    private static final String AFF = InterPodAffinity.AFFINITY_REASON;
    private static final String ANTI = InterPodAffinity.ANTI_AFFINITY_REASON;
    private static final String EXISTING = InterPodAffinity.EXISTING_ANTI_AFFINITY_REASON;

    static Pod withAffinity(Pod pod, List<PodAffinityTerm> affinity, List<PodAffinityTerm> anti) {
        return new PodBuilder(pod).editSpec().withNewAffinity()
                .withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(affinity).endPodAffinity()
                .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(anti).endPodAntiAffinity()
                .endAffinity().endSpec().build();
    }

    static Pod inNamespace(Pod pod, String ns) {
        return new PodBuilder(pod).editMetadata().withNamespace(ns).endMetadata().build();
    }

    /**
     * Zones: z1 = {a, b}, z2 = {c}; d has no zone label. A pod app=db runs on a; a pod app=web in namespace
     * other runs on c.
     */
    static List<NodeInfo> cluster(Pod... extraOnB) {
        return List.of(
                nodeInfo(node("a", "zone=z1"), pod("db", "app=db")),
                nodeInfo(node("b", "zone=z1"), extraOnB),
                nodeInfo(node("c", "zone=z2"), inNamespace(pod("web", "app=web"), "other")),
                nodeInfo(node("d")));
    }

    record Case(String name, Pod pod, List<NodeInfo> nodes, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Pod p = pod("p", "app=p");
        return Stream.of(
                new Case("affinity to db by zone: the zone of db", withAffinity(p, List.of(term("zone", "app=db")), List.of()),
                        cluster(), Map.of("a", "", "b", "", "c", AFF, "d", AFF)),
                new Case("affinity by hostname: only db's node", withAffinity(p, List.of(term("kubernetes.io/hostname", "app=db")), List.of()),
                        cluster(), Map.of("a", "", "b", AFF, "c", AFF, "d", AFF)),
                new Case("affinity to a pod of another namespace is not met by default",
                        withAffinity(p, List.of(term("zone", "app=web")), List.of()),
                        cluster(), Map.of("a", AFF, "b", AFF, "c", AFF, "d", AFF)),
                new Case("affinity naming the other namespace",
                        withAffinity(p, List.of(new PodAffinityTermBuilder(term("zone", "app=web")).withNamespaces("other").build()), List.of()),
                        cluster(), Map.of("a", AFF, "b", AFF, "c", "", "d", AFF)),
                new Case("affinity with an empty namespaceSelector sees every namespace",
                        withAffinity(p, List.of(new PodAffinityTermBuilder(term("zone", "app=web"))
                                .withNamespaceSelector(new LabelSelectorBuilder().build()).build()), List.of()),
                        cluster(), Map.of("a", AFF, "b", AFF, "c", "", "d", AFF)),
                new Case("first pod of a self-selecting group goes where the key exists",
                        withAffinity(pod("p", "app=cache"), List.of(term("zone", "app=cache")), List.of()),
                        cluster(), Map.of("a", "", "b", "", "c", "", "d", AFF)),
                new Case("anti-affinity to db by zone", withAffinity(p, List.of(), List.of(term("zone", "app=db"))),
                        cluster(), Map.of("a", ANTI, "b", ANTI, "c", "", "d", "")),
                new Case("existing pod's anti-affinity rejects the incoming pod in its zone", p,
                        cluster(withAffinity(pod("guard", "app=guard"), List.of(), List.of(term("zone", "app=p")))),
                        Map.of("a", EXISTING, "b", EXISTING, "c", "", "d", "")),
                new Case("existing pod's anti-affinity that does not select the pod", pod("q", "app=q"),
                        cluster(withAffinity(pod("guard", "app=guard"), List.of(), List.of(term("zone", "app=p")))),
                        Map.of("a", "", "b", "", "c", "", "d", ""))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filters(Case c) {
        assertThat(PluginHarness.reasons(new InterPodAffinity(), c.pod(), c.nodes())).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void takingAPodOffThroughTheExtensionsCountsAsIfItWereNeverThere(Case c) {
        InterPodAffinity plugin = new InterPodAffinity();
        for (NodeInfo n : c.nodes()) {
            for (PodInfo p : n.pods()) {
                List<Map<String, String>> after = PluginHarness.reasonsWithoutThenWith(plugin, c.pod(), c.nodes(), n.name(), p.key());
                assertThat(after.get(0)).as("without " + p).isEqualTo(PluginHarness.reasons(plugin, c.pod(),
                        PluginHarness.without(c.nodes(), n.name(), p.key())));
                assertThat(after.get(1)).as("with " + p + " back").isEqualTo(c.expected());
            }
        }
    }

    @Test
    void namespaceSelectorMatchesNamespaceLabels() {
        Pod p = withAffinity(pod("p"), List.of(new PodAffinityTermBuilder(term("zone", "app=web"))
                .withNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("team", "blue")).build()).build()), List.of());
        Snapshot blue = Snapshot.of(cluster());
        io.kube4j.scheduler.cache.SchedulerCache cache = new io.kube4j.scheduler.cache.SchedulerCache();
        // Through the cache, so that the snapshot carries namespace labels.
        for (NodeInfo n : cluster()) {
            cache.addOrUpdateNode(n.node());
            for (PodInfo pi : n.pods()) cache.addPod(pi.pod());
        }
        cache.setNamespaceLabels("other", Map.of("team", "blue"));
        Snapshot snapshot = new Snapshot();
        cache.updateSnapshot(snapshot);
        InterPodAffinity plugin = new InterPodAffinity();
        CycleState state = new CycleState();
        PodInfo info = PodInfo.of(p);
        assertThat(plugin.preFilter(state, info, snapshot).status().isSuccess()).isTrue();
        assertThat(plugin.filter(state, info, snapshot.node("c")).isSuccess()).isTrue();
        assertThat(plugin.filter(state, info, snapshot.node("a")).message()).isEqualTo(AFF);
        // Without the namespace's labels, nothing matches.
        CycleState state2 = new CycleState();
        plugin.preFilter(state2, info, blue);
        assertThat(plugin.filter(state2, info, blue.node("c")).message()).isEqualTo(AFF);
    }

    @Test
    void preferredTermsScoreTheirDomains() {
        Pod p = new PodBuilder(pod("p")).editSpec().withNewAffinity()
                .withNewPodAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTermBuilder().withWeight(10).withPodAffinityTerm(term("zone", "app=db")).build())
                .endPodAffinity()
                .withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTermBuilder().withWeight(5).withPodAffinityTerm(
                                new PodAffinityTermBuilder(term("zone", "app=web")).withNamespaces("other").build()).build())
                .endPodAntiAffinity().endAffinity().endSpec().build();
        // raw: z1 +10 (a, b), z2 -5 (c), d 0 → normalised between -5 and 10
        assertThat(PluginHarness.score(new InterPodAffinity(), p, cluster())).containsExactly(
                Map.entry("a", 100L), Map.entry("b", 100L), Map.entry("c", 0L), Map.entry("d", 33L));
    }

    @Test
    void existingPodsRequiredAffinityAttractsTheMatchingPod() {
        Pod friendly = withAffinity(pod("f", "app=f"), List.of(term("zone", "app=p")), List.of());
        List<NodeInfo> nodes = cluster(friendly);
        // z1 holds the pod whose required term selects app=p: +1 (hardPodAffinityWeight) for a and b
        assertThat(PluginHarness.score(new InterPodAffinity(), pod("p", "app=p"), nodes)).containsExactly(
                Map.entry("a", 100L), Map.entry("b", 100L), Map.entry("c", 0L), Map.entry("d", 0L));
        assertThat(PluginHarness.score(new InterPodAffinity(0), pod("p", "app=p"), nodes).values()).containsOnly(0L);
    }
}
