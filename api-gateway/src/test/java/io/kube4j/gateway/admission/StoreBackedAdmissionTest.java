package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admission plugins that consult other objects: Priority and DefaultStorageClass. */
class StoreBackedAdmissionTest {

    private final MemoryStore store = new MemoryStore();
    private final AdmissionContext context = new AdmissionContext(store, false);
    private final PodStrategy pods = new PodStrategy();
    private final PersistentVolumeClaimStrategy claims = new PersistentVolumeClaimStrategy();

    private void put(ResourceType type, String yaml) {
        ObjectNode object = yaml(yaml);
        store.create(type.key(null, object.at("/metadata/name").stringValue()),
                object.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode pod(String spec) {
        ObjectNode pod = yaml("metadata: {name: web, namespace: default}\nspec: " + spec);
        pods.defaults(pod);
        pods.prepareForCreate(pod, context);
        return pod;
    }

    @Test
    void podsTakeTheirPriorityFromTheirClass() {
        put(BuiltInTypes.PRIORITY_CLASS, "metadata: {name: batch}\nvalue: 100\npreemptionPolicy: Never");
        ObjectNode pod = pod("{priorityClassName: batch, containers: [{name: c, image: busybox}]}");
        assertThat(pod.at("/spec/priority").intValue()).isEqualTo(100);
        assertThat(pod.at("/spec/preemptionPolicy").stringValue()).isEqualTo("Never");
    }

    @Test
    void podsWithoutAClassTakeTheLowestGlobalDefault() {
        put(BuiltInTypes.PRIORITY_CLASS, "metadata: {name: high}\nvalue: 1000\nglobalDefault: true");
        put(BuiltInTypes.PRIORITY_CLASS, "metadata: {name: low}\nvalue: 10\nglobalDefault: true\npreemptionPolicy: PreemptLowerPriority");
        put(BuiltInTypes.PRIORITY_CLASS, "metadata: {name: other}\nvalue: 1");
        ObjectNode pod = pod("{containers: [{name: c, image: busybox}]}");
        assertThat(pod.at("/spec/priorityClassName").stringValue()).isEqualTo("low");
        assertThat(pod.at("/spec/priority").intValue()).isEqualTo(10);
    }

    @Test
    void anUnknownClassOrADifferentPriorityIsForbidden() {
        assertThatThrownBy(() -> pod("{priorityClassName: gold, containers: [{name: c, image: busybox}]}"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403))
                .hasMessage("pods \"web\" is forbidden: no PriorityClass with name gold was found");
        assertThatThrownBy(() -> pod("{priority: 5, containers: [{name: c, image: busybox}]}"))
                .hasMessage("pods \"web\" is forbidden: the integer value of priority (5) must not be provided in pod "
                        + "spec; priority admission controller computed 0 from the given PriorityClass name");
    }

    @Test
    void claimsWithoutAClassGetTheNewestDefaultClass() {
        put(BuiltInTypes.STORAGE_CLASS, """
                metadata:
                  name: old-default
                  creationTimestamp: "2026-01-01T00:00:00Z"
                  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
                provisioner: example.com/a
                """);
        put(BuiltInTypes.STORAGE_CLASS, """
                metadata:
                  name: local-path
                  creationTimestamp: "2026-06-01T00:00:00Z"
                  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
                provisioner: rancher.io/local-path
                """);
        put(BuiltInTypes.STORAGE_CLASS, "metadata: {name: fast, creationTimestamp: '2026-09-01T00:00:00Z'}\nprovisioner: example.com/b");

        ObjectNode claim = yaml("metadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}");
        claims.defaults(claim);
        claims.prepareForCreate(claim, context);
        assertThat(claim.at("/spec/storageClassName").stringValue()).isEqualTo("local-path");

        ObjectNode noClass = yaml("metadata: {name: static}\nspec: {storageClassName: '', accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}");
        claims.defaults(noClass);
        claims.prepareForCreate(noClass, context);
        assertThat(noClass.at("/spec/storageClassName").stringValue()).as("an explicit empty class binds statically").isEmpty();
    }
}
