package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.cache.Snapshot;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.LabelMatcher;
import io.kube4j.scheduler.framework.NodeFilter;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PostFilterPlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.defaultpreemption.Candidate;
import io.kube4j.scheduler.plugins.defaultpreemption.DefaultPreemption;
import io.kube4j.scheduler.plugins.defaultpreemption.DisruptionBudget;
import io.kube4j.scheduler.plugins.defaultpreemption.DisruptionBudgets;
import io.kube4j.scheduler.plugins.defaultpreemption.PreemptionActions;
import io.kube4j.scheduler.plugins.defaultpreemption.Victims;
import io.kube4j.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.kube4j.scheduler.plugins.nodename.NodeName;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesFit;
import io.kube4j.scheduler.plugins.podtopologyspread.PodTopologySpread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.requesting;
import static io.kube4j.scheduler.Objects.selector;
import static io.kube4j.scheduler.Objects.term;
import static org.assertj.core.api.Assertions.assertThat;

/** DefaultPreemption: victims on one node, the choice among nodes, and the PostFilter as a whole. */
class DefaultPreemptionTest {

    /** A pod requesting cpu with a priority; {@code started} is its status.startTime (null: unset). */
    static Pod pod(String name, int priority, String cpu, String started) {
        PodBuilder b = requesting(name, cpu, "100Mi").editSpec().withPriority(priority).endSpec();
        if (started != null) b.withNewStatus().withStartTime(started).endStatus();
        return b.build();
    }

    static Pod pod(String name, int priority, String cpu) {
        return pod(name, priority, cpu, null);
    }

    static NodeInfo placed(Node node, Pod... pods) {
        NodeInfo info = new NodeInfo(node);
        for (Pod p : pods) {
            info.addPod(PodInfo.of(new PodBuilder(p).editSpec().withNodeName(node.getMetadata().getName()).endSpec().build()));
        }
        return info;
    }

    static final Framework FRAMEWORK = Framework.builder("default-scheduler")
            .plugin(new NodeName(), true, false, 0)
            .plugin(new NodeResourcesFit(), true, false, 0)
            .plugin(new InterPodAffinity(), true, false, 0)
            .plugin(new PodTopologySpread(), true, false, 0)
            .build();

    /** The profile's filters after its PreFilters ran for the preemptor, as the scheduling cycle leaves them. */
    static NodeFilter filtersFor(CycleState state, PodInfo preemptor, Snapshot cluster) {
        assertThat(FRAMEWORK.runPreFilterPlugins(state, preemptor, cluster).status().isSuccess()).isTrue();
        return FRAMEWORK.nodeFilter(cluster);
    }

