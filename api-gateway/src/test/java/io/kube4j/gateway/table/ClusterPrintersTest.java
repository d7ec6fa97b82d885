package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterPrintersTest {

    record Case(String title, ResourceType type, String object, String expected) {
        @Override
        public String toString() {
            return type.kind() + ": " + title;
        }
    }

    private static final String META = "\"metadata\":{\"name\":\"c\",\"creationTimestamp\":\"2026-11-15T12:00:00Z\"}";

    private static final String NODE_INFO = """
            "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Debian GNU/Linux 12 (bookworm)",
             "kernelVersion":"6.1.0-27-amd64","containerRuntimeVersion":"containerd://1.6.20"}""";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("ready control plane", BuiltInTypes.NODE, """
                        {"metadata":{"name":"cp-1","creationTimestamp":"2026-11-15T12:00:00Z","labels":{
                          "node-role.kubernetes.io/control-plane":"","kubernetes.io/hostname":"cp-1"}},
                         "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
                          "addresses":[{"type":"Hostname","address":"cp-1"},{"type":"InternalIP","address":"192.168.10.2"}],%s}}""".formatted(NODE_INFO),
                        "[\"cp-1\",\"Ready\",\"control-plane\",\"10d\",\"v1.32.4\",\"192.168.10.2\",\"<none>\","
                                + "\"Debian GNU/Linux 12 (bookworm)\",\"6.1.0-27-amd64\",\"containerd://1.6.20\"]"),
                new Case("not ready worker, two roles", BuiltInTypes.NODE, """
                        {"metadata":{"name":"w-1","creationTimestamp":"2026-11-15T12:00:00Z","labels":{
                          "node-role.kubernetes.io/worker":"","kubernetes.io/role":"edge"}},
                         "status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady"}],
                          "addresses":[{"type":"InternalIP","address":"192.168.10.3"},{"type":"ExternalIP","address":"203.0.113.3"}],%s}}""".formatted(NODE_INFO),
                        "[\"w-1\",\"NotReady\",\"edge,worker\",\"10d\",\"v1.32.4\",\"192.168.10.3\",\"203.0.113.3\","
                                + "\"Debian GNU/Linux 12 (bookworm)\",\"6.1.0-27-amd64\",\"containerd://1.6.20\"]"),
                new Case("lost contact", BuiltInTypes.NODE, """
                        {"metadata":{"name":"w-2","creationTimestamp":"2026-11-15T12:00:00Z"},
                         "status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown"}]}}""",
                        "[\"w-2\",\"NotReady\",\"<none>\",\"10d\",\"\",\"<none>\",\"<none>\",\"<unknown>\",\"<unknown>\",\"<unknown>\"]"),
                new Case("cordoned, never reported", BuiltInTypes.NODE, """
                        {"metadata":{"name":"w-3","creationTimestamp":"2026-11-15T12:00:00Z"},"spec":{"unschedulable":true}}""",
                        "[\"w-3\",\"Unknown,SchedulingDisabled\",\"<none>\",\"10d\",\"\",\"<none>\",\"<none>\",\"<unknown>\",\"<unknown>\",\"<unknown>\"]"),
                new Case("ready and cordoned", BuiltInTypes.NODE, """
                        {"metadata":{"name":"w-4","creationTimestamp":"2026-11-15T12:00:00Z"},"spec":{"unschedulable":true},
                         "status":{"conditions":[{"type":"Ready","status":"True"}],%s}}""".formatted(NODE_INFO),
                        "[\"w-4\",\"Ready,SchedulingDisabled\",\"<none>\",\"10d\",\"v1.32.4\",\"<none>\",\"<none>\","
                                + "\"Debian GNU/Linux 12 (bookworm)\",\"6.1.0-27-amd64\",\"containerd://1.6.20\"]"),
                new Case("active", BuiltInTypes.NAMESPACE, """
                        {%s,"status":{"phase":"Active"}}""".formatted(META), "[\"c\",\"Active\",\"10d\"]"),
                new Case("terminating", BuiltInTypes.NAMESPACE, """
                        {%s,"status":{"phase":"Terminating"}}""".formatted(META), "[\"c\",\"Terminating\",\"10d\"]"),
                new Case("data and binary data", BuiltInTypes.CONFIG_MAP, """
                        {%s,"data":{"a":"1","b":"2"},"binaryData":{"c":"AAE="}}""".formatted(META), "[\"c\",3,\"10d\"]"),
                new Case("empty", BuiltInTypes.CONFIG_MAP, """
                        {%s}""".formatted(META), "[\"c\",0,\"10d\"]"),
                new Case("TLS", BuiltInTypes.SECRET, """
                        {%s,"type":"kubernetes.io/tls","data":{"tls.crt":"Y3J0","tls.key":"a2V5"}}""".formatted(META),
                        "[\"c\",\"kubernetes.io/tls\",2,\"10d\"]"),
                new Case("opaque", BuiltInTypes.SECRET, """
                        {%s,"type":"Opaque","data":{"password":"cw=="}}""".formatted(META), "[\"c\",\"Opaque\",1,\"10d\"]"),
                new Case("default", BuiltInTypes.SERVICE_ACCOUNT, """
                        {%s}""".formatted(META), "[\"c\",0,\"10d\"]"),
                new Case("repeated warning", BuiltInTypes.EVENT, """
                        {"metadata":{"name":"web-0.17a","namespace":"default","creationTimestamp":"2026-11-25T11:00:00Z"},
                         "involvedObject":{"kind":"Pod","namespace":"default","name":"web-0","fieldPath":"spec.containers{web}"},
                         "reason":"BackOff","message":"Back-off restarting failed container web in pod web-0_default(uid)\\n",
                         "source":{"component":"kubelet","host":"node-1"},"type":"Warning","count":12,
                         "firstTimestamp":"2026-11-25T11:00:00Z","lastTimestamp":"2026-11-25T11:59:30Z"}""",
                        "[\"30s\",\"Warning\",\"BackOff\",\"pod/web-0\",\"spec.containers{web}\",\"kubelet, node-1\","
                                + "\"Back-off restarting failed container web in pod web-0_default(uid)\",\"60m\",12,\"web-0.17a\"]"),
                new Case("reported through events.k8s.io", BuiltInTypes.EVENT, """
                        {"metadata":{"name":"web.18b","namespace":"default"},
                         "involvedObject":{"kind":"Deployment","name":"web"},"reason":"ScalingReplicaSet",
                         "message":"Scaled up replica set web-5d to 3","type":"Normal",
                         "eventTime":"2026-11-25T11:57:00.123456Z","reportingComponent":"deployment-controller"}""",
                        "[\"2m59s\",\"Normal\",\"ScalingReplicaSet\",\"deployment/web\",\"\",\"deployment-controller\","
                                + "\"Scaled up replica set web-5d to 3\",\"2m59s\",1,\"web.18b\"]"),
                new Case("series", BuiltInTypes.EVENT, """
                        {"metadata":{"name":"n.1"},"involvedObject":{"kind":"Node"},"reason":"Rebooted","type":"Warning",
                         "eventTime":"2026-11-25T09:00:00.000000Z","reportingComponent":"kubelet","reportingInstance":"node-1",
                         "series":{"count":4,"lastObservedTime":"2026-11-25T11:50:00.000000Z"}}""",
                        "[\"10m\",\"Warning\",\"Rebooted\",\"node\",\"\",\"kubelet, node-1\",\"\",\"3h\",4,\"n.1\"]"),
                new Case("bound", BuiltInTypes.PERSISTENT_VOLUME, """
                        {%s,"spec":{"capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce"],
                          "persistentVolumeReclaimPolicy":"Retain","storageClassName":"standard","volumeMode":"Filesystem",
                          "claimRef":{"namespace":"default","name":"data"}},"status":{"phase":"Bound"}}""".formatted(META),
                        "[\"c\",\"10Gi\",\"RWO,RWX\",\"Retain\",\"Bound\",\"default/data\",\"standard\",\"<unset>\",\"\",\"10d\",\"Filesystem\"]"),
                new Case("released, being deleted, class from the beta annotation", BuiltInTypes.PERSISTENT_VOLUME, """
                        {"metadata":{"name":"c","creationTimestamp":"2026-11-15T12:00:00Z","deletionTimestamp":"2026-11-25T11:00:00Z",
                          "annotations":{"volume.beta.kubernetes.io/storage-class":"slow"}},
                         "spec":{"capacity":{"storage":"1024Mi"},"accessModes":["ReadWriteOncePod"],"persistentVolumeReclaimPolicy":"Delete"},
                         "status":{"phase":"Released","reason":"Reclaiming"}}""",
                        "[\"c\",\"1Gi\",\"RWOP\",\"Delete\",\"Terminating\",\"\",\"slow\",\"<unset>\",\"Reclaiming\",\"10d\",\"<unset>\"]"),
                new Case("bound claim", BuiltInTypes.PERSISTENT_VOLUME_CLAIM, """
                        {%s,"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}},
                          "storageClassName":"standard","volumeName":"pvc-123","volumeMode":"Filesystem"},
                         "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"8Gi"}}}""".formatted(META),
                        "[\"c\",\"Bound\",\"pvc-123\",\"8Gi\",\"RWO\",\"standard\",\"<unset>\",\"10d\",\"Filesystem\"]"),
                new Case("pending claim", BuiltInTypes.PERSISTENT_VOLUME_CLAIM, """
                        {%s,"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}},
                          "storageClassName":"standard","volumeAttributesClassName":"gold"},"status":{"phase":"Pending"}}""".formatted(META),
                        "[\"c\",\"Pending\",\"\",\"\",\"\",\"standard\",\"gold\",\"10d\",\"<unset>\"]"),
                new Case("default class", BuiltInTypes.STORAGE_CLASS, """
                        {"metadata":{"name":"standard","creationTimestamp":"2026-11-15T12:00:00Z",
                          "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
                         "provisioner":"rancher.io/local-path","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer"}""",
                        "[\"standard (default)\",\"rancher.io/local-path\",\"Delete\",\"WaitForFirstConsumer\",false,\"10d\"]"),
                new Case("class with defaults left out", BuiltInTypes.STORAGE_CLASS, """
                        {%s,"provisioner":"example.com/nfs","allowVolumeExpansion":true}""".formatted(META),
                        "[\"c\",\"example.com/nfs\",\"Delete\",\"Immediate\",true,\"10d\"]"),
                new Case("driver", BuiltInTypes.CSI_DRIVER, """
                        {%s,"spec":{"attachRequired":false,"podInfoOnMount":true,"volumeLifecycleModes":["Persistent","Ephemeral"],
                          "tokenRequests":[{"audience":"vault"},{"audience":"gcp"}]}}""".formatted(META),
                        "[\"c\",false,true,false,\"vault,gcp\",false,\"Persistent,Ephemeral\",\"10d\"]"),
                new Case("driver with defaults", BuiltInTypes.CSI_DRIVER, """
                        {%s,"spec":{}}""".formatted(META),
                        "[\"c\",true,false,false,\"<unset>\",false,\"<none>\",\"10d\"]"),
                new Case("node drivers", BuiltInTypes.CSI_NODE, """
                        {%s,"spec":{"drivers":[{"name":"a","nodeID":"n"},{"name":"b","nodeID":"n"}]}}""".formatted(META),
                        "[\"c\",2,\"10d\"]"),
                new Case("attached", BuiltInTypes.VOLUME_ATTACHMENT, """
                        {%s,"spec":{"attacher":"csi.example.com","nodeName":"node-1","source":{"persistentVolumeName":"pv-1"}},
                         "status":{"attached":true}}""".formatted(META),
                        "[\"c\",\"csi.example.com\",\"pv-1\",\"node-1\",true,\"10d\"]"),
                new Case("requests and limits", BuiltInTypes.RESOURCE_QUOTA, """
                        {%s,"spec":{"hard":{"pods":"10"}},"status":{
                          "hard":{"requests.cpu":"1","requests.memory":"1Gi","limits.cpu":"2","limits.memory":"2Gi","pods":"10"},
                          "used":{"requests.cpu":"0.5","requests.memory":"0","limits.cpu":"1000m","pods":"3"}}}""".formatted(META),
                        "[\"c\",\"10d\",\"pods: 3/10, requests.cpu: 500m/1, requests.memory: 0/1Gi\",\"limits.cpu: 1/2, limits.memory: 0/2Gi\"]"),
                new Case("held", BuiltInTypes.LEASE, """
                        {%s,"spec":{"holderIdentity":"node-1","leaseDurationSeconds":40}}""".formatted(META),
                        "[\"c\",\"node-1\",\"10d\"]"),
                new Case("free", BuiltInTypes.LEASE, """
                        {%s,"spec":{}}""".formatted(META), "[\"c\",\"\",\"10d\"]"),
                new Case("system critical", BuiltInTypes.PRIORITY_CLASS, """
                        {%s,"value":2000000000,"globalDefault":false,"preemptionPolicy":"PreemptLowerPriority"}""".formatted(META),
                        "[\"c\",2000000000,false,\"10d\",\"PreemptLowerPriority\"]"),
                new Case("subjects of each kind", BuiltInTypes.ROLE_BINDING, """
                        {%s,"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
                         "subjects":[{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},{"kind":"User","name":"bob"},
                          {"kind":"ServiceAccount","namespace":"ci","name":"builder"}]}""".formatted(META),
                        "[\"c\",\"ClusterRole/view\",\"10d\",\"alice, bob\",\"devs\",\"ci/builder\"]"),
                new Case("no subjects", BuiltInTypes.CLUSTER_ROLE_BINDING, """
                        {%s,"roleRef":{"kind":"ClusterRole","name":"cluster-admin"}}""".formatted(META),
                        "[\"c\",\"ClusterRole/cluster-admin\",\"10d\",\"\",\"\",\"\"]"),
                new Case("role: default printer", BuiltInTypes.ROLE, """
                        {%s,"rules":[]}""".formatted(META), "[\"c\",\"2026-11-15T12:00:00Z\"]"),
                new Case("offset time is printed in UTC", BuiltInTypes.CUSTOM_RESOURCE_DEFINITION, """
                        {"metadata":{"name":"widgets.example.com","creationTimestamp":"2026-11-15T14:30:00+02:00"}}""",
                        "[\"widgets.example.com\",\"2026-11-15T12:30:00Z\"]"),
                new Case("without a creation time", BuiltInTypes.LIMIT_RANGE, """
                        {"metadata":{"name":"limits"}}""", "[\"limits\",\"0001-01-01T00:00:00Z\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsCellsAsKubernetesDoes(Case c) {
        assertThat(Printed.cells(c.type(), c.object())).isEqualTo(c.expected());
    }
}
