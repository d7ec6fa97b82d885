package io.kube4j.controller.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaSetReconcilerTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final IndexedCache<ReplicaSet> sets = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final Expectations expectations = new Expectations(CLOCK, Duration.ofMinutes(5));
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    ReplicaSetReconciler reconciler(ObjectClient client, int burst) {
        return new ReplicaSetReconciler(sets, pods, client, events, expectations, executor, CLOCK, burst);
    }

    ReplicaSet rs(int replicas, int minReadySeconds) {
        ReplicaSet rs = fake.seed(new ReplicaSetBuilder().withNewMetadata().withNamespace("default").withName("web").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(replicas).withMinReadySeconds(minReadySeconds)
                .withNewSelector().addToMatchLabels("app", "web").addNewMatchExpression().withKey("tier").withOperator("In").withValues("front", "edge").endMatchExpression().endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").addToLabels("tier", "front").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
                .endSpec().build());
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        sets.put(rs);
        return rs;
    }

    /**
     * A pod from a compact description {@code name:owner:labels:phase:ready:node:created}: owner {@code rs} (the
     * ReplicaSet), {@code -} (none) or {@code other}; labels {@code app=web,tier=front}; ready {@code -} or the
     * minutes it has been Ready; created minutes ago.
     */
    Pod pod(ReplicaSet rs, String description) {
        String[] f = description.split(":");
        var b = new PodBuilder().withNewMetadata().withNamespace("default").withName(f[0])
                .withCreationTimestamp(NOW.minus(Duration.ofMinutes(Long.parseLong(f[6]))).toString())
                .withLabels(labels(f[2])).endMetadata()
                .withNewSpec().withNodeName(f[5].equals("-") ? null : f[5]).addNewContainer().withName("c").withImage("nginx").endContainer().endSpec()
                .withNewStatus().withPhase(f[3]).endStatus();
        if (f[1].equals("rs")) b.editMetadata().withOwnerReferences(Owners.controllerRef(rs)).endMetadata();
        if (f[1].equals("other")) b.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("x").withUid("other-uid").withController(true).endOwnerReference().endMetadata();
        if (f[1].equals("deleting")) b.editMetadata().withOwnerReferences(Owners.controllerRef(rs)).withDeletionTimestamp(NOW.toString()).endMetadata();
        if (!f[4].equals("-")) {
            b.editStatus().addNewCondition().withType("Ready").withStatus("True")
                    .withLastTransitionTime(NOW.minus(Duration.ofMinutes(Long.parseLong(f[4]))).toString()).endCondition().endStatus();
        }
        Pod seeded = fake.seed(b.build());
        pods.put(seeded);
        return seeded;
    }

    static Map<String, String> labels(String text) {
        if (text.equals("-")) return Map.of();
        return Arrays.stream(text.split(",")).map(kv -> kv.split("=")).collect(java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    List<String> podNames() {
        return fake.list(Pod.class).stream().map(p -> p.getMetadata().getName()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // name | replicas | pods (;-separated) | pods left afterwards | status replicas/fullyLabeled/ready/available
            "creates the missing pods | 3 | | web-00001,web-00002,web-00003 | 0/0/0/0",
            "leaves a full set alone | 2 | a:rs:app=web,tier=front:Running:5:n1:10;b:rs:app=web,tier=front:Running:5:n1:10 | a,b | 2/2/2/2",
            "deletes unassigned and pending pods first | 1 | a:rs:app=web,tier=front:Running:5:n1:10;b:rs:app=web,tier=front:Pending:-:-:1;c:rs:app=web,tier=front:Pending:-:n2:2 | a | 3/3/1/1",
            "deletes not-ready, then newer pods first | 1 | a:rs:app=web,tier=front:Running:5:n1:10;b:rs:app=web,tier=front:Running:-:n1:20;c:rs:app=web,tier=front:Running:5:n1:5 | a | 3/3/2/2",
            "adopts an orphan its selector matches | 1 | o:-:app=web,tier=edge:Running:5:n1:10 | o | 1/0/1/1",
            "releases a pod whose labels no longer match, then replaces it | 1 | r:rs:app=web,tier=back:Running:5:n1:10 | r,web-00001 | 0/0/0/0",
            "leaves pods of other controllers alone | 1 | x:other:app=web,tier=front:Running:5:n1:10 | x,web-00001 | 0/0/0/0",
            "does not count pods being deleted or finished | 2 | d:deleting:app=web,tier=front:Running:5:n1:10;f:rs:app=web,tier=front:Succeeded:-:n1:10;a:rs:app=web,tier=front:Running:5:n1:10 | d,f,a,web-00001 | 1/1/1/1",
    })
    void reconcilesPodsAndStatus(String name, int replicas, String podList, String remaining, String status) throws Exception {
        ReplicaSet rs = rs(replicas, 0);
        if (podList != null) for (String p : podList.split(";")) pod(rs, p);
        reconciler(fake, 500).reconcile("default/web");

        assertThat(podNames()).containsExactlyInAnyOrderElementsOf(List.of(remaining.split(",")));
        for (Pod p : fake.list(Pod.class)) {
            if (p.getMetadata().getName().equals("x")) continue;
            boolean shouldBeOwned = !p.getMetadata().getName().equals("r");
            assertThat(Owners.isControlledBy(p, rs)).as("%s owned", p.getMetadata().getName()).isEqualTo(shouldBeOwned);
        }
        ReplicaSet stored = fake.get(ReplicaSet.class, "default", "web").orElseThrow();
        var s = stored.getStatus();
        assertThat(s.getReplicas() + "/" + s.getFullyLabeledReplicas() + "/" + s.getReadyReplicas() + "/" + s.getAvailableReplicas()).isEqualTo(status);
        assertThat(s.getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void createdPodsCarryTheTemplateAndTheControllerReferenceAndAreNotCreatedTwiceOnAStaleCache() throws Exception {
        ReplicaSet rs = rs(2, 0);
        var reconciler = reconciler(fake, 500);
        reconciler.reconcile("default/web");
        Pod created = fake.list(Pod.class).getFirst();
        assertThat(created.getMetadata().getGenerateName()).isEqualTo("web-");
        assertThat(created.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("tier", "front");
        var ref = created.getMetadata().getOwnerReferences().getFirst();
        assertThat(ref.getKind()).isEqualTo("ReplicaSet");
        assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
        assertThat(ref.getController()).isTrue();
        assertThat(ref.getBlockOwnerDeletion()).isTrue();
        assertThat(created.getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx");
        assertThat(events.events()).containsExactlyInAnyOrder(
                "Normal SuccessfulCreate default/web: Created pod: web-00001",
                "Normal SuccessfulCreate default/web: Created pod: web-00002");

        // The cache has not seen the pods yet: nothing is created again.
        sets.put(fake.get(ReplicaSet.class, "default", "web").orElseThrow());
        reconciler.reconcile("default/web");
        assertThat(fake.list(Pod.class)).hasSize(2);
        assertThat(expectations.satisfied("default/web")).isFalse();

        // Once the informer reports them, the ReplicaSet is satisfied and stays at two.
        fake.list(Pod.class).forEach(p -> {
            pods.put(p);
            expectations.creationObserved("default/web");
        });
        reconciler.reconcile("default/web");
        assertThat(fake.list(Pod.class)).hasSize(2);
        assertThat(fake.get(ReplicaSet.class, "default", "web").orElseThrow().getStatus().getReplicas()).isEqualTo(2);
    }

    @Test
    void createsAtMostBurstReplicasPerPass() throws Exception {
        rs(8, 0);
        reconciler(fake, 5).reconcile("default/web");
        assertThat(fake.list(Pod.class)).hasSize(5);
    }

    @Test
    void aFailingCreateIsTriedOnceNotForEveryPodAndIsReported() throws Exception {
        rs(50, 0);
        AtomicInteger attempts = new AtomicInteger();
        ObjectClient refusing = new Delegating(fake) {
            @Override
            public <T extends HasMetadata> T create(T object) {
                attempts.incrementAndGet();
                throw new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
                        .withMessage("pods \"web-\" is forbidden: exceeded quota: compute").build());
            }
        };
        assertThatThrownBy(() -> reconciler(refusing, 500).reconcile("default/web")).isInstanceOf(KubernetesClientException.class);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(expectations.satisfied("default/web")).as("skipped pods are not expected").isTrue();
        assertThat(events.events()).containsExactly("Warning FailedCreate default/web: Error creating: pods \"web-\" is forbidden: exceeded quota: compute");
        var condition = fake.get(ReplicaSet.class, "default", "web").orElseThrow().getStatus().getConditions().getFirst();
        assertThat(condition.getType()).isEqualTo("ReplicaFailure");
        assertThat(condition.getReason()).isEqualTo("FailedCreate");
    }

    @Test
    void availabilityWaitsForMinReadySecondsAndAsksToBeCalledBack() throws Exception {
        ReplicaSet rs = rs(2, 600);
        pod(rs, "a:rs:app=web,tier=front:Running:20:n1:30");
        pod(rs, "b:rs:app=web,tier=front:Running:1:n1:30");
        Result result = reconciler(fake, 500).reconcile("default/web");
        var s = fake.get(ReplicaSet.class, "default", "web").orElseThrow().getStatus();
        assertThat(s.getReadyReplicas()).isEqualTo(2);
        assertThat(s.getAvailableReplicas()).isEqualTo(1);
        assertThat(result.requeueAfter()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void scaleDownRecordsDeletionsAndExpectsThem() throws Exception {
        ReplicaSet rs = rs(0, 0);
        pod(rs, "a:rs:app=web,tier=front:Running:5:n1:10");
        reconciler(fake, 500).reconcile("default/web");
        assertThat(fake.list(Pod.class)).isEmpty();
        assertThat(events.events()).containsExactly("Normal SuccessfulDelete default/web: Deleted pod: a");
        assertThat(expectations.satisfied("default/web")).isFalse();
        expectations.deletionObserved("default/web", "default/a");
        assertThat(expectations.satisfied("default/web")).isTrue();
    }

    /** An ObjectClient passing everything to another, for tests that make one call fail. */
    static class Delegating implements ObjectClient {
        final ObjectClient delegate;

        Delegating(ObjectClient delegate) {
            this.delegate = delegate;
        }

        public <T extends HasMetadata> T create(T object) {
            return delegate.create(object);
        }

        public <T extends HasMetadata> T update(T object) {
            return delegate.update(object);
        }

        public <T extends HasMetadata> T updateStatus(T object) {
            return delegate.updateStatus(object);
        }

        public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
            return delegate.get(type, namespace, name);
        }

        public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, String uid, String propagation) {
            return delegate.delete(type, namespace, name, uid, propagation);
        }
    }
}