    record VictimCase(String name, Pod preemptor, NodeInfo node, List<String> victims) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<VictimCase> victimCases() {
        Node four = node("n1", "4", "8Gi", 110).build();
        return Stream.of(
                new VictimCase("only as many lower-priority pods as needed, the later started ones go",
                        pod("big", 10, "2"),
                        placed(four, pod("a", 0, "1", "2026-01-01T10:00:00Z"), pod("b", 0, "1", "2026-01-01T11:00:00Z"),
                                pod("c", 0, "2", "2026-01-01T12:00:00Z")),
                        List.of("c")),
                new VictimCase("pods of the same or a higher priority are never victims",
                        pod("big", 10, "2"),
                        placed(four, pod("same", 10, "3"), pod("low", 0, "1")),
                        null),
                new VictimCase("the more important lower-priority pod is reprieved first",
                        pod("big", 10, "2"),
                        placed(four, pod("mid", 5, "2"), pod("low", 1, "2")),
                        List.of("low")),
                new VictimCase("several victims when one is not enough",
                        pod("big", 10, "2"),
                        placed(four, pod("x", 0, "1"), pod("y", 0, "1"), pod("z", 0, "1"), pod("keep", 20, "1")),
                        List.of("y", "z")),
                new VictimCase("a node of equal priorities only is no candidate",
                        pod("big", 0, "2"),
                        placed(four, pod("peer-1", 0, "2"), pod("peer-2", 0, "1")),
                        null),
                new VictimCase("a node too small even when empty is no candidate",
                        pod("huge", 10, "8"),
                        placed(four, pod("low", 0, "1")),
                        null),
                new VictimCase("the pod-count limit counts: one pod goes",
                        pod("tiny", 10, "100m"),
                        placed(node("n1", "4", "8Gi", 2).build(), pod("p", 0, "100m", "2026-01-01T10:00:00Z"),
                                pod("q", 0, "100m", "2026-01-01T11:00:00Z")),
                        List.of("q")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("victimCases")
    void selectsTheFewestLeastImportantVictims(VictimCase c) {
        PodInfo preemptor = PodInfo.of(c.preemptor());
        Snapshot cluster = Snapshot.of(List.of(c.node()));
        CycleState state = new CycleState();
        int podsBefore = c.node().pods().size();
        Candidate candidate = Victims.selectOnNode(filtersFor(state, preemptor, cluster), state, preemptor, c.node(), List::of).candidate();
        if (c.victims() == null) {
            assertThat(candidate).isNull();
        } else {
            assertThat(candidate).isNotNull();
            assertThat(candidate.victims()).extracting(PodInfo::name).containsExactlyInAnyOrderElementsOf(c.victims());
        }
        assertThat(c.node().pods()).as("the node given is not changed").hasSize(podsBefore);
    }

    /** A pod of this priority requesting 100m, with labels {@code k=v}, started at {@code 2026-01-01T<hour>:00:00Z}. */
    static Pod labelledPod(String name, int priority, int hour, String... labels) {
        return new PodBuilder(pod(name, priority, "100m", "2026-01-01T%02d:00:00Z".formatted(hour)))
                .editMetadata().withLabels(io.kube4j.scheduler.Objects.labels(labels)).endMetadata().build();
    }

    /** The pod with a required anti-affinity term against pods matching {@code selector}. */
    static Pod avoiding(Pod pod, String topologyKey, String... selector) {
        return new PodBuilder(pod).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term(topologyKey, selector))
                .endPodAntiAffinity().endAffinity().endSpec().build();
    }

    /** The pod with a hard (DoNotSchedule) spread constraint over pods labelled app=web. */
    static Pod spreading(Pod pod, String topologyKey, int maxSkew) {
        return new PodBuilder(pod).editSpec().addNewTopologySpreadConstraint().withTopologyKey(topologyKey)
                .withMaxSkew(maxSkew).withWhenUnsatisfiable("DoNotSchedule").withLabelSelector(selector("app=web"))
                .endTopologySpreadConstraint().endSpec().build();
    }

    static final String HOSTNAME = "kubernetes.io/hostname";

    record CountedCase(String name, Pod preemptor, List<NodeInfo> nodes, String tried, List<String> victims,
                       String rejection) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Zones: z1 = {a, b}, z2 = {c}; every node has cpu to spare, so only the counted constraints decide. */
    static Stream<CountedCase> countedCases() {
        Node a = node("a", "4", "8Gi", 110, "zone=z1").build();
        Node b = node("b", "4", "8Gi", 110, "zone=z1").build();
        Node c = node("c", "4", "8Gi", 110, "zone=z2").build();
        Pod p = labelledPod("p", 10, 9, "app=p");
        return Stream.of(
                new CountedCase("anti-affinity by hostname: the lower-priority pods it avoids go, the others stay",
                        avoiding(p, HOSTNAME, "app=db"),
                        List.of(placed(a, labelledPod("db-1", 0, 10, "app=db"), labelledPod("db-2", 5, 11, "app=db"),
                                labelledPod("web", 0, 12, "app=web"))),
                        "a", List.of("db-1", "db-2"), null),
                new CountedCase("anti-affinity by zone: the lower-priority pod on the node goes",
                        avoiding(p, "zone", "app=db"),
                        List.of(placed(a, labelledPod("db", 0, 10, "app=db")), placed(b, labelledPod("web", 0, 10, "app=web")), placed(c)),
                        "a", List.of("db"), null),
                new CountedCase("anti-affinity by zone: evicting on b does not move the pod on a",
                        avoiding(p, "zone", "app=db"),
                        List.of(placed(a, labelledPod("db", 0, 10, "app=db")), placed(b, labelledPod("web", 0, 10, "app=web")), placed(c)),
                        "b", null, InterPodAffinity.ANTI_AFFINITY_REASON),
                new CountedCase("anti-affinity against a pod of equal priority: removing the lower ones is not enough",
                        avoiding(p, HOSTNAME, "app=db"),
                        List.of(placed(a, labelledPod("db", 10, 10, "app=db"), labelledPod("web", 0, 10, "app=web"))),
                        "a", null, InterPodAffinity.ANTI_AFFINITY_REASON),
                new CountedCase("anti-affinity against a pod of higher priority only: no victims at all",
                        avoiding(p, HOSTNAME, "app=db"),
                        List.of(placed(a, labelledPod("db", 20, 10, "app=db"))),
                        "a", null, DefaultPreemption.NO_VICTIMS),
                new CountedCase("a lower-priority pod whose own anti-affinity rejects the preemptor goes",
                        p,
                        List.of(placed(a, avoiding(labelledPod("guard", 0, 10, "app=guard"), "zone", "app=p"),
                                labelledPod("web", 0, 11, "app=web")), placed(c)),
                        "a", List.of("guard"), null),
                new CountedCase("spread by zone: only as many matching pods go as bring the skew within maxSkew",
                        spreading(labelledPod("p", 10, 9, "app=web"), "zone", 2),
                        List.of(placed(a, labelledPod("w1", 0, 10, "app=web"), labelledPod("w2", 0, 11, "app=web"),
                                labelledPod("w3", 0, 12, "app=web"), labelledPod("db", 0, 13, "app=db")), placed(c)),
                        "a", List.of("w2", "w3"), null),
                new CountedCase("spread by hostname: matching pods of higher priority keep the skew, no candidate",
                        spreading(labelledPod("p", 10, 9, "app=web"), HOSTNAME, 1),
                        List.of(placed(a, labelledPod("w1", 20, 10, "app=web"), labelledPod("w2", 20, 11, "app=web"),
                                labelledPod("db", 0, 12, "app=db")), placed(b, labelledPod("w3", 20, 10, "app=web"))),
                        "a", null, PodTopologySpread.REASON),
                new CountedCase("spread by hostname: the lower-priority matching pod goes",
                        spreading(labelledPod("p", 10, 9, "app=web"), HOSTNAME, 1),
                        List.of(placed(a, labelledPod("w1", 20, 10, "app=web"), labelledPod("w2", 0, 11, "app=web")),
                                placed(b, labelledPod("w3", 20, 10, "app=web"))),
                        "a", List.of("w2"), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("countedCases")
    void victimsLeaveTheCountsPreFilterComputedToo(CountedCase c) {
        PodInfo preemptor = PodInfo.of(c.preemptor());
        Snapshot cluster = Snapshot.of(c.nodes());
        CycleState state = new CycleState();
        NodeFilter filters = filtersFor(state, preemptor, cluster);
        NodeInfo tried = cluster.node(c.tried());
        assertThat(filters.filter(state, preemptor, tried).isSuccess()).as("the Filters reject the node first").isFalse();

        Victims.OnNode found = Victims.selectOnNode(filters, state, preemptor, tried, List::of);

        if (c.victims() == null) {
            assertThat(found.candidate()).isNull();
            assertThat(found.rejection().message()).isEqualTo(c.rejection());
        } else {
            assertThat(found.candidate()).isNotNull();
            assertThat(found.candidate().victims()).extracting(PodInfo::name).containsExactlyInAnyOrderElementsOf(c.victims());
        }
        assertThat(filters.filter(state, preemptor, tried).isSuccess()).as("the cycle's state and the node are not changed").isFalse();
    }

    @Test
    void aPodNominatedToTheNodeCountsInTheAntiAffinityOfPodsOfLowerPriority() {
        Snapshot cluster = Snapshot.of(List.of(placed(node("a", "4", "8Gi", 110).build())));
        cluster.setNominatedPods(Map.of("a", List.of(PodInfo.of(labelledPod("db", 20, 10, "app=db")))));
        List<String> reasons = new ArrayList<>();
        for (int priority : List.of(10, 30)) {
            PodInfo p = PodInfo.of(avoiding(labelledPod("p", priority, 9, "app=p"), HOSTNAME, "app=db"));
            CycleState state = new CycleState();
            reasons.add(priority + ": " + filtersFor(state, p, cluster).filter(state, p, cluster.node("a")).message());
        }
        // The nominated pod waits for room on a: a pod of lower priority keeps clear of it, one of higher does not.
        assertThat(reasons).containsExactly("10: " + InterPodAffinity.ANTI_AFFINITY_REASON, "30: ");
    }

    static Pod labelled(Pod pod, String app) {
        return new PodBuilder(pod).editMetadata().addToLabels("app", app).endMetadata().build();
    }

    static DisruptionBudget budget(String app, int allowed, String... disrupted) {
        return new DisruptionBudget("default", LabelMatcher.ofMap(Map.of("app", app)), allowed, Set.of(disrupted));
    }

    record BudgetCase(String name, List<DisruptionBudget> budgets, List<String> victims, int violations) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BudgetCase> budgetCases() {
        return Stream.of(
                new BudgetCase("no budget: the later started pod goes", List.of(), List.of("web-1"), 0),
                new BudgetCase("a budget with room: the same", List.of(budget("web", 1)), List.of("web-1"), 0),
                new BudgetCase("the protected pod is reprieved first, the other goes", List.of(budget("web", 0)), List.of("db-1"), 0),
                new BudgetCase("both protected: one goes and counts as a violation", List.of(budget("web", 0), budget("db", 0)), List.of("web-1"), 1),
                new BudgetCase("a pod already counted as disrupted does not take from the budget",
                        List.of(budget("web", 0, "web-1")), List.of("web-1"), 0),
                new BudgetCase("a budget of another namespace covers nothing here",
                        List.of(new DisruptionBudget("other", LabelMatcher.ofMap(Map.of("app", "web")), 0, Set.of())), List.of("web-1"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("budgetCases")
    void victimsProtectedByABudgetAreSparedFirst(BudgetCase c) {
        PodInfo preemptor = PodInfo.of(pod("big", 10, "2"));
        NodeInfo node = placed(node("n1", "4", "8Gi", 110).build(),
                labelled(pod("db-1", 0, "2", "2026-01-01T10:00:00Z"), "db"),
                labelled(pod("web-1", 0, "2", "2026-01-01T11:00:00Z"), "web"));
        Snapshot cluster = Snapshot.of(List.of(node));
        CycleState state = new CycleState();
        Candidate candidate = Victims.selectOnNode(filtersFor(state, preemptor, cluster), state, preemptor, node, c::budgets).candidate();
        assertThat(candidate.victims()).extracting(PodInfo::name).isEqualTo(c.victims());
        assertThat(candidate.pdbViolations()).isEqualTo(c.violations());
    }

    @Test
    void theNodeWhoseVictimsBreakNoBudgetWinsOverLessImportantVictims() {
        Node n1 = node("n1", "2", "8Gi", 110).build();
        Node n2 = node("n2", "2", "8Gi", 110).build();
        PodInfo preemptor = PodInfo.of(pod("big", 10, "2"));
        Snapshot cluster = Snapshot.of(List.of(placed(n1, labelled(pod("guarded", 0, "2"), "db")),
                placed(n2, labelled(pod("free", 5, "2"), "web"))));
        Map<String, Status> statuses = statuses("n1", Code.UNSCHEDULABLE, "n2", Code.UNSCHEDULABLE);

        List<String> unguarded = new ArrayList<>();
        for (DisruptionBudgets budgets : List.<DisruptionBudgets>of(List::of, () -> List.of(budget("db", 0)))) {
            CycleState state = new CycleState();
            Recorded actions = new Recorded();
            var result = new DefaultPreemption(actions, budgets).postFilter(state, preemptor, statuses, cluster, filtersFor(state, preemptor, cluster));
            unguarded.add(result.nominatedNode() + ": " + actions.calls);
        }
        assertThat(unguarded).containsExactly("n1: [big@n1 evicts [guarded] displaces []]", "n2: [big@n2 evicts [free] displaces []]");
    }

    @Test
    void budgetsAreReadOnlyWhenSomeNodeHasLowerPriorityPods() {
        Node n1 = node("n1", "2", "8Gi", 110).build();
        PodInfo preemptor = PodInfo.of(pod("big", 0, "2"));
        Snapshot cluster = Snapshot.of(List.of(placed(n1, pod("peer", 0, "2"))));
        CycleState state = new CycleState();
        DisruptionBudgets failing = () -> {
            throw new AssertionError("budgets read for a node without lower-priority pods");
        };
        var result = new DefaultPreemption(new Recorded(), failing).postFilter(state, preemptor,
                statuses("n1", Code.UNSCHEDULABLE), cluster, filtersFor(state, preemptor, cluster));
        assertThat(result.status().code()).isEqualTo(Code.UNSCHEDULABLE);
    }

    record PickCase(String name, List<Candidate> candidates, String chosen) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Candidate candidate(String node, Pod... victims) {
        List<PodInfo> v = new ArrayList<>();
        for (Pod p : victims) v.add(PodInfo.of(p));
        v.sort((a, b) -> Integer.compare(b.priority(), a.priority()));
        return new Candidate(node, v, 0);
    }

    static Stream<PickCase> pickCases() {
        return Stream.of(
                new PickCase("a node that needs no victim at all",
                        List.of(candidate("n1", pod("a", 0, "1")), candidate("n2")), "n2"),
                new PickCase("the lowest highest-priority victim",
                        List.of(candidate("n1", pod("a", 5, "1")), candidate("n2", pod("b", 1, "1"), pod("c", 1, "1"))), "n2"),
                new PickCase("then the lowest sum of priorities",
                        List.of(candidate("n1", pod("a", 3, "1"), pod("b", 2, "1")), candidate("n2", pod("c", 3, "1"), pod("d", 1, "1"))), "n2"),
                new PickCase("then the fewest victims",
                        List.of(candidate("n1", pod("a", 0, "1"), pod("b", 0, "1")), candidate("n2", pod("c", 0, "1"))), "n2"),
                new PickCase("then the latest start among the most important victims",
                        List.of(candidate("n1", pod("a", 1, "1", "2026-01-01T10:00:00Z")),
                                candidate("n2", pod("b", 1, "1", "2026-01-01T11:00:00Z"))), "n2"),
                new PickCase("a full tie: the first",
                        List.of(candidate("n1", pod("a", 1, "1")), candidate("n2", pod("b", 1, "1"))), "n1"),
                new PickCase("fewer budget violations beat everything else",
                        List.of(new Candidate("n1", List.of(PodInfo.of(pod("a", 0, "1"))), 1),
                                new Candidate("n2", List.of(PodInfo.of(pod("b", 9, "1"))), 0)), "n2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pickCases")
    void picksTheNodeThatDisturbsLeast(PickCase c) {
        assertThat(Victims.pickOne(c.candidates())).map(Candidate::nodeName).hasValue(c.chosen());
    }

    @Test
    void noCandidatesNoChoice() {
        assertThat(Victims.pickOne(List.of())).isEmpty();
    }

    /** The actions a preemption took, recorded. */
    static final class Recorded implements PreemptionActions {
        final List<String> calls = new ArrayList<>();

        @Override
        public Status preempt(PodInfo preemptor, String nodeName, List<PodInfo> victims, List<PodInfo> displaced) {
            calls.add(preemptor.name() + "@" + nodeName + " evicts " + victims.stream().map(PodInfo::name).toList()
                    + " displaces " + displaced.stream().map(PodInfo::name).toList());
            return Status.SUCCESS;
        }
    }

    record PostFilterCase(String name, Pod preemptor, List<NodeInfo> nodes, Map<String, Status> statuses,
                          Map<String, List<PodInfo>> nominated, String nominatedNode, String message, List<String> calls) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, Status> statuses(Object... nodeAndCode) {
        Map<String, Status> m = new HashMap<>();
        for (int i = 0; i < nodeAndCode.length; i += 2) {
            m.put((String) nodeAndCode[i], new Status((Code) nodeAndCode[i + 1], List.of("why"), "P"));
        }
        return m;
    }

    static Stream<PostFilterCase> postFilterCases() {
        Node n1 = node("n1", "2", "8Gi", 110).build();
        Node n2 = node("n2", "2", "8Gi", 110).build();
        PodInfo waiting = PodInfo.of(pod("waiting", 1, "1"));
        Node za = node("a", "2", "8Gi", 110, "zone=z1").build();
        Node zb = node("b", "2", "8Gi", 110, "zone=z1").build();
        Node zc = node("c", "2", "8Gi", 110, "zone=z2").build();
        return Stream.of(
                new PostFilterCase("evicts on the node with the least important victims and nominates it",
                        pod("big", 10, "2"),
                        List.of(placed(n1, pod("a", 5, "2")), placed(n2, pod("b", 1, "2"))),
                        statuses("n1", Code.UNSCHEDULABLE, "n2", Code.UNSCHEDULABLE), Map.of(),
                        "n2", null, List.of("big@n2 evicts [b] displaces []")),
                new PostFilterCase("preemptionPolicy Never: not eligible, nothing evicted",
                        new PodBuilder(pod("polite", 10, "2")).editSpec().withPreemptionPolicy("Never").endSpec().build(),
                        List.of(placed(n1, pod("a", 0, "2"))),
                        statuses("n1", Code.UNSCHEDULABLE), Map.of(),
                        null, "preemption: not eligible due to preemptionPolicy=Never", List.of()),
                new PostFilterCase("unresolvable nodes are not tried; nodes without victims are counted",
                        pod("big", 10, "2"),
                        List.of(placed(n1, pod("a", 10, "2")), placed(n2, pod("b", 0, "2"))),
                        statuses("n1", Code.UNSCHEDULABLE, "n2", Code.UNSCHEDULABLE_AND_UNRESOLVABLE), Map.of(),
                        null, "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, "
                                + "1 Preemption is not helpful for scheduling", List.of()),
                new PostFilterCase("a lower-priority pod nominated to the node loses its nomination",
                        pod("big", 10, "2"),
                        List.of(placed(n1, pod("a", 0, "2"))),
                        statuses("n1", Code.UNSCHEDULABLE), Map.of("n1", List.of(waiting)),
                        "n1", null, List.of("big@n1 evicts [a] displaces [waiting]")),
                new PostFilterCase("room held for a nominated pod of higher priority is not preempted for",
                        pod("big", 10, "1"),
                        List.of(placed(n1, pod("a", 0, "1"))),
                        statuses("n1", Code.UNSCHEDULABLE), Map.of("n1", List.of(PodInfo.of(pod("vip", 20, "2")))),
                        null, "preemption: 0/1 nodes are available: 1 Insufficient cpu", List.of()),
                new PostFilterCase("anti-affinity by zone: evicts the pod it avoids, not the bystanders of the zone",
                        avoiding(pod("big", 10, "1"), "zone", "app=db"),
                        List.of(placed(za, labelledPod("db", 0, 10, "app=db")), placed(zb, labelledPod("web", 0, 10, "app=web")),
                                placed(zc, pod("vip", 20, "2"))),
                        statuses("a", Code.UNSCHEDULABLE, "b", Code.UNSCHEDULABLE, "c", Code.UNSCHEDULABLE), Map.of(),
                        "a", null, List.of("big@a evicts [db] displaces []")),
                new PostFilterCase("anti-affinity against pods of equal priority: no preemption, and why",
                        avoiding(pod("big", 10, "1"), "zone", "app=db"),
                        List.of(placed(za, labelledPod("db", 10, 10, "app=db")), placed(zb, labelledPod("web", 0, 10, "app=web")),
                                placed(zc, pod("vip", 20, "2"))),
                        statuses("a", Code.UNSCHEDULABLE, "b", Code.UNSCHEDULABLE, "c", Code.UNSCHEDULABLE), Map.of(),
                        null, "preemption: 0/3 nodes are available: 1 node(s) didn't match pod anti-affinity rules, "
                                + "2 No preemption victims found for incoming pod", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postFilterCases")
    void preemptsAsKubeSchedulerDoes(PostFilterCase c) {
        PodInfo preemptor = PodInfo.of(c.preemptor());
        Snapshot cluster = Snapshot.of(c.nodes());
        cluster.setNominatedPods(c.nominated());
        CycleState state = new CycleState();
        NodeFilter filters = filtersFor(state, preemptor, cluster);
        Recorded actions = new Recorded();
        PostFilterPlugin.Result r = new DefaultPreemption(actions).postFilter(state, preemptor, c.statuses(), cluster, filters);
        assertThat(r.nominatedNode()).isEqualTo(c.nominatedNode());
        if (c.message() == null) {
            assertThat(r.status().isSuccess()).isTrue();
        } else {
            assertThat(r.status().code()).isEqualTo(Code.UNSCHEDULABLE);
            assertThat(r.status().message()).isEqualTo(c.message());
        }
        assertThat(actions.calls).isEqualTo(c.calls());
    }

    @Test
    void aPodNominatedWhereAVictimStillTerminatesWaits() {
        Node n1 = node("n1", "2", "8Gi", 110).build();
        Pod leaving = new PodBuilder(pod("leaving", 0, "2")).editMetadata().withDeletionTimestamp("2026-01-01T10:00:00Z").endMetadata().build();
        Pod preemptor = new PodBuilder(pod("big", 10, "2")).withNewStatus().withNominatedNodeName("n1").endStatus().build();
        Snapshot cluster = Snapshot.of(List.of(placed(n1, leaving)));
        CycleState state = new CycleState();
        PodInfo p = PodInfo.of(preemptor);
        Recorded actions = new Recorded();
        PostFilterPlugin.Result r = new DefaultPreemption(actions).postFilter(state, p,
                statuses("n1", Code.UNSCHEDULABLE), cluster, filtersFor(state, p, cluster));
        assertThat(r.status().message()).isEqualTo("preemption: not eligible due to a terminating pod on the nominated node");
        assertThat(actions.calls).isEmpty();
    }
}
