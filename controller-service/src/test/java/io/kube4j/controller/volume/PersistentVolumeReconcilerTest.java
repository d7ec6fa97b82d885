package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class PersistentVolumeReconcilerTest {

    final IndexedCache<PersistentVolumeClaim> claims = new IndexedCache<>();
    final IndexedCache<PersistentVolume> volumes = new IndexedCache<>();
    final IndexedCache<StorageClass> classes = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final IndexedCache<Node> nodes = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final PersistentVolumeReconciler reconciler = new PersistentVolumeReconciler(claims, volumes, classes, pods, nodes, fake, events,
            new VolumeProperties(Path.of("/data/local-path"), true, null, null), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    /** Kind and version as the gateway serves them (the model's setters are per class). */
    static PersistentVolumeClaim typed(PersistentVolumeClaim claim, String apiVersion, String kind) {
        claim.setApiVersion(apiVersion);
        claim.setKind(kind);
        return claim;
    }

    static PersistentVolume typed(PersistentVolume volume, String apiVersion, String kind) {
        volume.setApiVersion(apiVersion);
        volume.setKind(kind);
        return volume;
    }

    /** The caches catch up with the fake gateway. */
    void sync() {
        claims.list().forEach(c -> claims.remove(io.kube4j.machinery.informer.ObjectKeys.key(c)));
        volumes.list().forEach(v -> volumes.remove(v.getMetadata().getName()));
        fake.list(PersistentVolumeClaim.class).forEach(c -> claims.put(typed(c, "v1", "PersistentVolumeClaim")));
        fake.list(PersistentVolume.class).forEach(v -> volumes.put(typed(v, "v1", "PersistentVolume")));
        fake.list(StorageClass.class).forEach(classes::put);
    }

    void seedClaim(String text) {
        fake.seed(typed(VolumeMatchingTest.claim(text), "v1", "PersistentVolumeClaim"));
        sync();
    }

    void seedVolume(String text) {
        fake.seed(typed(VolumeMatchingTest.volume(text), "v1", "PersistentVolume"));
        sync();
    }

    PersistentVolumeClaim claim() {
        return fake.get(PersistentVolumeClaim.class, "default", "data").orElseThrow();
    }

    PersistentVolume volume(String name) {
        return fake.get(PersistentVolume.class, null, name).orElse(null);
    }

    @Test
    void aClaimBindsToAMatchingVolumeOnBothSides() {
        seedVolume("name=small size=1Gi");
        seedVolume("name=big size=10Gi");
        seedClaim("size=500Mi");

        reconciler.reconcile("claim:default/data");

        PersistentVolume bound = volume("small");
        assertThat(bound.getSpec().getClaimRef().getUid()).isEqualTo("c1");
        assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(bound.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        PersistentVolumeClaim claim = claim();
        assertThat(claim.getSpec().getVolumeName()).isEqualTo("small");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes");
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(claim.getStatus().getCapacity()).containsEntry("storage", new Quantity("1Gi"));
        assertThat(volume("big").getSpec().getClaimRef()).isNull();

        // Both sides settled: another pass of either writes nothing.
        sync();
        fake.clearActions();
        reconciler.reconcile("claim:default/data");
        reconciler.reconcile("volume:small");
        assertThat(fake.actions()).isEmpty();
    }

    @Test
    void aLocalPathClaimWaitsForItsPodThenGetsAVolumeOnThePodsNode() {
        reconciler.reconcile("class:local-path");
        StorageClass sc = fake.list(StorageClass.class).getFirst();
        assertThat(sc.getMetadata().getAnnotations()).containsEntry("storageclass.kubernetes.io/is-default-class", "true");
        assertThat(sc.getVolumeBindingMode()).isEqualTo("WaitForFirstConsumer");
        sync();
        seedClaim("size=2Gi class=local-path");

        reconciler.reconcile("claim:default/data");
        assertThat(fake.list(PersistentVolume.class)).isEmpty();
        assertThat(claim().getStatus().getPhase()).isEqualTo("Pending");
        assertThat(events.events()).contains("Normal WaitForFirstConsumer default/data: waiting for first consumer to be created before binding");

        pods.put(new PodBuilder().withNewMetadata().withNamespace("default").withName("app").endMetadata()
                .withNewSpec().withNodeName("n1").addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("data")
                .endPersistentVolumeClaim().endVolume().endSpec().build());
        sync();
        reconciler.reconcile("claim:default/data");

        PersistentVolume provisioned = volume("pvc-c1");
        assertThat(provisioned.getSpec().getHostPath().getPath()).isEqualTo("/data/local-path/default_data_pvc-c1");
        assertThat(provisioned.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(provisioned.getSpec().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
        assertThat(provisioned.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
        assertThat(provisioned.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst().getMatchExpressions().getFirst().getValues())
                .containsExactly("n1");
        assertThat(provisioned.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(claim().getSpec().getVolumeName()).isEqualTo("pvc-c1");
        assertThat(claim().getStatus().getPhase()).isEqualTo("Bound");
        assertThat(events.events()).contains("Normal ProvisioningSucceeded default/data: Successfully provisioned volume pvc-c1 using kube4j.io/local-path");
    }

    @ParameterizedTest(name = "reclaim {0}: {1}")
    @CsvSource({"Retain, Released", "Delete, gone", "Recycle, Failed"})
    void aVolumeWhoseClaimIsGoneIsReclaimed(String policy, String outcome) {
        seedVolume("name=pv size=1Gi");
        seedClaim("size=1Gi");
        reconciler.reconcile("claim:default/data");
        PersistentVolume bound = volume("pv");
        bound.getSpec().setPersistentVolumeReclaimPolicy(policy);
        fake.update(bound);
        fake.delete(PersistentVolumeClaim.class, "default", "data", null, null);
        sync();

        reconciler.reconcile("volume:pv");

        PersistentVolume after = volume("pv");
        assertThat(after == null ? "gone" : after.getStatus().getPhase()).isEqualTo(outcome);
        if (after != null) assertThat(after.getSpec().getClaimRef().getName()).isEqualTo("data");
    }

    /** A provisioned volume on n1 whose claim is gone. */
    PersistentVolume releasedLocalPathVolume() {
        nodes.put(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("n1").endMetadata().build());
        PersistentVolume pv = VolumeMatchingTest.volume("name=pvc-c1 size=1Gi node=n1 claim=default/data/c1 phase=Bound");
        pv.getMetadata().setUid("v1");
        pv.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of("pv.kubernetes.io/provisioned-by", "kube4j.io/local-path")));
        pv.getSpec().setHostPath(new io.fabric8.kubernetes.api.model.HostPathVolumeSource("/data/local-path/default_data_pvc-c1", "DirectoryOrCreate"));
        pv.getSpec().setPersistentVolumeReclaimPolicy("Delete");
        fake.seed(typed(pv, "v1", "PersistentVolume"));
        sync();
        return pv;
    }

    void cleanupPodIs(String phase) {
        Pod cleanup = fake.get(Pod.class, "kube-system", "cleanup-pvc-c1").orElseThrow();
        cleanup.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).build());
        fake.updateStatus(cleanup);
        pods.put(cleanup);
    }

    @Test
    void aDeletedLocalPathVolumeIsCleanedOnItsNodeBeforeItGoes() {
        releasedLocalPathVolume();

        reconciler.reconcile("volume:pvc-c1");
        Pod cleanup = fake.get(Pod.class, "kube-system", "cleanup-pvc-c1").orElseThrow();
        assertThat(cleanup.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(cleanup.getSpec().getContainers().getFirst().getCommand()).containsExactly("rm", "-rf", "/volume-parent/default_data_pvc-c1");
        assertThat(cleanup.getSpec().getVolumes().getFirst().getHostPath().getPath()).isEqualTo("/data/local-path");
        assertThat(volume("pvc-c1")).as("kept until its data is gone").isNotNull();
        assertThat(volume("pvc-c1").getStatus().getPhase()).isEqualTo("Released");

        pods.put(cleanup);
        sync();
        reconciler.reconcile("volume:pvc-c1");
        assertThat(volume("pvc-c1")).as("the cleanup pod is still running").isNotNull();

        cleanupPodIs("Succeeded");
        reconciler.reconcile("volume:pvc-c1");
        assertThat(volume("pvc-c1")).isNull();
        assertThat(fake.get(Pod.class, "kube-system", "cleanup-pvc-c1")).isEmpty();
    }

    @Test
    void aFailedCleanupLeavesTheVolumeFailedAndThePodForItsLogs() {
        releasedLocalPathVolume();
        reconciler.reconcile("volume:pvc-c1");
        sync();
        cleanupPodIs("Failed");

        reconciler.reconcile("volume:pvc-c1");

        assertThat(volume("pvc-c1").getStatus().getPhase()).isEqualTo("Failed");
        assertThat(volume("pvc-c1").getStatus().getMessage()).contains("kube-system/cleanup-pvc-c1", "/data/local-path/default_data_pvc-c1", "n1");
        assertThat(fake.get(Pod.class, "kube-system", "cleanup-pvc-c1")).isPresent();
        assertThat(events.events()).anyMatch(e -> e.startsWith("Warning VolumeFailedDelete"));
    }

    @Test
    void aVolumeOnANodeThatIsGoneIsDeletedWithoutCleanup() {
        releasedLocalPathVolume();
        nodes.remove("n1");
        reconciler.reconcile("volume:pvc-c1");
        assertThat(volume("pvc-c1")).isNull();
        assertThat(fake.list(Pod.class)).isEmpty();
    }

    @ParameterizedTest(name = "pod {0}: finalizer kept {1}")
    @CsvSource({"Running, true", "Pending, true", "Succeeded, false", "Failed, false", "none, false"})
    void aClaimBeingDeletedKeepsItsProtectionWhileAnUnfinishedPodUsesIt(String podPhase, boolean kept) {
        PersistentVolumeClaim c = VolumeMatchingTest.claim("size=1Gi");
        c.getMetadata().setFinalizers(java.util.List.of(PersistentVolumeReconciler.PVC_PROTECTION, "example.com/other"));
        c.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        fake.seed(typed(c, "v1", "PersistentVolumeClaim"));
        sync();
        if (!podPhase.equals("none")) {
            pods.put(new PodBuilder().withNewMetadata().withNamespace("default").withName("app").endMetadata()
                    .withNewSpec().withNodeName("n1").addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("data")
                    .endPersistentVolumeClaim().endVolume().endSpec().withNewStatus().withPhase(podPhase).endStatus().build());
        }

        reconciler.reconcile("claim:default/data");

        assertThat(claim().getMetadata().getFinalizers()).contains("example.com/other");
        assertThat(claim().getMetadata().getFinalizers().contains(PersistentVolumeReconciler.PVC_PROTECTION)).isEqualTo(kept);
    }

    @ParameterizedTest(name = "volume {0}: finalizer kept {1}")
    @CsvSource({"Bound, true", "Released, false", "Available, false"})
    void aVolumeBeingDeletedKeepsItsProtectionWhileBound(String phase, boolean kept) {
        PersistentVolume pv = VolumeMatchingTest.volume("name=pv phase=" + phase);
        pv.getMetadata().setFinalizers(java.util.List.of(PersistentVolumeReconciler.PV_PROTECTION));
        pv.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        fake.seed(typed(pv, "v1", "PersistentVolume"));
        sync();

        reconciler.reconcile("volume:pv");

        assertThat(volume("pv").getMetadata().getFinalizers().contains(PersistentVolumeReconciler.PV_PROTECTION)).isEqualTo(kept);
    }

    @Test
    void aBoundClaimWhoseVolumeVanishedIsLost() {
        seedVolume("name=pv size=1Gi");
        seedClaim("size=1Gi");
        reconciler.reconcile("claim:default/data");
        fake.delete(PersistentVolume.class, null, "pv", null, null);
        sync();

        reconciler.reconcile("claim:default/data");

        assertThat(claim().getStatus().getPhase()).isEqualTo("Lost");
        assertThat(events.events()).anySatisfy(e -> assertThat(e).contains("ClaimLost"));
    }

    @Test
    void aClaimThatNamesItsVolumeBindsToItAndANewVolumeBecomesAvailable() {
        seedVolume("name=pv size=1Gi phase=Pending");
        reconciler.reconcile("volume:pv");
        assertThat(volume("pv").getStatus().getPhase()).isEqualTo("Available");
        var claim = VolumeMatchingTest.claim("size=1Gi");
        claim.getSpec().setVolumeName("pv");
        fake.seed(typed(claim, "v1", "PersistentVolumeClaim"));
        sync();

        reconciler.reconcile("claim:default/data");

        assertThat(volume("pv").getSpec().getClaimRef().getUid()).isEqualTo("c1");
        assertThat(claim().getStatus().getPhase()).isEqualTo("Bound");
    }

    @Test
    void aClaimWithNoMatchAndNoClassStaysPending() {
        seedClaim("size=1Gi");
        reconciler.reconcile("claim:default/data");
        assertThat(claim().getStatus().getPhase()).isEqualTo("Pending");
        assertThat(events.events()).contains("Normal FailedBinding default/data: no persistent volumes available for this claim and no storage class is set");
    }
}
