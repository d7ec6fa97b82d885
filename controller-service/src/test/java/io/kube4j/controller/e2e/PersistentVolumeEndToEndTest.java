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
 * comes after the claim that waits for it, binds to it (by class, size and selector), is Released
 * when the claim goes and kept (Retain); a claim a pod uses stays Terminating until the pod goes
 * (pvc-protection); a provisioned volume (Delete) is removed once its cleanup pod on its node is done.
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

        // The pod that uses it is on node n1 (as the scheduler would have put it). The Node exists:
        // the pod garbage collector removes pods bound to nodes that do not.
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Node
                metadata: {name: n1, labels: {kubernetes.io/hostname: n1}}
                """, "apply", "-f", "-");
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

        // A claim with nothing to bind to waits; a hand-made volume (Retain) that fits comes, and it binds.
        kubectl.runWithInput("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: logs, namespace: vol}
                spec:
                  storageClassName: manual
                  accessModes: [ReadWriteOnce]
                  selector: {matchLabels: {tier: gold}}
                  resources: {requests: {storage: 2Gi}}
                """, "apply", "-f", "-");
        await(() -> "Pending".equals(phase(claim("logs"))));
        kubectl.runWithInput("""
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: small}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  storageClassName: manual
                  hostPath: {path: /tmp/kube4j-small}
                ---
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: manual, labels: {tier: gold}}
                spec:
                  capacity: {storage: 5Gi}
                  accessModes: [ReadWriteOnce, ReadOnlyMany]
                  persistentVolumeReclaimPolicy: Retain
                  storageClassName: manual
                  hostPath: {path: /tmp/kube4j-manual}
                """, "apply", "-f", "-");
        await(() -> "Bound".equals(phase(claim("logs"))));
        // The other volume is too small and lacks the label the claim selects: it stays free.
        await(() -> kubectl.ok("get", "pv", "small").matches("(?s).*small\\s+1Gi\\s+RWO\\s+Retain\\s+Available.*"));
        assertThat(kubectl.ok("get", "pv", "manual")).containsPattern("manual\\s+5Gi\\s+RWO,ROX\\s+Retain\\s+Bound\\s+vol/logs\\s+manual");
        kubectl.ok("delete", "pvc", "logs", "-n", "vol");
        await(() -> kubectl.ok("get", "pv", "manual").contains("Released"));
        assertThat(kubectl.ok("get", "pv", "manual")).containsPattern("Retain\\s+Released\\s+vol/logs");

        // pvc-protection: a claim a pod still uses is Terminating until the pod is gone.
        assertThat(claim("data").getMetadata().getFinalizers()).containsExactly("kubernetes.io/pvc-protection");
        assertThat(provisioned.getMetadata().getFinalizers()).containsExactly("kubernetes.io/pv-protection");
        kubectl.ok("delete", "pvc", "data", "-n", "vol", "--wait=false");
        await(() -> kubectl.ok("get", "pvc", "data", "-n", "vol").contains("Terminating"));
        Thread.sleep(2_000);
        assertThat(claim("data")).as("kept while its pod is there").isNotNull();
        kubectl.ok("delete", "pod", "app", "-n", "vol", "--force", "--grace-period=0");
        await(() -> claim("data") == null);

        // Delete reclaim of a provisioned volume: a cleanup pod on its node removes the directory, then the volume goes.
        String cleanup = "cleanup-" + volumeName;
        await(() -> kubectl.run("get", "pod", cleanup, "-n", "kube-system").ok());
        assertThat(kubectl.ok("get", "pod", cleanup, "-n", "kube-system", "-o", "jsonpath={.spec.nodeName} {.spec.containers[0].command}"))
                .isEqualTo("n1 [\"rm\",\"-rf\",\"/volume-parent/vol_data_" + volumeName + "\"]");
        assertThat(cluster.client().persistentVolumes().withName(volumeName).get()).as("kept until its data is removed").isNotNull();
        // The node's agent reports the pod done.
        kubectl.ok("patch", "pod", cleanup, "-n", "kube-system", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Succeeded\"}}");
        await(() -> cluster.client().persistentVolumes().withName(volumeName).get() == null);
        await(() -> !kubectl.run("get", "pod", cleanup, "-n", "kube-system").ok());
    }
}
