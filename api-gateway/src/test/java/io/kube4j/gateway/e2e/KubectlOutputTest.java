package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What kubectl prints about objects and about the API: get in its output formats, watch,
 * describe (with the events it finds by field selector), explain, api-resources, api-versions and
 * version. Expected texts are those kubectl prints against Kubernetes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlOutputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** metav1.MicroTime's wire form: always six fraction digits. */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private GatewayCluster cluster;
    private Kubectl kubectl;

    @BeforeAll
    void start() throws IOException {
        cluster = GatewayCluster.start();
        kubectl = cluster.kubectl;
        // A small, fixed world that the get tests read: three labelled ConfigMaps and a Deployment.
        kubectl.ok("create", "namespace", "shop");
        kubectl.ok("create", "configmap", "b-prices", "-n", "shop", "--from-literal=apple=3");
        kubectl.ok("create", "configmap", "a-stock", "-n", "shop", "--from-literal=apple=10", "--from-literal=pear=4");
        kubectl.ok("create", "configmap", "c-empty", "-n", "shop");
        kubectl.ok("label", "configmap", "a-stock", "-n", "shop", "app=store", "tier=backend");
        kubectl.ok("label", "configmap", "b-prices", "-n", "shop", "app=till");
        kubectl.ok("create", "deployment", "web", "-n", "shop", "--image=nginx:1.25", "--replicas=2");
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    private Path file(String name, String content) throws IOException {
        Path file = cluster.dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    // ------------------------------------------------------------------ get

    @Test
    void getWideAddsTheWideColumns() {
        PrintedTable table = PrintedTable.parse(kubectl.ok("get", "deployments", "-n", "shop", "-o", "wide"));
        assertThat(table.headers()).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS",
                "IMAGES", "SELECTOR");
        assertThat(table.row("web")).containsEntry("READY", "0/2").containsEntry("CONTAINERS", "nginx")
                .containsEntry("IMAGES", "nginx:1.25").containsEntry("SELECTOR", "app=web");
    }

    @Test
    void getWideOfPodsAndServices() throws IOException {
        kubectl.ok("create", "namespace", "wide");
        Path pod = file("wide-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: placed
                  namespace: wide
                  labels:
                    app: placed
                spec:
                  nodeName: worker-9
                  containers:
                  - name: main
                    image: busybox:1.36
                """);
        kubectl.ok("apply", "-f", pod.toString());
        PrintedTable pods = PrintedTable.parse(kubectl.ok("get", "pods", "-n", "wide", "-o", "wide"));
        assertThat(pods.headers()).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES");
        assertThat(pods.row("placed")).containsEntry("READY", "0/1").containsEntry("RESTARTS", "0")
                .containsEntry("IP", "<none>").containsEntry("NODE", "worker-9")
                .containsEntry("NOMINATED NODE", "<none>").containsEntry("READINESS GATES", "<none>");

        kubectl.ok("expose", "pod", "placed", "-n", "wide", "--port=80", "--target-port=8080");
        PrintedTable services = PrintedTable.parse(kubectl.ok("get", "services", "-n", "wide", "-o", "wide"));
        assertThat(services.headers()).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE",
                "SELECTOR");
        assertThat(services.row("placed")).containsEntry("TYPE", "ClusterIP").containsEntry("EXTERNAL-IP", "<none>")
                .containsEntry("PORT(S)", "80/TCP").containsEntry("SELECTOR", "app=placed");
    }

    @Test
    void getNameJsonPathAndCustomColumns() {
        assertThat(kubectl.ok("get", "configmaps", "-n", "shop", "-o", "name"))
                .isEqualTo("configmap/a-stock\nconfigmap/b-prices\nconfigmap/c-empty\n");
        assertThat(kubectl.ok("get", "configmaps", "-n", "shop", "-o",
                "jsonpath={range .items[*]}{.metadata.name}={.data.apple}{\"\\n\"}{end}"))
                .isEqualTo("a-stock=10\nb-prices=3\nc-empty=\n");
        assertThat(kubectl.ok("get", "configmap", "a-stock", "-n", "shop", "-o", "jsonpath={.metadata.labels.tier}"))
                .isEqualTo("backend");
        String columns = kubectl.ok("get", "configmaps", "-n", "shop", "-o",
                "custom-columns=NAME:.metadata.name,APP:.metadata.labels.app,PEARS:.data.pear");
        assertThat(columns.lines().toList()).containsExactly(
                "NAME       APP      PEARS",
                "a-stock    store    4",
                "b-prices   till     <none>",
                "c-empty    <none>   <none>");
    }

    @Test
    void sortByShowLabelsAndLabelColumns() {
        assertThat(kubectl.ok("get", "configmaps", "-n", "shop", "--sort-by=.data.apple", "-o", "name"))
                .isEqualTo("configmap/c-empty\nconfigmap/b-prices\nconfigmap/a-stock\n");
        assertThat(kubectl.ok("get", "configmaps", "-n", "shop", "--sort-by={.metadata.name}", "-o", "name"))
                .isEqualTo("configmap/a-stock\nconfigmap/b-prices\nconfigmap/c-empty\n");

        PrintedTable labels = PrintedTable.parse(kubectl.ok("get", "configmaps", "-n", "shop", "--show-labels"));
        assertThat(labels.headers()).containsExactly("NAME", "DATA", "AGE", "LABELS");
        assertThat(labels.column("LABELS")).containsExactly("app=store,tier=backend", "app=till", "<none>");
        assertThat(labels.column("DATA")).containsExactly("2", "1", "0");

        PrintedTable columns = PrintedTable.parse(kubectl.ok("get", "configmaps", "-n", "shop", "-L", "app,tier"));
        assertThat(columns.headers()).containsExactly("NAME", "DATA", "AGE", "APP", "TIER");
        assertThat(columns.column("APP")).containsExactly("store", "till", "");
        assertThat(columns.column("TIER")).containsExactly("backend", "", "");
    }

    @Test
    void allNamespacesAndChunks() {
        kubectl.ok("create", "namespace", "shop-annex");
        kubectl.ok("create", "configmap", "a-stock", "-n", "shop-annex");
        PrintedTable all = PrintedTable.parse(kubectl.ok("get", "configmaps", "-A", "--chunk-size=1"));
        assertThat(all.headers()).containsExactly("NAMESPACE", "NAME", "DATA", "AGE");
        // In storage-key order, as from Kubernetes: "/shop-annex/" sorts before "/shop/".
        assertThat(all.rows()).filteredOn(r -> r.get("NAME").equals("a-stock"))
                .extracting(r -> r.get("NAMESPACE")).containsExactly("shop-annex", "shop");
        assertThat(kubectl.ok("get", "configmaps", "--all-namespaces", "--chunk-size=2", "-o", "name"))
                .contains("configmap/a-stock\n", "configmap/b-prices\n", "configmap/c-empty\n");
    }

    @Test
    void getAllListsTheWorkloadCategory() {
        kubectl.ok("create", "namespace", "all-kinds");
        kubectl.ok("create", "deployment", "api", "-n", "all-kinds", "--image=busybox:1.36");
        kubectl.ok("create", "service", "clusterip", "api", "-n", "all-kinds", "--tcp=80:8080");
        kubectl.ok("create", "cronjob", "tick", "-n", "all-kinds", "--image=busybox:1.36", "--schedule=*/5 * * * *");
        kubectl.ok("run", "solo", "-n", "all-kinds", "--image=nginx:1.25");
        kubectl.ok("create", "configmap", "not-a-workload", "-n", "all-kinds");
        String printed = kubectl.ok("get", "all", "-n", "all-kinds");
        assertThat(printed).contains("pod/solo", "service/api", "deployment.apps/api", "cronjob.batch/tick")
                .doesNotContain("configmap");
        // One table per kind, each under its own header, separated by a blank line.
        assertThat(printed).contains("\n\nNAME ");
    }

    @Test
    void rawReadsAnyPath() throws IOException {
        JsonNode list = JSON.readTree(kubectl.ok("get", "--raw", "/api/v1/namespaces"));
        assertThat(list.get("kind").asString()).isEqualTo("NamespaceList");
        assertThat(list.get("items").valueStream().map(n -> n.get("metadata").get("name").asString()))
                .contains("default", "kube-system", "shop");
        JsonNode scale = JSON.readTree(kubectl.ok("get", "--raw", "/apis/apps/v1/namespaces/shop/deployments/web/scale"));
        assertThat(scale.get("kind").asString()).isEqualTo("Scale");
        assertThat(scale.get("spec").get("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void watchPrintsEachChangeAsItHappens() throws Exception {
        kubectl.ok("create", "namespace", "watched");
        kubectl.ok("create", "configmap", "before", "-n", "watched");
        try (StreamingKubectl watch = StreamingKubectl.start(kubectl, "get", "configmaps", "-n", "watched", "-w",
                "--output-watch-events")) {
            watch.awaitLine(l -> l.startsWith("ADDED") && l.contains("before"), Duration.ofSeconds(20));
            kubectl.ok("create", "configmap", "during", "-n", "watched", "--from-literal=k=v");
            kubectl.ok("label", "configmap", "during", "-n", "watched", "seen=yes");
            kubectl.ok("delete", "configmap", "during", "-n", "watched");
            watch.awaitLine(l -> l.startsWith("DELETED") && l.contains("during"), Duration.ofSeconds(20));
            List<String> lines = watch.lines();
            assertThat(lines.getFirst()).matches("EVENT +NAME +DATA +AGE");
            assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(" +")[0] + " " + l.split(" +")[1])
                    .containsExactly("ADDED before", "ADDED during", "MODIFIED during", "DELETED during");
        }
        // A watch bounded by --request-timeout ends by itself, as users script it.
        Kubectl.Result bounded = kubectl.run("get", "configmaps", "-n", "watched", "-w", "--request-timeout=2s", "-o", "name");
        assertThat(bounded.out()).isEqualTo("configmap/before\n");
    }

    // ------------------------------------------------------------------ describe

    private String uid(String... target) {
        String[] args = new String[target.length + 3];
        args[0] = "get";
        System.arraycopy(target, 0, args, 1, target.length);
        args[target.length + 1] = "-o";
        args[target.length + 2] = "jsonpath={.metadata.uid}";
        return kubectl.ok(args);
    }

    /** An Event about an object, first and last seen two hours ago (describe prints its age as 120m). */
    private void event(String namespace, String name, String kind, String apiVersion, String objectName,
                       String objectNamespace, String objectUid, String reason, String message) throws IOException {
        String at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        Path file = file(name + ".event.yaml", """
                apiVersion: v1
                kind: Event
                metadata:
                  name: %s
                  namespace: %s
                involvedObject:
                  apiVersion: %s
                  kind: %s
                  name: %s
                %s  uid: %s
                reason: %s
                message: "%s"
                type: Normal
                source:
                  component: e2e-test
                count: 1
                firstTimestamp: "%s"
                lastTimestamp: "%s"
                """.formatted(name, namespace, apiVersion, kind, objectName,
                objectNamespace == null ? "" : "  namespace: " + objectNamespace + "\n", objectUid, reason, message, at, at));
        kubectl.ok("create", "-f", file.toString());
    }

    @Test
    void describeConfigMapShowsDataAndItsOwnEvents() throws IOException {
        kubectl.ok("create", "namespace", "inspect");
        kubectl.ok("create", "configmap", "described", "-n", "inspect", "--from-literal=color=blue");
        kubectl.ok("create", "configmap", "other", "-n", "inspect");
        event("inspect", "described.1", "ConfigMap", "v1", "described", "inspect",
                uid("configmap", "described", "-n", "inspect"), "Inspected", "looked at by the test");
        // An event about another object: describe must not show it.
        event("inspect", "other.1", "ConfigMap", "v1", "other", "inspect", uid("configmap", "other", "-n", "inspect"),
                "Elsewhere", "about another configmap");
        String printed = kubectl.ok("describe", "configmap", "described", "-n", "inspect");
        assertThat(printed).startsWith("""
                Name:         described
                Namespace:    inspect
                Labels:       <none>
                Annotations:  <none>

                Data
                ====
                color:
                ----
                blue
                """);
        assertThat(printed).contains("BinaryData\n====\n");
        assertThat(printed).containsPattern("Events:\n  Type +Reason +Age +From +Message\n  ---- +------ +---- +---- +-------\n"
                + "  Normal +Inspected +120m +e2e-test +looked at by the test\n");
        assertThat(printed).doesNotContain("Elsewhere");
    }

    @Test
    void describeDeployment() throws IOException {
        event("shop", "web.1", "Deployment", "apps/v1", "web", "shop", uid("deployment", "web", "-n", "shop"),
                "ScalingReplicaSet", "Scaled up replica set web-7d4b9c to 2");
        String printed = kubectl.ok("describe", "deployment", "web", "-n", "shop");
        // The first column's width follows its longest label (RollingUpdateStrategy once defaulted).
        assertThat(printed).containsPattern("(?m)^Name: +web$").containsPattern("(?m)^Namespace: +shop$")
                .containsPattern("(?m)^Labels: +app=web$").containsPattern("(?m)^Selector: +app=web$")
                .containsPattern("(?m)^Replicas: +2 desired \\| 0 updated \\| 0 total \\| 0 available \\| 0 unavailable$")
                .contains("Pod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.25\n");
        assertThat(printed).containsPattern("  Normal +ScalingReplicaSet +120m +e2e-test +Scaled up replica set web-7d4b9c to 2");
    }

    @Test
    void describeNamespaceShowsItsQuotas() throws IOException {
        kubectl.ok("create", "namespace", "quoted");
        kubectl.ok("create", "quota", "counts", "-n", "quoted", "--hard=pods=10,configmaps=5");
        // What the quota controller would report, written through the status subresource.
        kubectl.ok("patch", "quota", "counts", "-n", "quoted", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"hard\":{\"pods\":\"10\",\"configmaps\":\"5\"},\"used\":{\"pods\":\"0\",\"configmaps\":\"1\"}}}");
        String printed = kubectl.ok("describe", "namespace", "quoted");
        assertThat(printed).startsWith("Name:         quoted\n");
        assertThat(printed).contains("""
                Resource Quotas
                  Name:       counts
                  Resource    Used  Hard
                  --------    ---   ---
                  configmaps  1     5
                  pods        0     10

                No LimitRange resource.
                """);
        PrintedTable quotas = PrintedTable.parse(kubectl.ok("get", "quota", "-n", "quoted"));
        assertThat(quotas.row("counts")).containsEntry("REQUEST", "configmaps: 1/5, pods: 0/10");
    }

    @Test
    void describeNodeFindsEventsByUidAndByName() throws IOException {
        String heartbeat = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Path node = file("node.yaml", """
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker-1
                  labels:
                    kubernetes.io/hostname: worker-1
                    node-role.kubernetes.io/worker: ""
                spec:
                  podCIDR: 10.244.1.0/24
                  taints:
                  - {key: dedicated, value: shop, effect: NoSchedule}
                status:
                  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
                  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
                  addresses:
                  - {type: InternalIP, address: 192.168.1.10}
                  - {type: Hostname, address: worker-1}
                  conditions:
                  - type: Ready
                    status: "True"
                    reason: KubeletReady
                    message: kubelet is posting ready status
                    lastHeartbeatTime: "%1$s"
                    lastTransitionTime: "%1$s"
                  nodeInfo:
                    kubeletVersion: v1.32.0
                    osImage: Debian GNU/Linux 12 (bookworm)
                    kernelVersion: 6.1.0-13-amd64
                    containerRuntimeVersion: containerd://1.6.20
                    architecture: amd64
                    operatingSystem: linux
                    machineID: m1
                    systemUUID: s1
                    bootID: b1
                ---
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata:
                  name: worker-1
                  namespace: kube-node-lease
                spec:
                  holderIdentity: worker-1
                  leaseDurationSeconds: 40
                  renewTime: "%2$s"
                """.formatted(heartbeat, MICRO_TIME.format(Instant.now())));
        assertThat(kubectl.ok("apply", "-f", node.toString()))
                .isEqualTo("node/worker-1 created\nlease.coordination.k8s.io/worker-1 created\n");
        // The node controller records events with the node's uid, the node agent with its name.
        event("default", "worker-1.registered", "Node", "v1", "worker-1", null, uid("node", "worker-1"),
                "RegisteredNode", "Node worker-1 event: Registered Node worker-1 in Controller");
        event("default", "worker-1.ready", "Node", "v1", "worker-1", null, "worker-1",
                "NodeReady", "Node worker-1 status is now: NodeReady");

        PrintedTable nodes = PrintedTable.parse(kubectl.ok("get", "nodes", "-o", "wide"));
        assertThat(nodes.headers()).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP",
                "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME");
        assertThat(nodes.row("worker-1")).containsEntry("STATUS", "Ready").containsEntry("ROLES", "worker")
                .containsEntry("VERSION", "v1.32.0").containsEntry("INTERNAL-IP", "192.168.1.10")
                .containsEntry("EXTERNAL-IP", "<none>").containsEntry("OS-IMAGE", "Debian GNU/Linux 12 (bookworm)")
                .containsEntry("CONTAINER-RUNTIME", "containerd://1.6.20");

        String printed = kubectl.ok("describe", "node", "worker-1");
        assertThat(printed).startsWith("Name:               worker-1\nRoles:              worker\n");
        assertThat(printed).contains(
                "Taints:             dedicated=shop:NoSchedule\n",
                "Unschedulable:      false\n",
                "Lease:\n  HolderIdentity:  worker-1\n",
                "Addresses:\n  InternalIP:  192.168.1.10\n  Hostname:    worker-1\n",
                "PodCIDR:                      10.244.1.0/24\n",
                "  Kubelet Version:            v1.32.0\n");
        assertThat(printed).containsPattern("  Ready +True .* KubeletReady +kubelet is posting ready status\n");
        assertThat(printed).containsPattern("  Normal +RegisteredNode +120m +e2e-test +Node worker-1 event: Registered Node worker-1 in Controller");
        assertThat(printed).containsPattern("  Normal +NodeReady +120m +e2e-test +Node worker-1 status is now: NodeReady");
    }

    // ------------------------------------------------------------------ the API itself

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            configmaps                | cm       | v1                           | true  | ConfigMap
            namespaces                | ns       | v1                           | false | Namespace
            nodes                     | no       | v1                           | false | Node
            pods                      | po       | v1                           | true  | Pod
            secrets                   |          | v1                           | true  | Secret
            services                  | svc      | v1                           | true  | Service
            customresourcedefinitions | crd,crds | apiextensions.k8s.io/v1      | false | CustomResourceDefinition
            deployments               | deploy   | apps/v1                      | true  | Deployment
            horizontalpodautoscalers  | hpa      | autoscaling/v2               | true  | HorizontalPodAutoscaler
            cronjobs                  | cj       | batch/v1                     | true  | CronJob
            ingresses                 | ing      | networking.k8s.io/v1         | true  | Ingress
            poddisruptionbudgets      | pdb      | policy/v1                    | true  | PodDisruptionBudget
            clusterroles              |          | rbac.authorization.k8s.io/v1 | false | ClusterRole
            priorityclasses           | pc       | scheduling.k8s.io/v1         | false | PriorityClass
            """)
    void apiResourcesRow(String name, String shortNames, String apiVersion, String namespaced, String kind) {
        PrintedTable table = PrintedTable.parse(apiResources());
        assertThat(table.headers()).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");
        assertThat(table.row(name)).isEqualTo(Map.of("NAME", name, "SHORTNAMES", shortNames == null ? "" : shortNames,
                "APIVERSION", apiVersion, "NAMESPACED", namespaced, "KIND", kind));
    }

    private String apiResourcesPrinted;

    private synchronized String apiResources() {
        if (apiResourcesPrinted == null) apiResourcesPrinted = kubectl.ok("api-resources");
        return apiResourcesPrinted;
    }

    @Test
    void apiResourcesFiltersAndWideVerbs() {
        PrintedTable clusterScoped = PrintedTable.parse(kubectl.ok("api-resources", "--namespaced=false"));
        assertThat(clusterScoped.column("NAME")).contains("namespaces", "nodes", "persistentvolumes", "clusterroles",
                "clusterrolebindings", "priorityclasses", "storageclasses", "customresourcedefinitions")
                .doesNotContain("pods", "configmaps", "deployments");
        assertThat(clusterScoped.column("NAMESPACED")).containsOnly("false");

        PrintedTable wide = PrintedTable.parse(kubectl.ok("api-resources", "-o", "wide"));
        assertThat(wide.headers()).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS",
                "CATEGORIES");
        assertThat(wide.row("pods")).containsEntry("VERBS", "create,delete,deletecollection,get,list,patch,update,watch")
                .containsEntry("CATEGORIES", "all");
        assertThat(wide.row("configmaps")).containsEntry("CATEGORIES", "");
        assertThat(wide.row("events")).containsEntry("SHORTNAMES", "ev");

        assertThat(kubectl.ok("api-resources", "--api-group=apps", "-o", "name").lines().toList())
                .containsExactly("controllerrevisions.apps", "daemonsets.apps", "deployments.apps", "replicasets.apps",
                        "statefulsets.apps");
    }

    @Test
    void apiVersionsAreSortedGroupVersions() {
        List<String> versions = kubectl.ok("api-versions").lines().toList();
        assertThat(versions).isSorted().doesNotHaveDuplicates()
                .contains("v1", "apps/v1", "batch/v1", "autoscaling/v2", "networking.k8s.io/v1", "policy/v1",
                        "rbac.authorization.k8s.io/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1",
                        "apiextensions.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1");
    }

    @Test
    void versionOfClientAndServer() throws IOException {
        String printed = kubectl.ok("version");
        assertThat(printed).containsPattern("(?m)^Client Version: v1\\.32\\.\\S+$")
                .containsPattern("(?m)^Kustomize Version: v\\S+$")
                .containsPattern("(?m)^Server Version: v1\\.32\\.\\S+$");
        JsonNode server = JSON.readTree(kubectl.ok("version", "-o", "json")).get("serverVersion");
        assertThat(server.get("major").asString()).isEqualTo("1");
        assertThat(server.get("minor").asString()).isEqualTo("32");
        assertThat(server.get("platform").asString()).isEqualTo("linux/amd64");
        JsonNode raw = JSON.readTree(kubectl.ok("get", "--raw", "/version"));
        assertThat(printed).contains("Server Version: " + raw.get("gitVersion").asString() + "\n");
    }

    @Test
    void explainWalksTheOpenApiSchema() {
        String printed = kubectl.ok("explain", "deployment.spec.strategy");
        assertThat(printed).startsWith("""
                GROUP:      apps
                KIND:       Deployment
                VERSION:    v1

                FIELD: strategy <DeploymentStrategy>
                """);
        assertThat(printed).containsPattern("(?m)^FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n")
                .contains("  type\t<string>\n  enum: Recreate, RollingUpdate\n");
        assertThat(kubectl.ok("explain", "pods.spec.restartPolicy")).contains("""
                FIELD: restartPolicy <string>
                ENUM:
                    Always
                    Never
                    OnFailure
                """);

        assertThat(kubectl.ok("explain", "deployment.spec.strategy", "--recursive")).contains(
                "  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n",
                "  type\t<string>");
        assertThat(kubectl.ok("explain", "pods.spec.containers")).contains("FIELD: containers <[]Container>");

        Kubectl.Result missing = kubectl.run("explain", "deployment.spec.nope");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("error: field \"nope\" does not exist");
    }
}
