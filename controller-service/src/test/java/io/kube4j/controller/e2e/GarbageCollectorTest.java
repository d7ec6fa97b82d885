package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kube4j.testcluster.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.kube4j.controller.e2e.ControllerServiceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Cascading deletion by kubectl's three {@code --cascade} modes, on dependents the test makes with ownerReferences. */
@ExtendWith(SharedControlPlane.Extension.class)
class GarbageCollectorTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start(SharedControlPlane plane) {
        cluster = plane.cluster();
    }

    static Deployment deployment(String name) {
        return cluster.client().apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
    }

    static ConfigMap dependent(String name, HasMetadata owner, boolean block, String... finalizers) {
        return cluster.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).withFinalizers(finalizers)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                        .withBlockOwnerDeletion(block).withController(true).build())
                .endMetadata().addToData("k", "v").build()).create();
    }

    static ConfigMap configMap(String name) {
        return cluster.client().configMaps().inNamespace("default").withName(name).get();
    }

    /** A CustomResourceDefinition created after the collector started, then custom resources as owners and as dependents. */
    @Test
    void customResourcesOwnAndAreOwned() throws Exception {
        cluster.kubectl().runWithInput("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: gizmos.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {kind: Gizmo, plural: gizmos, singular: gizmo}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """, "apply", "-f", "-");
        await(() -> cluster.kubectl().run("get", "gizmos", "-n", "default").ok());
        var gizmos = cluster.client().genericKubernetesResources("example.com/v1", "Gizmo").inNamespace("default");

        // A custom resource owns a ConfigMap: deleting it in the background takes the ConfigMap.
        cluster.kubectl().runWithInput("""
                apiVersion: example.com/v1
                kind: Gizmo
                metadata: {name: owner, namespace: default}
                """, "apply", "-f", "-");
        dependent("gizmo-1", gizmos.withName("owner").get(), false);
        cluster.kubectl().ok("delete", "gizmo", "owner", "--cascade=background");
        await(() -> configMap("gizmo-1") == null);

        // Foreground on a custom owner: its blocking dependent goes first, then the owner.
        cluster.kubectl().runWithInput("""
                apiVersion: example.com/v1
                kind: Gizmo
                metadata: {name: fg-owner, namespace: default}
                """, "apply", "-f", "-");
        dependent("gizmo-2", gizmos.withName("fg-owner").get(), true);
        cluster.kubectl().ok("delete", "gizmo", "fg-owner", "--cascade=foreground", "--wait=false");
        await(() -> configMap("gizmo-2") == null && gizmos.withName("fg-owner").get() == null);

        // A custom resource owned by a Deployment goes with it.
        Deployment d = deployment("gizmo-owner");
        cluster.kubectl().runWithInput("""
                apiVersion: example.com/v1
                kind: Gizmo
                metadata:
                  name: owned
                  namespace: default
                  ownerReferences:
                  - {apiVersion: apps/v1, kind: Deployment, name: gizmo-owner, uid: %s}
                """.formatted(d.getMetadata().getUid()), "apply", "-f", "-");
        assertThat(gizmos.withName("owned").get()).isNotNull();
        cluster.kubectl().ok("delete", "deployment", "gizmo-owner", "--cascade=background");
        await(() -> gizmos.withName("owned").get() == null);
    }

    @Test
    void backgroundDeletesDependentsAndTheirDependents() throws Exception {
        Deployment d = deployment("bg");
        ConfigMap first = dependent("bg-1", d, false);
        dependent("bg-2", first, false);
        cluster.kubectl().ok("delete", "deployment", "bg", "--cascade=background");
        await(() -> configMap("bg-1") == null && configMap("bg-2") == null);
    }

    @Test
    void foregroundWaitsForBlockingDependents() throws Exception {
        Deployment d = deployment("fg");
        dependent("fg-1", d, true, "example.com/hold");
        dependent("fg-2", d, false);
        cluster.kubectl().ok("delete", "deployment", "fg", "--cascade=foreground", "--wait=false");
        await(() -> configMap("fg-2") == null && configMap("fg-1") != null && configMap("fg-1").getMetadata().getDeletionTimestamp() != null);
        Deployment waiting = cluster.client().apps().deployments().inNamespace("default").withName("fg").get();
        assertThat(waiting.getMetadata().getFinalizers()).contains("foregroundDeletion");
        assertThat(cluster.kubectl().ok("get", "deployment", "fg", "-o", "jsonpath={.metadata.deletionTimestamp}")).isNotBlank();

        cluster.kubectl().ok("patch", "configmap", "fg-1", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        await(() -> cluster.kubectl().run("get", "deployment", "fg").err().contains("NotFound"));
        assertThat(configMap("fg-1")).isNull();
    }

    @Test
    void orphanKeepsDependentsWithoutTheReference() throws Exception {
        Deployment d = deployment("or");
        dependent("or-1", d, true);
        cluster.kubectl().ok("delete", "deployment", "or", "--cascade=orphan");
        await(() -> cluster.kubectl().run("get", "deployment", "or").err().contains("NotFound"));
        ConfigMap kept = configMap("or-1");
        assertThat(kept).isNotNull();
        assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();
        Thread.sleep(1000);
        assertThat(configMap("or-1")).isNotNull();
    }

    @Test
    void anOwnerRecreatedUnderTheSameNameDoesNotOwnTheOldDependents() throws Exception {
        Deployment old = deployment("same");
        cluster.kubectl().ok("delete", "deployment", "same", "--cascade=orphan");
        await(() -> cluster.kubectl().run("get", "deployment", "same").err().contains("NotFound"));
        deployment("same");
        dependent("same-1", old, false);
        await(() -> configMap("same-1") == null);
        assertThat(cluster.kubectl().ok("get", "deployment", "same", "-o", "name")).contains("same");
    }
}
