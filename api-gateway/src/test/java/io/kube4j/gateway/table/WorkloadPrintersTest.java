package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadPrintersTest {

    record Case(String title, ResourceType type, String object, String expected) {
        @Override
        public String toString() {
            return type.kind() + ": " + title;
        }
    }

    private static final String META = "\"metadata\":{\"name\":\"w\",\"namespace\":\"default\",\"creationTimestamp\":\"2026-11-25T07:00:00Z\"}";

    private static final String TEMPLATE = """
            "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
              {"name":"web","image":"nginx:1.27"},{"name":"log","image":"busybox:1.36"}]}}""";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("rolling out", BuiltInTypes.DEPLOYMENT, """
                        {%s,"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web","tier":"front"}},%s},
                         "status":{"replicas":4,"readyReplicas":2,"updatedReplicas":1,"availableReplicas":2}}""".formatted(META, TEMPLATE),
                        "[\"w\",\"2/3\",1,2,\"5h\",\"web,log\",\"nginx:1.27,busybox:1.36\",\"app=web,tier=front\"]"),
                new Case("new, no status yet, expression selector", BuiltInTypes.DEPLOYMENT, """
                        {%s,"spec":{"selector":{"matchExpressions":[{"key":"tier","operator":"In","values":["front","edge"]},
                          {"key":"app","operator":"Exists"},{"key":"legacy","operator":"DoesNotExist"},
                          {"key":"env","operator":"NotIn","values":["dev"]}]},%s}}""".formatted(META, TEMPLATE),
                        "[\"w\",\"0/1\",0,0,\"5h\",\"web,log\",\"nginx:1.27,busybox:1.36\",\"app,env notin (dev),!legacy,tier in (edge,front)\"]"),
                new Case("scaled", BuiltInTypes.REPLICA_SET, """
                        {%s,"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},%s},
                         "status":{"replicas":2,"readyReplicas":1}}""".formatted(META, TEMPLATE),
                        "[\"w\",2,2,1,\"5h\",\"web,log\",\"nginx:1.27,busybox:1.36\",\"app=web\"]"),
                new Case("empty selector", BuiltInTypes.REPLICA_SET, """
                        {%s,"spec":{"replicas":0,"selector":{},%s},"status":{"replicas":0}}""".formatted(META, TEMPLATE),
                        "[\"w\",0,0,0,\"5h\",\"web,log\",\"nginx:1.27,busybox:1.36\",\"<none>\"]"),
                new Case("map selector", BuiltInTypes.REPLICATION_CONTROLLER, """
                        {%s,"spec":{"replicas":3,"selector":{"tier":"db","app":"web"},%s},
                         "status":{"replicas":3,"readyReplicas":3}}""".formatted(META, TEMPLATE),
                        "[\"w\",3,3,3,\"5h\",\"web,log\",\"nginx:1.27,busybox:1.36\",\"app=web,tier=db\"]"),
                new Case("partly ready", BuiltInTypes.STATEFUL_SET, """
                        {%s,"spec":{"replicas":3,"serviceName":"w",%s},"status":{"replicas":2,"readyReplicas":1}}""".formatted(META, TEMPLATE),
                        "[\"w\",\"1/3\",\"5h\",\"web,log\",\"nginx:1.27,busybox:1.36\"]"),
                new Case("with a node selector", BuiltInTypes.DAEMON_SET, """
                        {%s,"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"spec":{
                          "nodeSelector":{"kubernetes.io/os":"linux"},"containers":[{"name":"agent","image":"agent:1"}]}}},
                         "status":{"desiredNumberScheduled":3,"currentNumberScheduled":3,"numberReady":2,
                          "updatedNumberScheduled":3,"numberAvailable":2}}""".formatted(META),
                        "[\"w\",3,3,2,3,2,\"kubernetes.io/os=linux\",\"5h\",\"agent\",\"agent:1\",\"app=agent\"]"),
                new Case("without a node selector", BuiltInTypes.DAEMON_SET, """
                        {%s,"spec":{"selector":{"matchLabels":{"app":"agent"}},"template":{"spec":{
                          "containers":[{"name":"agent","image":"agent:1"}]}}},"status":{}}""".formatted(META),
                        "[\"w\",0,0,0,0,0,\"<none>\",\"5h\",\"agent\",\"agent:1\",\"app=agent\"]"),
                new Case("owned by a daemon set", BuiltInTypes.CONTROLLER_REVISION, """
                        {"metadata":{"name":"agent-5d4f","creationTimestamp":"2026-11-25T07:00:00Z","ownerReferences":[
                          {"apiVersion":"apps/v1","kind":"DaemonSet","name":"agent","uid":"u","controller":true}]},"revision":3}""",
                        "[\"agent-5d4f\",\"daemonset.apps/agent\",3,\"5h\"]"),
                new Case("without an owner", BuiltInTypes.CONTROLLER_REVISION, """
                        {"metadata":{"name":"r","creationTimestamp":"2026-11-25T07:00:00Z"},"revision":1}""",
                        "[\"r\",\"<none>\",1,\"5h\"]"),
                new Case("running", BuiltInTypes.JOB, """
                        {%s,"spec":{"completions":5,"parallelism":2,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"abc"}},
                          "template":{"spec":{"containers":[{"name":"pi","image":"perl:5"}]}}},
                         "status":{"startTime":"2026-11-25T11:58:00Z","active":2,"succeeded":2}}""".formatted(META),
                        "[\"w\",\"Running\",\"2/5\",\"2m\",\"5h\",\"pi\",\"perl:5\",\"batch.kubernetes.io/controller-uid=abc\"]"),
                new Case("complete", BuiltInTypes.JOB, """
                        {%s,"spec":{"completions":1,"template":{"spec":{"containers":[{"name":"pi","image":"perl:5"}]}}},
                         "status":{"startTime":"2026-11-25T10:00:00Z","completionTime":"2026-11-25T10:00:42Z","succeeded":1,
                          "conditions":[{"type":"SuccessCriteriaMet","status":"True"},{"type":"Complete","status":"True"}]}}""".formatted(META),
                        "[\"w\",\"Complete\",\"1/1\",\"42s\",\"5h\",\"pi\",\"perl:5\",\"<none>\"]"),
                new Case("failed", BuiltInTypes.JOB, """
                        {%s,"spec":{"completions":1,"template":{"spec":{"containers":[{"name":"pi","image":"perl:5"}]}}},
                         "status":{"startTime":"2026-11-25T10:00:00Z","failed":6,
                          "conditions":[{"type":"FailureTarget","status":"True"},{"type":"Failed","status":"True"}]}}""".formatted(META),
                        "[\"w\",\"Failed\",\"0/1\",\"120m\",\"5h\",\"pi\",\"perl:5\",\"<none>\"]"),
                new Case("suspended work queue", BuiltInTypes.JOB, """
                        {%s,"spec":{"parallelism":3,"suspend":true,"template":{"spec":{"containers":[{"name":"q","image":"q:1"}]}}},
                         "status":{"conditions":[{"type":"Suspended","status":"True"}]}}""".formatted(META),
                        "[\"w\",\"Suspended\",\"0/1 of 3\",\"\",\"5h\",\"q\",\"q:1\",\"<none>\"]"),
                new Case("being deleted", BuiltInTypes.JOB, """
                        {"metadata":{"name":"w","creationTimestamp":"2026-11-25T07:00:00Z","deletionTimestamp":"2026-11-25T11:59:00Z"},
                         "spec":{"template":{"spec":{"containers":[{"name":"q","image":"q:1"}]}}},"status":{}}""",
                        "[\"w\",\"Terminating\",\"0/1\",\"\",\"5h\",\"q\",\"q:1\",\"<none>\"]"),
                new Case("scheduled", BuiltInTypes.CRON_JOB, """
                        {%s,"spec":{"schedule":"*/5 * * * *","suspend":false,"jobTemplate":{"spec":{"template":{"spec":{
                          "containers":[{"name":"hello","image":"busybox"}]}}}}},
                         "status":{"active":[{"name":"w-1"}],"lastScheduleTime":"2026-11-25T11:55:00Z"}}""".formatted(META),
                        "[\"w\",\"*/5 * * * *\",\"<none>\",\"False\",1,\"5m\",\"5h\",\"hello\",\"busybox\",\"<none>\"]"),
                new Case("never run, with a time zone", BuiltInTypes.CRON_JOB, """
                        {%s,"spec":{"schedule":"0 3 * * *","timeZone":"Europe/Paris","suspend":true,"jobTemplate":{"spec":{
                          "template":{"spec":{"containers":[{"name":"backup","image":"backup:2"}]}}}}}}""".formatted(META),
                        "[\"w\",\"0 3 * * *\",\"Europe/Paris\",\"True\",0,\"<none>\",\"5h\",\"backup\",\"backup:2\",\"<none>\"]"),
                new Case("cpu and memory", BuiltInTypes.HORIZONTAL_POD_AUTOSCALER, """
                        {%s,"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                          "minReplicas":2,"maxReplicas":10,"metrics":[
                           {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},
                           {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}}]},
                         "status":{"currentReplicas":3,"desiredReplicas":3,"currentMetrics":[
                           {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":45,"averageValue":"90m"}}},
                           {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"200Mi"}}}]}}""".formatted(META),
                        "[\"w\",\"Deployment/web\",\"cpu: 45%/80%, memory: 200Mi/500Mi\",\"2\",10,3,\"5h\"]"),
                new Case("metrics not yet known, more than two", BuiltInTypes.HORIZONTAL_POD_AUTOSCALER, """
                        {%s,"spec":{"scaleTargetRef":{"kind":"StatefulSet","name":"db"},"maxReplicas":5,"metrics":[
                           {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}},
                           {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1k"}}},
                           {"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"Value","value":"30"}}}]},
                         "status":{"currentReplicas":1}}""".formatted(META),
                        "[\"w\",\"StatefulSet/db\",\"cpu: <unknown>/60%, <unknown>/1k + 1 more...\",\"<unset>\",5,1,\"5h\"]"),
                new Case("no metrics", BuiltInTypes.HORIZONTAL_POD_AUTOSCALER, """
                        {%s,"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":3}}""".formatted(META),
                        "[\"w\",\"Deployment/web\",\"<none>\",\"1\",3,0,\"5h\"]"),
                new Case("min available", BuiltInTypes.POD_DISRUPTION_BUDGET, """
                        {%s,"spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"zk"}}},"status":{"disruptionsAllowed":1}}""".formatted(META),
                        "[\"w\",\"2\",\"N/A\",1,\"5h\"]"),
                new Case("max unavailable in percent", BuiltInTypes.POD_DISRUPTION_BUDGET, """
                        {%s,"spec":{"maxUnavailable":"25%%","selector":{"matchLabels":{"app":"zk"}}},"status":{}}""".formatted(META),
                        "[\"w\",\"N/A\",\"25%\",0,\"5h\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsCellsAsKubernetesDoes(Case c) {
        assertThat(Printed.cells(c.type(), c.object())).isEqualTo(c.expected());
    }
}
