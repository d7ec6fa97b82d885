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
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

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

    DaemonSetReconciler reconciler() {
        return new DaemonSetReconciler(sets, pods, nodes, revisions, fake, p -> {
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
}
