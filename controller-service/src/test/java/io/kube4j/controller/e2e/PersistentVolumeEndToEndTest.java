package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static io.kube4j.controller.e2e.ControllerServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PersistentVolumes and claims on the real stack with the controller service in this JVM, driven
 * by the real kubectl: the default StorageClass {@code local-path} appears; a claim that names no
 * class gets it from the gateway's admission, waits for its first consumer, and once a pod that
 * uses it is on a node gets a provisioned hostPath volume pinned to that node; a hand-made volume
 * binds to the claim that fits, is Released when the claim goes and kept (Retain).
 */
class PersistentVolumeEndToEndTest {

    static LocalCluster cluster;
    static ConfigurableApplicationContext controllers;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
        controllers = ControllerServiceTest.startControllers(cluster, "pv-a");
    }

    @AfterAll
    static void stop() {
        if (controllers != null) controllers.close();
        if (cluster != null) cluster.close();
    }

    PersistentVolumeClaim claim(String name) {
        return cluster.client().persistentVolumeClaims().inNamespace("vol").withName(name).get();
    }

    String phase(PersistentVolumeClaim claim) {
        return claim == null || claim.getStatus() == null ? "" : claim.getStatus().getPhase();
    }

    @Test
    void provisionedOnFirstConsumerAndStaticBindingWithRelease() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "vol");
        await(() -> kubectl.run("get", "storageclass", "local-path").ok());
        assertThat(kubectl.ok("get", "storageclass")).containsPattern("local-path \\(default\\)\\s+kube4j.io/local-path\\s+Delete\\s+WaitForFirstConsumer");

        kubectl.runWithInput("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: vol}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
                """, "apply", "-f", "-");
        assertThat(claim("data").getSpec().getStorageClassName()).isEqualTo("local-path");
        await(() -> kubectl.ok("describe", "pvc", "data", "-n", "vol").contains("waiting for first consumer to be created before binding"));
        assertThat(phase(claim("data"))).isEqualTo("Pending");

        // The pod that uses it is on node n1 (as the scheduler would have put it).
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: app, namespace: vol}
                spec:
                  nodeName: n1
                  containers: [{name: app, image: busybox, volumeMounts: [{name: d, mountPath: /data}]}]
                  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
                """, "apply", "-f", "-");
        await(() -> "Bound".equals(phase(claim("data"))));
        String volumeName = claim("data").getSpec().getVolumeName();
        PersistentVolume provisioned = cluster.client().persistentVolumes().withName(volumeName).get();
        assertThat(provisioned.getSpec().getHostPath().getPath()).endsWith("/vol_data_" + volumeName);
        assertThat(provisioned.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst()
                .getMatchExpressions().getFirst().getValues()).containsExactly("n1");
        assertThat(kubectl.ok("get", "pvc", "data", "-n", "vol")).containsPattern("data\\s+Bound\\s+" + volumeName + "\\s+1Gi\\s+RWO\\s+local-path");

        // A hand-made volume, Retain: the fitting claim binds to it; when the claim goes, it is Released and kept.
        kubectl.runWithInput("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: manual, labels: {tier: gold}}
                spec:
                  capacity: {storage: 5Gi}
                  accessModes: [ReadWriteOnce, ReadOnlyMany]
                  persistentVolumeReclaimPolicy: Retain
                  storageClassName: manual
                  hostPath: {path: /tmp/kube4j-manual}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: logs, namespace: vol}
                spec:
                  storageClassName: manual
                  accessModes: [ReadWriteOnce]
                  selector: {matchLabels: {tier: gold}}
                  resources: {requests: {storage: 2Gi}}
                """, "apply", "-f", "-");
        await(() -> "Bound".equals(phase(claim("logs"))));
        assertThat(kubectl.ok("get", "pv", "manual")).containsPattern("manual\\s+5Gi\\s+RWO,ROX\\s+Retain\\s+Bound\\s+vol/logs\\s+manual");
        kubectl.ok("delete", "pvc", "logs", "-n", "vol");
        await(() -> kubectl.ok("get", "pv", "manual").contains("Released"));
        assertThat(kubectl.ok("get", "pv", "manual")).containsPattern("Retain\\s+Released\\s+vol/logs");
    }
}
