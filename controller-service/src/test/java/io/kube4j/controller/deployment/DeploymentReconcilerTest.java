package io.kube4j.controller.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kube4j.controller.pods.Owners;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentReconcilerTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    final IndexedCache<Deployment> deployments = new IndexedCache<>();
    final IndexedCache<ReplicaSet> sets = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();

    Result reconcile() {
        return new DeploymentReconciler(deployments, sets, pods, fake, events, Clock.fixed(NOW, ZoneOffset.UTC)).reconcile("default/web");
    }

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
    }

    Deployment deployment(int replicas, String strategy, String maxSurge, String maxUnavailable, String image) {
        var b = new DeploymentBuilder().withNewMetadata().withNamespace("default").withName("web").withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(replicas).withRevisionHistoryLimit(10).withProgressDeadlineSeconds(600)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withTemplate(template(image)).withNewStrategy().withType(strategy).endStrategy().endSpec();
        if (strategy.equals("RollingUpdate")) {
            b.editSpec().editStrategy().withNewRollingUpdate().withMaxSurge(intOrPercent(maxSurge)).withMaxUnavailable(intOrPercent(maxUnavailable))
                    .endRollingUpdate().endStrategy().endSpec();
        }
        return put(b.build());
    }

    Deployment put(Deployment d) {
        Deployment stored = fake.get(Deployment.class, "default", "web").isPresent() ? fake.update(d) : fake.seed(d);
        stored.setApiVersion("apps/v1");
        stored.setKind("Deployment");
        deployments.put(stored);
        return stored;
    }

    static IntOrString intOrPercent(String v) {
        return v.endsWith("%") ? new IntOrString(v) : new IntOrString(Integer.parseInt(v));
    }

    ReplicaSet rs(Deployment d, String image, int replicas, int available, int revision, int minutesAgo) {
        PodTemplateSpec t = template(image);
        String hash = TemplateHash.of(t, null);
        t.getMetadata().getLabels().put(Rollouts.HASH_LABEL, hash);
        ReplicaSet rs = fake.seed(new ReplicaSetBuilder().withNewMetadata().withNamespace("default").withName("web-" + hash)
                .withLabels(t.getMetadata().getLabels()).withOwnerReferences(Owners.controllerRef(d)).withGeneration(1L)
                .withCreationTimestamp(NOW.minus(Duration.ofMinutes(minutesAgo)).toString())
                .withAnnotations(Map.of(Rollouts.REVISION, Integer.toString(revision), Rollouts.DESIRED_REPLICAS, Integer.toString(Rollouts.replicas(d)),
                        Rollouts.MAX_REPLICAS, Integer.toString(Rollouts.replicas(d) + Rollouts.maxSurge(d))))
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", "web").addToMatchLabels(Rollouts.HASH_LABEL, hash).endSelector()
                .withTemplate(t).endSpec()
                .withNewStatus().withReplicas(replicas).withReadyReplicas(available).withAvailableReplicas(available).withObservedGeneration(1L).endStatus()
                .build());
        sets.put(rs);
        return rs;
    }

    ReplicaSet stored(String image) {
        return fake.list(ReplicaSet.class).stream()
                .filter(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage().equals(image))
                .findFirst().orElse(null);
    }

    Deployment storedDeployment() {
        return fake.get(Deployment.class, "default", "web").orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name, replicas, maxSurge, maxUnavailable, old replicas, old available, new replicas (-1: none yet), new available → new, old
            "starts a rollout: surge one and take one old down,  4, 1,   1,   4,  4, -1, 0,  1, 3",
            "grows the new set while within surge,              4, 1,   1,   3,  3,  1, 0,  2, 3",
            "stalls when new pods never become ready,           4, 1,   1,   3,  3,  2, 0,  2, 3",
            "takes old pods down as new ones become available,  4, 1,   1,   3,  3,  2, 2,  2, 1",
            "percents: surge rounds up and unavailable down,   10, 25%, 25%, 10, 10, -1, 0,  3, 8",
            "no surge: old pods go first,                       4, 0,   1,   4,  4, -1, 0,  0, 3",
            "unavailable old replicas are removed first,        4, 1,   1,   4,  2,  1, 0,  1, 3",
            "finishes: the last old replicas go,                4, 1,   1,   1,  1,  4, 4,  4, 0",
    })
    void rollingUpdateStep(String name, int replicas, String surge, String unavailable, int oldReplicas, int oldAvailable,
                           int newReplicas, int newAvailable, int expectedNew, int expectedOld) {
        Deployment d = deployment(replicas, "RollingUpdate", surge, unavailable, "nginx:2");
        rs(d, "nginx:1", oldReplicas, oldAvailable, 1, 60);
        if (newReplicas >= 0) rs(d, "nginx:2", newReplicas, newAvailable, 2, 5);
        reconcile();
        assertThat(Rollouts.replicas(stored("nginx:2"))).as("new").isEqualTo(expectedNew);
        assertThat(Rollouts.replicas(stored("nginx:1"))).as("old").isEqualTo(expectedOld);
        var status = storedDeployment().getStatus();
        assertThat(status.getObservedGeneration()).isEqualTo(3L);
        assertThat(status.getAvailableReplicas()).isEqualTo(oldAvailable + Math.max(newAvailable, 0));
    }

    @Test
    void aNewDeploymentGetsItsFirstReplicaSetWithHashRevisionAndEvent() {
        deployment(3, "RollingUpdate", "25%", "25%", "nginx:1");
        reconcile();
        ReplicaSet rs = stored("nginx:1");
        String hash = TemplateHash.of(template("nginx:1"), null);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs.getMetadata().getLabels()).containsEntry("app", "web").containsEntry(Rollouts.HASH_LABEL, hash);
        assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry(Rollouts.HASH_LABEL, hash);
        assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Rollouts.HASH_LABEL, hash);
        assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(Rollouts.REVISION, "1")
                .containsEntry(Rollouts.DESIRED_REPLICAS, "3").containsEntry(Rollouts.MAX_REPLICAS, "4");
        assertThat(Owners.controllerOf(rs).getKind()).isEqualTo("Deployment");
        assertThat(Owners.controllerOf(rs).getBlockOwnerDeletion()).isTrue();
        assertThat(events.events()).containsExactly("Normal ScalingReplicaSet default/web: Scaled up replica set web-" + hash + " to 3 from 0");
        Deployment d = storedDeployment();
        assertThat(d.getMetadata().getAnnotations()).containsEntry(Rollouts.REVISION, "1");
        DeploymentCondition progressing = Rollouts.condition(d.getStatus(), Rollouts.PROGRESSING);
        assertThat(progressing.getReason()).isEqualTo(Rollouts.NEW_RS_CREATED);
        assertThat(progressing.getMessage()).isEqualTo("Created new replica set \"web-" + hash + "\"");
        assertThat(Rollouts.condition(d.getStatus(), Rollouts.AVAILABLE).getReason()).isEqualTo(Rollouts.MIN_UNAVAILABLE);
    }

    @Test
    void aCompleteRolloutReportsNewReplicaSetAvailableAndCleansUpBeyondTheHistoryLimit() {
        Deployment d = deployment(2, "RollingUpdate", "25%", "25%", "nginx:4");
        d.getSpec().setRevisionHistoryLimit(1);
        d = put(d);
        rs(d, "nginx:1", 0, 0, 1, 40);
        rs(d, "nginx:2", 0, 0, 2, 30);
        rs(d, "nginx:3", 0, 0, 3, 20);
        rs(d, "nginx:4", 2, 2, 4, 10);
        reconcile();
        // Status first: observing the new state; the next pass sees it complete and cleans up.
        deployments.put(withTypeMeta(storedDeployment()));
        reconcile();
        assertThat(fake.list(ReplicaSet.class)).extracting(rs -> rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                .containsExactlyInAnyOrder("nginx:3", "nginx:4");
        var status = storedDeployment().getStatus();
        assertThat(status.getReplicas() + "/" + status.getUpdatedReplicas() + "/" + status.getReadyReplicas() + "/" + status.getAvailableReplicas() + "/" + status.getUnavailableReplicas())
                .isEqualTo("2/2/2/2/0");
        assertThat(Rollouts.condition(status, Rollouts.PROGRESSING).getReason()).isEqualTo(Rollouts.NEW_RS_AVAILABLE);
        assertThat(Rollouts.condition(status, Rollouts.PROGRESSING).getMessage()).startsWith("ReplicaSet \"web-").endsWith("\" has successfully progressed.");
        assertThat(Rollouts.condition(status, Rollouts.AVAILABLE).getReason()).isEqualTo(Rollouts.MIN_AVAILABLE);
    }

    static Deployment withTypeMeta(Deployment d) {
        d.setApiVersion("apps/v1");
        d.setKind("Deployment");
        return d;
    }

    @Test
    void scalingMidRolloutIsProportional() {
        // 10 → 15 replicas while 8 old and 5 new exist (both annotated for 10 + surge 3 = 13).
        Deployment d = deployment(10, "RollingUpdate", "3", "2", "nginx:2");
        ReplicaSet old = rs(d, "nginx:1", 8, 8, 1, 60);
        ReplicaSet fresh = rs(d, "nginx:2", 5, 0, 2, 5);
        d.getSpec().setReplicas(15);
        put(d);
        reconcile();
        // allowed 15 + 3 = 18, to add 5: old 8·18/13 = 11.08 → +3, new 5·18/13 = 6.9 → +2
        assertThat(Rollouts.replicas(stored("nginx:1"))).isEqualTo(11);
        assertThat(Rollouts.replicas(stored("nginx:2"))).isEqualTo(7);
        assertThat(stored("nginx:1").getMetadata().getAnnotations()).containsEntry(Rollouts.DESIRED_REPLICAS, "15").containsEntry(Rollouts.MAX_REPLICAS, "18");
        assertThat(events.events()).containsExactlyInAnyOrder(
                "Normal ScalingReplicaSet default/web: Scaled up replica set " + old.getMetadata().getName() + " to 11 from 8",
                "Normal ScalingReplicaSet default/web: Scaled up replica set " + fresh.getMetadata().getName() + " to 7 from 5");
    }

    @Test
    void recreateScalesOldSetsToZeroAndWaitsForTheirPodsBeforeTheNewOne() {
        Deployment d = deployment(3, "Recreate", null, null, "nginx:2");
        ReplicaSet old = rs(d, "nginx:1", 3, 3, 1, 60);
        reconcile();
        assertThat(Rollouts.replicas(stored("nginx:1"))).isZero();
        assertThat(stored("nginx:2")).isNull();

        // Old ReplicaSet at zero but a pod still running: still no new one.
        ReplicaSet zero = fake.get(ReplicaSet.class, "default", old.getMetadata().getName()).orElseThrow();
        zero.getStatus().setReplicas(0);
        zero.getStatus().setAvailableReplicas(0);
        sets.put(fake.updateStatus(zero));
        Pod lingering = fake.seed(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withNamespace("default").withName("old-pod")
                .withOwnerReferences(Owners.controllerRef(withKind(zero))).endMetadata().withNewStatus().withPhase("Running").endStatus().build());
        pods.put(lingering);
        deployments.put(withTypeMeta(storedDeployment()));
        reconcile();
        assertThat(stored("nginx:2")).isNull();

        pods.remove("default/old-pod");
        deployments.put(withTypeMeta(storedDeployment()));
        reconcile();
        assertThat(Rollouts.replicas(stored("nginx:2"))).isEqualTo(3);
    }

    static ReplicaSet withKind(ReplicaSet rs) {
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        return rs;
    }

    @Test
    void aPausedDeploymentMakesNoNewReplicaSetAndSaysItIsPaused() {
        Deployment d = deployment(2, "RollingUpdate", "1", "0", "nginx:2");
        rs(d, "nginx:1", 2, 2, 1, 60);
        d.getSpec().setPaused(true);
        put(d);
        reconcile();
        assertThat(stored("nginx:2")).isNull();
        DeploymentCondition c = Rollouts.condition(storedDeployment().getStatus(), Rollouts.PROGRESSING);
        assertThat(c.getStatus() + " " + c.getReason() + " " + c.getMessage()).isEqualTo("Unknown DeploymentPaused Deployment is paused");
    }

    @Test
    void noProgressPastTheDeadlineIsProgressDeadlineExceeded() {
        Deployment d = deployment(2, "RollingUpdate", "1", "0", "nginx:2");
        rs(d, "nginx:1", 2, 2, 1, 60);
        ReplicaSet fresh = rs(d, "nginx:2", 1, 0, 2, 30);
        d = storedDeployment();
        d.getMetadata().setAnnotations(Map.of(Rollouts.REVISION, "2"));
        var status = new io.fabric8.kubernetes.api.model.apps.DeploymentStatus();
        status.setObservedGeneration(3L);
        status.setReplicas(3);
        status.setUpdatedReplicas(1);
        status.setAvailableReplicas(2);
        status.setReadyReplicas(2);
        status.setUnavailableReplicas(1);
        status.setConditions(new java.util.ArrayList<>(List.of(
                Rollouts.newCondition(Rollouts.PROGRESSING, "True", Rollouts.RS_UPDATED, "x", NOW.minus(Duration.ofMinutes(11))))));
        d.setStatus(status);
        put(d);
        Result withinDeadline = reconcile();
        var c = Rollouts.condition(storedDeployment().getStatus(), Rollouts.PROGRESSING);
        assertThat(c.getStatus() + " " + c.getReason() + " " + c.getMessage())
                .isEqualTo("False ProgressDeadlineExceeded ReplicaSet \"" + fresh.getMetadata().getName() + "\" has timed out progressing.");
        assertThat(withinDeadline.requeueAfter()).isNull();
        assertThat(Rollouts.replicas(stored("nginx:1"))).as("old pods stay").isEqualTo(2);
    }

    @Test
    void undoMakesTheOldReplicaSetNewAgainWithTheNextRevision() {
        Deployment d = deployment(2, "RollingUpdate", "1", "0", "nginx:1");
        rs(d, "nginx:1", 0, 0, 1, 60);
        rs(d, "nginx:2", 2, 2, 2, 30);
        reconcile();
        ReplicaSet back = stored("nginx:1");
        assertThat(back.getMetadata().getAnnotations()).containsEntry(Rollouts.REVISION, "3").containsEntry(Rollouts.REVISION_HISTORY, "1");
    }

    @ParameterizedTest(name = "{0} of {1}: surge {2} unavailable {3}")
    @CsvSource({
            "25%, 10, 3, 2",
            "25%, 4,  1, 1",
            "25%, 1,  1, 0",
            "50%, 5,  3, 2",
            "0,   3,  0, 1",
            "2,   3,  2, 2",
    })
    void fencepostsRoundSurgeUpAndUnavailableDown(String value, int replicas, int surge, int unavailable) {
        Deployment d = deployment(replicas, "RollingUpdate", value, value, "nginx");
        assertThat(Rollouts.maxSurge(d)).isEqualTo(surge);
        assertThat(Rollouts.maxUnavailable(d)).isEqualTo(unavailable);
    }

    @Test
    void theHashIgnoresItsOwnLabelAndEmptyFieldsAndMovesWithTheCollisionCount() {
        PodTemplateSpec a = template("nginx");
        PodTemplateSpec b = template("nginx");
        b.getMetadata().setAnnotations(Map.of());
        assertThat(TemplateHash.of(a, null)).isEqualTo(TemplateHash.of(b, null));
        assertThat(TemplateHash.of(a, 1)).isNotEqualTo(TemplateHash.of(a, null));
        assertThat(TemplateHash.of(template("nginx:2"), null)).isNotEqualTo(TemplateHash.of(a, null));
        b.getMetadata().getLabels().put(Rollouts.HASH_LABEL, "abc");
        assertThat(Rollouts.equalIgnoringHash(a, b)).isTrue();
    }
}
