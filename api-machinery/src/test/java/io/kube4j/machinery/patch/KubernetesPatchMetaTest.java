package io.kube4j.machinery.patch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesPatchMetaTest {

    /** The patchStrategy/patchMergeKey tags of the Kubernetes API types, as reached from each kind. */
    @ParameterizedTest(name = "[{index}] {0}/{1} {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "''|Pod|spec.containers|MERGE|name",
            "''|Pod|spec.initContainers|MERGE|name",
            "''|Pod|spec.ephemeralContainers|MERGE|name",
            "''|Pod|spec.containers.ports|MERGE|containerPort",
            "''|Pod|spec.containers.env|MERGE|name",
            "''|Pod|spec.containers.volumeMounts|MERGE|mountPath",
            "''|Pod|spec.containers.volumeDevices|MERGE|devicePath",
            "''|Pod|spec.initContainers.env|MERGE|name",
            "''|Pod|spec.volumes|MERGE|name",
            "''|Pod|spec.imagePullSecrets|MERGE|name",
            "''|Pod|spec.hostAliases|MERGE|ip",
            "''|Pod|spec.topologySpreadConstraints|MERGE|topologyKey",
            "''|Pod|spec.tolerations|DEFAULT|-",
            "''|Pod|spec.containers.args|DEFAULT|-",
            "''|Pod|spec.containers.envFrom|DEFAULT|-",
            "''|Pod|status.conditions|MERGE|type",
            "''|Pod|status.podIPs|MERGE|ip",
            "''|Pod|status.containerStatuses|DEFAULT|-",
            "''|Pod|metadata.finalizers|MERGE|-",
            "''|Pod|metadata.ownerReferences|MERGE|uid",
            "''|Pod|metadata.managedFields|DEFAULT|-",
            "''|ConfigMap|metadata.finalizers|MERGE|-",
            "''|Service|spec.ports|MERGE|port",
            "''|Service|status.conditions|MERGE|type",
            "''|Node|status.addresses|MERGE|type",
            "''|Node|status.conditions|MERGE|type",
            "''|Node|spec.podCIDRs|MERGE|-",
            "''|Node|spec.taints|DEFAULT|-",
            "''|Namespace|status.conditions|MERGE|type",
            "''|PersistentVolumeClaim|status.conditions|MERGE|type",
            "''|ServiceAccount|secrets|MERGE|name",
            "''|ReplicationController|spec.template.spec.containers|MERGE|name",
            "''|PodTemplate|template.spec.containers.ports|MERGE|containerPort",
            "apps|Deployment|spec.template.spec.containers|MERGE|name",
            "apps|Deployment|spec.template.metadata.finalizers|MERGE|-",
            "apps|Deployment|status.conditions|MERGE|type",
            "apps|ReplicaSet|spec.template.spec.containers.env|MERGE|name",
            "apps|StatefulSet|spec.template.spec.volumes|MERGE|name",
            "apps|StatefulSet|spec.volumeClaimTemplates|DEFAULT|-",
            "apps|DaemonSet|spec.template.spec.initContainers|MERGE|name",
            "batch|Job|spec.template.spec.containers|MERGE|name",
            "batch|Job|status.conditions|MERGE|type",
            "batch|CronJob|spec.jobTemplate.spec.template.spec.containers|MERGE|name",
            "batch|CronJob|spec.jobTemplate.metadata.ownerReferences|MERGE|uid",
            "autoscaling|HorizontalPodAutoscaler|status.conditions|MERGE|type",
            "policy|PodDisruptionBudget|status.conditions|MERGE|type",
            "policy|PodDisruptionBudget|spec.selector|REPLACE|-",
            "networking.k8s.io|Ingress|spec.rules|DEFAULT|-",
            "networking.k8s.io|Ingress|metadata.finalizers|MERGE|-",
            "example.com|Widget|spec.containers|DEFAULT|-",
            "example.com|Widget|metadata.finalizers|DEFAULT|-"})
    void knowsTheKubernetesTags(String group, String kind, String path, FieldMeta.Strategy strategy, String key) {
        FieldMeta meta = KubernetesPatchMeta.forKind(group, kind).field(path);
        assertThat(meta.strategy()).isEqualTo(strategy);
        assertThat(meta.mergeKey()).isEqualTo(key);
    }

    @ParameterizedTest(name = "[{index}] {0}/{1} {2}")
    @CsvSource(delimiter = '|', value = {
            "apps|Deployment|spec.strategy",
            "apps|Deployment|spec.template.spec.volumes",
            "''|Pod|spec.volumes"})
    void marksRetainKeysFields(String group, String kind, String path) {
        assertThat(KubernetesPatchMeta.forKind(group, kind).field(path).retainKeys()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}/{1} {2}")
    @CsvSource(delimiter = '|', value = {
            "apps|Deployment|spec.selector",
            "apps|StatefulSet|spec.selector",
            "batch|Job|spec.selector",
            "''|Service|spec.selector",
            "policy|PodDisruptionBudget|spec.selector",
            "networking.k8s.io|NetworkPolicy|spec.podSelector",
            "''|Event|involvedObject",
            "''|Event|related"})
    void marksAtomicSelectors(String group, String kind, String path) {
        assertThat(KubernetesPatchMeta.forKind(group, kind).field(path).atomic()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}/{1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "''|Pod|true",
            "''|ConfigMap|true",
            "apps|Deployment|true",
            "batch|CronJob|true",
            "rbac.authorization.k8s.io|Role|true",
            "apiextensions.k8s.io|CustomResourceDefinition|true",
            "example.com|Widget|false",
            "apps|Widget|false",
            "''|Deployment|false"})
    void supportsStrategicMergeForBuiltInKindsOnly(String group, String kind, boolean supported) {
        assertThat(KubernetesPatchMeta.supportsStrategicMerge(group, kind)).isEqualTo(supported);
    }

    /** What the Go zero value of each kind holds: structs by value and fields without omitempty. */
    @ParameterizedTest(name = "[{index}] {0}/{1} {2} present: {3}")
    @CsvSource(delimiter = '|', value = {
            "apps|Deployment|spec|true",
            "apps|Deployment|status|true",
            "apps|Deployment|metadata.labels|false",
            "apps|Deployment|spec.strategy|true",
            "apps|Deployment|spec.strategy.rollingUpdate|false",
            "apps|Deployment|spec.template|true",
            "apps|Deployment|spec.template.metadata|true",
            "apps|Deployment|spec.template.metadata.labels|false",
            "apps|Deployment|spec.template.spec|true",
            "apps|Deployment|spec.template.spec.containers|true",
            "apps|Deployment|spec.template.spec.containers.resources|true",
            "apps|Deployment|spec.template.spec.containers.ports|false",
            "apps|Deployment|spec.template.spec.volumes|false",
            "apps|StatefulSet|spec.updateStrategy|true",
            "batch|CronJob|spec.jobTemplate.spec.template.spec.containers|true",
            "''|Pod|spec.containers|true",
            "''|Pod|spec.initContainers|false",
            "''|Service|spec.ports|false",
            "''|Service|status.loadBalancer|true",
            "''|ConfigMap|data|false",
            "''|ConfigMap|metadata|true",
            "''|PersistentVolumeClaim|spec.resources|true",
            "''|Event|source|true",
            "example.com|Widget|spec|false"})
    void knowsWhatTheZeroValueHolds(String group, String kind, String path, boolean present) {
        assertThat(KubernetesPatchMeta.forKind(group, kind).alwaysPresent(path)).isEqualTo(present);
    }

    @ParameterizedTest(name = "[{index}] {0}/{1} {2}")
    @CsvSource(delimiter = '|', value = {
            "''|Pod|spec.containers.ports|protocol",
            "''|Service|spec.ports|protocol",
            "apps|Deployment|spec.template.spec.containers.ports|protocol"})
    void keysPortsByTheirProtocolToo(String group, String kind, String path, String key) {
        assertThat(KubernetesPatchMeta.forKind(group, kind).field(path).moreKeys()).containsExactly(key);
    }

    @ParameterizedTest(name = "[{index}] {0}/{1} {2}")
    @CsvSource(delimiter = '|', value = {"''|Pod|metadata.ownerReferences", "apps|ReplicaSet|metadata.ownerReferences"})
    void ownsOwnerReferencesAsAWhole(String group, String kind, String path) {
        assertThat(KubernetesPatchMeta.forKind(group, kind).field(path).atomicElements()).isTrue();
    }
}
