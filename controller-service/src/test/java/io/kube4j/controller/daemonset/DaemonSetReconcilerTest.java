package io.kube4j.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.statefulset.Revisions;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.IndexedCache;
import io.kube4j.machinery.informer.ObjectKeys;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonSetReconcilerTest {

    static final Clock CLOCK = Clock.fixed(DaemonSetPlanTest.NOW, ZoneOffset.UTC);

    final IndexedCache<DaemonSet> sets = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final IndexedCache<Node> nodes = new IndexedCache<>();
    final IndexedCache<ControllerRevision> revisions = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final Expectations expectations = new Expectations(CLOCK, Duration.ofMinutes(5));
    final List<String> removed = new ArrayList<>();

    /** The pod cache the reconciler reads; a test may make an informer event land right after a pass has read it. */
    final PodsWithAnEventAfterTheRead podCache = new PodsWithAnEventAfterTheRead(pods);

    DaemonSetReconciler reconciler() {
        return new DaemonSetReconciler(sets, podCache, nodes, revisions, fake, p -> {
            removed.add(p.getMetadata().getName());
            fake.delete(Pod.class, p.getMetadata().getNamespace(), p.getMetadata().getName(), null, null);
        }, events, expectations, CLOCK);
    }

    DaemonSet seed(DaemonSet set) {
        DaemonSet stored = fake.seed(set);
        stored.setApiVersion("apps/v1");
        stored.setKind("DaemonSet");
        sets.put(stored);
        return stored;
    }

    void refreshSet() {
        DaemonSet stored = fake.get(DaemonSet.class, "default", "agent").orElseThrow();
        stored.setApiVersion("apps/v1");
        stored.setKind("DaemonSet");
        sets.put(stored);
    }

    /** The informers catch up with what the fake gateway holds, and settle the expectations as their handlers do. */
    void sync() {
        pods.list().forEach(p -> pods.remove(io.kube4j.machinery.informer.ObjectKeys.key(p)));
        fake.list(Pod.class).forEach(pods::put);
        fake.list(ControllerRevision.class).forEach(revisions::put);
        refreshSet();
        expectations.forget("default/agent");
    }

    /**
     * The pod informer catches up with the fake gateway as the controller's handlers see it: the
     * cache changes first, then an arrival settles a creation and a disappearance a deletion.
     */
    void informerCatchesUp() {
        List<Pod> stored = fake.list(Pod.class);
        for (Pod cached : pods.list()) {
            String key = ObjectKeys.key(cached);
            if (stored.stream().noneMatch(p -> ObjectKeys.key(p).equals(key))) {
                pods.remove(key);
                expectations.deletionObserved("default/agent", key);
            }
        }
        for (Pod pod : stored) {
            if (pods.put(pod) == null) expectations.creationObserved("default/agent");
        }
        fake.list(ControllerRevision.class).forEach(revisions::put);
        refreshSet();
    }

    void setImage(String image) {
        DaemonSet changed = Copies.deep(fake.get(DaemonSet.class, "default", "agent").orElseThrow());
        changed.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage(image);
        // the gateway's part: a spec change is a new generation
        changed.getMetadata().setGeneration(changed.getMetadata().getGeneration() + 1);
        changed.setApiVersion("apps/v1");
        changed.setKind("DaemonSet");
        sets.put(fake.update(changed));
    }

    /** A pod cache whose next namespace read is followed at once by {@code event}: an informer event racing a pass. */
    static final class PodsWithAnEventAfterTheRead implements Cache<Pod> {
        private final IndexedCache<Pod> cache;
        private Runnable event;

        PodsWithAnEventAfterTheRead(IndexedCache<Pod> cache) {
            this.cache = cache;
        }

        void afterNextRead(Runnable event) {
            this.event = event;
        }

        @Override
        public Optional<Pod> get(String key) {
            return cache.get(key);
        }

        @Override
        public List<Pod> list() {
            return cache.list();
        }

        @Override
        public List<Pod> byIndex(String index, String value) {
            List<Pod> read = cache.byIndex(index, value);
            Runnable pending = event;
            event = null;
            if (pending != null) pending.run();
            return read;
        }

        @Override
        public List<String> keys() {
            return cache.keys();
        }

        @Override
        public int size() {
            return cache.size();
        }
    }

    /** The CI stall of DaemonSetEndToEndTest: a node leaves, and the rolling update after it never starts. */
    @Test
    void aDeletionSeenWhileAPassReadsTheCacheDoesNotLeaveTheSetWaitingForIt() {
        seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a b c").forEach(nodes::put);
        reconciler().reconcile("default/agent");
        informerCatchesUp();
        assertThat(fake.list(Pod.class)).hasSize(3);
        DaemonSetReconciler reconciler = reconciler();

        // Node c leaves: the pass deletes its pod and expects to see that happen.
        nodes.remove("c");
        reconciler.reconcile("default/agent");
        assertThat(fake.list(Pod.class)).extracting(DaemonPods::targetNode).containsExactlyInAnyOrder("a", "b");
        assertThat(expectations.satisfied("default/agent")).isFalse();
        refreshSet();

        // The next pass (its own status write enqueued it) reads a cache that still has c's pod; the
        // deletion event lands right after the read.
        podCache.afterNextRead(this::informerCatchesUp);
        reconciler.reconcile("default/agent");
        assertThat(expectations.satisfied("default/agent")).as("waiting for nothing: %s", expectations.describe("default/agent")).isTrue();

        // The rolling update after it starts.
        setImage("i:2");
        for (int pass = 0; pass < 6; pass++) {
            reconciler.reconcile("default/agent");
            informerCatchesUp();
        }
        assertThat(fake.list(Pod.class)).extracting(p -> p.getSpec().getContainers().getFirst().getImage()).contains("i:2");
    }

    @Test
    void aPodSomeoneElseDeletesBeforeThePassDoesIsNotWaitedFor() {
        seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a b").forEach(nodes::put);
        reconciler().reconcile("default/agent");
        informerCatchesUp();
        Pod onB = fake.list(Pod.class).stream().filter(p -> "b".equals(DaemonPods.targetNode(p))).findFirst().orElseThrow();
        nodes.remove("b");

        // The pass reads b's pod; before it deletes it, someone else does, and the event comes and goes.
        podCache.afterNextRead(() -> {
            fake.delete(Pod.class, "default", onB.getMetadata().getName(), null, null);
            informerCatchesUp();
        });
        reconciler().reconcile("default/agent");

        assertThat(expectations.satisfied("default/agent")).as("waiting for nothing: %s", expectations.describe("default/agent")).isTrue();
    }

    @Test
    void whileWaitingForItsPodsThePassLooksAgainWhenTheExpectationsLapseAndDoesNotClaimTheGeneration() {
        seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a").forEach(nodes::put);
        reconciler().reconcile("default/agent");
        informerCatchesUp();
        reconciler().reconcile("default/agent");
        informerCatchesUp();
        Long observed = fake.get(DaemonSet.class, "default", "agent").orElseThrow().getStatus().getObservedGeneration();
        nodes.remove("a");
        reconciler().reconcile("default/agent");
        refreshSet();
        setImage("i:2");

        // The deletion of a's pod is never reported.
        var result = reconciler().reconcile("default/agent");

        assertThat(result.requeueAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(fake.get(DaemonSet.class, "default", "agent").orElseThrow().getStatus().getObservedGeneration()).isEqualTo(observed);
    }

    @Test
    void everyNodeGetsAPinnedPodFromTheFirstRevision() {
        seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a b").forEach(nodes::put);

        reconciler().reconcile("default/agent");

        assertThat(fake.list(Pod.class)).extracting(DaemonPods::targetNode).containsExactlyInAnyOrder("a", "b");
        ControllerRevision revision = fake.list(ControllerRevision.class).getFirst();
        assertThat(revision.getRevision()).isEqualTo(1L);
        assertThat(revision.getMetadata().getName()).startsWith("agent-");
        String hash = revision.getMetadata().getLabels().get("controller-revision-hash");
        assertThat(fake.list(Pod.class)).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry("controller-revision-hash", hash));
        assertThat(events.events()).anySatisfy(e -> assertThat(e).startsWith("Normal SuccessfulCreate default/agent: Created pod: agent-"));
        var status = fake.get(DaemonSet.class, "default", "agent").orElseThrow().getStatus();
        assertThat(status.getDesiredNumberScheduled()).isEqualTo(2);
        assertThat(status.getCurrentNumberScheduled()).isZero();

        // Until the cache has seen the two pods, another pass creates nothing more.
        refreshSet();
        reconciler().reconcile("default/agent");
        assertThat(fake.list(Pod.class)).hasSize(2);

        // Seen: the status counts them, and nothing else changes.
        sync();
        reconciler().reconcile("default/agent");
        sync();
        fake.clearActions();
        reconciler().reconcile("default/agent");
        assertThat(fake.actions()).isEmpty();
        assertThat(fake.get(DaemonSet.class, "default", "agent").orElseThrow().getStatus().getCurrentNumberScheduled()).isEqualTo(2);
    }

    @Test
    void aNewNodeGetsItsPodAndADeletedNodesPodIsRemoved() {
        seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a b").forEach(nodes::put);
        reconciler().reconcile("default/agent");
        sync();
        // b's pod was bound to b, then b went away; c joined.
        Pod onB = fake.list(Pod.class).stream().filter(p -> "b".equals(DaemonPods.targetNode(p))).findFirst().orElseThrow();
        onB.getSpec().setNodeName("b");
        fake.update(onB);
        nodes.remove("b");
        DaemonSetPlanTest.nodes("c").forEach(nodes::put);
        sync();

        reconciler().reconcile("default/agent");

        assertThat(removed).containsExactly(onB.getMetadata().getName());
        assertThat(fake.list(Pod.class)).extracting(DaemonPods::targetNode).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void aTemplateChangeMakesARevisionAndARollbackRenumbersTheOldOne() {
        DaemonSet set = seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a").forEach(nodes::put);
        reconciler().reconcile("default/agent");
        sync();
        ControllerRevision first = fake.list(ControllerRevision.class).getFirst();

        DaemonSet changed = Copies.deep(fake.get(DaemonSet.class, "default", "agent").orElseThrow());
        changed.getSpec().getTemplate().getSpec().getContainers().getFirst().setImage("i:2");
        changed.setApiVersion("apps/v1");
        changed.setKind("DaemonSet");
        sets.put(fake.update(changed));
        reconciler().reconcile("default/agent");
        sync();
        assertThat(fake.list(ControllerRevision.class)).extracting(ControllerRevision::getRevision).containsExactlyInAnyOrder(1L, 2L);
        // RollingUpdate, maxUnavailable 1: the old pod went; the next pass creates the new one.
        assertThat(fake.list(Pod.class)).isEmpty();
        reconciler().reconcile("default/agent");
        assertThat(fake.list(Pod.class)).singleElement().satisfies(p -> assertThat(p.getSpec().getContainers().getFirst().getImage()).isEqualTo("i:2"));
        sync();

        // kubectl rollout undo patches the first revision's template back.
        DaemonSet undone = Copies.deep(fake.get(DaemonSet.class, "default", "agent").orElseThrow());
        undone.getSpec().setTemplate(Revisions.template(first));
        undone.setApiVersion("apps/v1");
        undone.setKind("DaemonSet");
        sets.put(fake.update(undone));
        reconciler().reconcile("default/agent");
        List<ControllerRevision> stored = fake.list(ControllerRevision.class);
        assertThat(stored).hasSize(2);
        assertThat(stored).filteredOn(r -> r.getMetadata().getName().equals(first.getMetadata().getName()))
                .singleElement().satisfies(r -> assertThat(r.getRevision()).isEqualTo(3L));
        assertThat(set.getMetadata().getName()).isEqualTo("agent");
    }

    @Test
    void aPodThatKeepsFailingOnANodeIsReplacedWithBackoff() {
        seed(DaemonSetPlanTest.set(""));
        DaemonSetPlanTest.nodes("a").forEach(nodes::put);
        reconciler().reconcile("default/agent");
        sync();
        DaemonSetReconciler reconciler = reconciler();

        for (int round = 0; round < 2; round++) {
            Pod pod = fake.list(Pod.class).getFirst();
            pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed").build());
            fake.updateStatus(pod);
            sync();
            var result = reconciler.reconcile("default/agent");
            if (round == 0) {
                // The first failure: deleted at once (the next pass creates its replacement).
                assertThat(fake.list(Pod.class)).isEmpty();
                assertThat(events.events()).anySatisfy(e -> assertThat(e).startsWith("Warning FailedDaemonPod default/agent: Found failed daemon pod default/agent-"));
                sync();
                reconciler.reconcile("default/agent");
                sync();
            } else {
                // Failing again within the backoff: kept for now, and the set looks again when the wait is over.
                assertThat(fake.list(Pod.class)).singleElement().satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Failed"));
                assertThat(result.requeueAfter()).isEqualTo(DaemonSetReconciler.FAILED_BACKOFF_INITIAL);
            }
        }
    }
}
