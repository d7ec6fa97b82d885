package io.kube4j.scheduler.cache;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.requesting;
import static org.assertj.core.api.Assertions.assertThat;

/** Assumed pods, confirmations, forgetting, and snapshots that copy only what changed. */
class SchedulerCacheTest {

    private static Pod bound(Pod p, String node) {
        return new PodBuilder(p).editSpec().withNodeName(node).endSpec().build();
    }

    @Test
    void assumeConfirmForget() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("a", "4", "8Gi", 110).build());
        PodInfo p = PodInfo.of(requesting("p", "1", "1Gi").build());
        cache.assumePod(p.assumedOn("a"), "a");
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        assertThat(s.node("a").requested().milliCpu).isEqualTo(1000);
        assertThat(cache.isAssumed(p.key())).isTrue();

        cache.addPod(bound(p.pod(), "a")); // the informer saw the binding
        assertThat(cache.isAssumed(p.key())).isFalse();
        cache.forgetPod(p.key()); // too late to forget a confirmed pod
        cache.updateSnapshot(s);
        assertThat(s.node("a").requested().milliCpu).isEqualTo(1000);
        assertThat(s.node("a").pods()).hasSize(1);

        PodInfo q = PodInfo.of(requesting("q", "2", "1Gi").build());
        cache.assumePod(q.assumedOn("a"), "a");
        cache.forgetPod(q.key());
        cache.updateSnapshot(s);
        assertThat(s.node("a").requested().milliCpu).isEqualTo(1000);

        cache.removePod(p.key());
        cache.removePod(p.key());
        cache.updateSnapshot(s);
        assertThat(s.node("a").requested().milliCpu).isZero();
        assertThat(s.node("a").pods()).isEmpty();
    }

    @Test
    void aPodConfirmedOnAnotherNodeMoves() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("a", "4", "8Gi", 110).build());
        cache.addOrUpdateNode(node("b", "4", "8Gi", 110).build());
        PodInfo p = PodInfo.of(requesting("p", "1", "1Gi").build());
        cache.assumePod(p.assumedOn("a"), "a");
        cache.addPod(bound(p.pod(), "b"));
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        assertThat(s.node("a").pods()).isEmpty();
        assertThat(s.node("b").pods()).extracting(PodInfo::key).containsExactly("default/p");
    }

    @Test
    void snapshotsCopyOnlyChangedNodesAndAreNotChangedByLaterEvents() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("a", "4", "8Gi", 110).build());
        cache.addOrUpdateNode(node("b", "4", "8Gi", 110).build());
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        NodeInfo a = s.node("a");
        NodeInfo b = s.node("b");
        cache.addPod(bound(requesting("p", "1", "1Gi").build(), "b"));
        assertThat(s.node("b").pods()).as("the cycle's view does not move under it").isEmpty();
        cache.updateSnapshot(s);
        assertThat(s.node("a")).isSameAs(a);
        assertThat(s.node("b")).isNotSameAs(b);
        assertThat(s.node("b").pods()).hasSize(1);
        assertThat(s.nodes()).extracting(NodeInfo::name).containsExactly("a", "b");
    }

    @Test
    void podsBoundToAnUnknownNodeWaitForIt() {
        SchedulerCache cache = new SchedulerCache();
        cache.addPod(bound(requesting("p", "1", "1Gi").build(), "late"));
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        assertThat(s.nodes()).isEmpty();
        cache.addOrUpdateNode(node("late", "4", "8Gi", 110).build());
        cache.updateSnapshot(s);
        assertThat(s.node("late").requested().milliCpu).isEqualTo(1000);
        cache.removeNode("late");
        cache.updateSnapshot(s);
        assertThat(s.nodes()).isEmpty();
    }

    @Test
    void affinityListsFollowThePods() {
        SchedulerCache cache = new SchedulerCache();
        cache.addOrUpdateNode(node("a", "zone=z1"));
        Snapshot s = new Snapshot();
        cache.updateSnapshot(s);
        assertThat(s.nodesWithAffinityPods()).isEmpty();
        Pod withAnti = new PodBuilder(requesting("p", "1", "1Gi").build()).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(io.kube4j.scheduler.Objects.term("zone", "app=x"))
                .endPodAntiAffinity().endAffinity().withNodeName("a").endSpec().build();
        cache.addPod(withAnti);
        cache.updateSnapshot(s);
        assertThat(s.nodesWithAffinityPods()).extracting(NodeInfo::name).containsExactly("a");
        assertThat(s.nodesWithRequiredAntiAffinityPods()).extracting(NodeInfo::name).containsExactly("a");
        assertThat(s.nodesWithAffinityPods().getFirst()).isSameAs(s.node("a"));
        cache.removePod("default/p");
        cache.updateSnapshot(s);
        assertThat(s.nodesWithAffinityPods()).isEmpty();
    }
}
