package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.kube4j.controller.ControllerApplication;
import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.machinery.object.Json;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.TestClassesExcluded;
import io.kube4j.testsupport.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The namespace, endpoint, endpointslice, nodelifecycle and nodeipam controllers on the real stack with a real Redis, judged by kubectl. */
class CoreControllersTest {

    static LocalCluster cluster;
    static RedisProcess redis;
    static RedisClient redisClient;
    static StatefulRedisConnection<String, String> redisConnection;
    static ConfigurableApplicationContext controllers;
    static final Set<String> beating = ConcurrentHashMap.newKeySet();
    static final ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        cluster = LocalCluster.start();
        redisClient = RedisClient.create("redis://127.0.0.1:" + redis.port());
        redisConnection = redisClient.connect();
        heart.scheduleAtFixedRate(() -> {
            for (String node : beating) redisConnection.sync().set(EphemeralKeys.heartbeat(node), Long.toString(System.currentTimeMillis()));
        }, 0, 500, TimeUnit.MILLISECONDS);
        controllers = TestClassesExcluded.application(ControllerApplication.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--kube4j.controllers.kubeconfig=" + cluster.kubeconfig(),
                "--kube4j.controllers.kafka-bootstrap-servers=" + cluster.kafkaBootstrapServers(),
                "--kube4j.controllers.partitions=" + LocalCluster.PARTITIONS,
                "--kube4j.controllers.replica-id=core-a",
                "--kube4j.controllers.nodes.grace-period=4s",
                "--kube4j.controllers.nodes.monitor-period=1s",
                "--kube4j.controllers.podgc.quarantine=1s",
                "--kube4j.controllers.load-balancer.pool=192.168.77.1-192.168.77.2",
                "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + redis.port());
    }

    @AfterAll
    static void stop() {
        heart.shutdownNow();
        if (controllers != null) controllers.close();
        if (redisConnection != null) redisConnection.close();
        if (redisClient != null) redisClient.shutdown();
        if (cluster != null) cluster.close();
        if (redis != null) redis.close();
    }

    /** Waits for {@code condition}; generous, since these tests share two cores with parallel builds. */
    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 120 s");
            Thread.sleep(200);
        }
    }

    /** kubectl's output, or empty while it fails (an object not made yet): for conditions awaited. */
    static String out(String... args) {
        var result = cluster.kubectl().run(args);
        return result.ok() ? result.out() : "";
    }

    static JsonNode json(String... args) {
        return Json.MAPPER.readTree(cluster.kubectl().ok(args));
    }

    // ------------------------------------------------------------------ namespace

    @Test
    void deletingANamespaceDeletesItsContentIncludingCustomResourcesThenTheNamespace() throws Exception {
        cluster.kubectl().ok("create", "namespace", "doomed");
        cluster.kubectl().runWithInput("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets, singular: widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """, "apply", "-f", "-");
        await(() -> cluster.kubectl().run("get", "widgets", "-n", "doomed").ok());
        cluster.kubectl().runWithInput("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w1, namespace: doomed}
                """, "apply", "-f", "-");
        cluster.kubectl().ok("create", "configmap", "plain", "-n", "doomed", "--from-literal=a=b");
        cluster.kubectl().ok("create", "secret", "generic", "s", "-n", "doomed", "--from-literal=a=b");
        cluster.kubectl().ok("create", "deployment", "d", "-n", "doomed", "--image=busybox", "--replicas=0");
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: held, namespace: doomed, finalizers: [example.com/hold]}
                """, "apply", "-f", "-");

        cluster.kubectl().ok("delete", "namespace", "doomed", "--wait=false");
        await(() -> {
            JsonNode ns = json("get", "namespace", "doomed", "-o", "json");
            for (JsonNode c : ns.path("status").path("conditions")) {
                if (c.path("type").asString().equals("NamespaceFinalizersRemaining") && c.path("status").asString().equals("True")) return true;
            }
            return false;
        });
        assertThat(cluster.kubectl().ok("get", "namespace", "doomed", "-o", "jsonpath={.status.phase}")).isEqualTo("Terminating");
        assertThat(cluster.kubectl().ok("get", "configmaps,secrets,deployments,widgets", "-n", "doomed", "-o", "name").trim())
                .isEqualTo("configmap/held");
        String message = cluster.kubectl().ok("get", "namespace", "doomed", "-o",
                "jsonpath={.status.conditions[?(@.type==\"NamespaceFinalizersRemaining\")].message}");
        assertThat(message).isEqualTo("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");

        cluster.kubectl().ok("patch", "configmap", "held", "-n", "doomed", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        long released = System.nanoTime();
        cluster.kubectl().ok("wait", "--for=delete", "namespace/doomed", "--timeout=60s");
        System.out.printf("measured: last finalizer removed -> namespace gone in %d ms%n", (System.nanoTime() - released) / 1_000_000);
        assertThat(cluster.kubectl().run("get", "namespace", "doomed").err()).contains("NotFound");
    }

    // ------------------------------------------------------------------ endpoints

    static void runningPod(String namespace, String name, String app, String ip, boolean ready, String node) {
        Pod pod = cluster.client().pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
        setStatus(pod, ip, ready);
    }

    static void setStatus(Pod pod, String ip, boolean ready) {
        Pod current = cluster.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
        current.getStatus().setPhase("Running");
        current.getStatus().setPodIP(ip);
        current.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(ip).build()));
        List<io.fabric8.kubernetes.api.model.PodCondition> conditions = new ArrayList<>();
        conditions.add(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime("2026-01-01T00:00:00Z").build());
        current.getStatus().setConditions(conditions);
        cluster.client().pods().inNamespace(current.getMetadata().getNamespace()).resource(current).updateStatus();
    }

    @Test
    void endpointsAndSlicesFollowPodReadinessAndNamedPorts() throws Exception {
        cluster.kubectl().ok("create", "namespace", "net");
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: net, labels: {tier: front}}
                spec:
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                """, "apply", "-f", "-");
        runningPod("net", "a", "web", "10.244.0.10", true, null);
        runningPod("net", "b", "web", "10.244.0.11", false, null);
        runningPod("net", "other", "other", "10.244.0.12", true, null);

        await(() -> out("get", "endpoints", "web", "-n", "net", "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}").equals("10.244.0.11"));
        JsonNode ep = json("get", "endpoints", "web", "-n", "net", "-o", "json");
        JsonNode subset = ep.path("subsets").get(0);
        assertThat(subset.path("addresses").get(0).path("ip").asString()).isEqualTo("10.244.0.10");
        assertThat(subset.path("addresses").get(0).path("targetRef").path("name").asString()).isEqualTo("a");
        assertThat(subset.path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        assertThat(ep.path("metadata").path("annotations").path("endpoints.kubernetes.io/last-change-trigger-time").asString()).isNotEmpty();
        assertThat(cluster.kubectl().ok("get", "endpoints", "web", "-n", "net")).contains("10.244.0.10:8080");

        await(() -> out("get", "endpointslices", "-n", "net", "-l", "kubernetes.io/service-name=web",
                "-o", "jsonpath={.items[*].endpoints[*].addresses[0]}").split(" ").length == 2);
        JsonNode slices = json("get", "endpointslices", "-n", "net", "-l", "kubernetes.io/service-name=web", "-o", "json");
        assertThat(slices.path("items").size()).isEqualTo(1);
        JsonNode slice = slices.path("items").get(0);
        assertThat(slice.path("metadata").path("labels").path("endpointslice.kubernetes.io/managed-by").asString()).isEqualTo("endpointslice-controller.k8s.io");
        assertThat(slice.path("metadata").path("ownerReferences").get(0).path("kind").asString()).isEqualTo("Service");
        assertThat(slice.path("addressType").asString()).isEqualTo("IPv4");
        assertThat(slice.path("ports").get(0).path("port").asInt()).isEqualTo(8080);
        for (JsonNode e : slice.path("endpoints")) {
            boolean isA = e.path("targetRef").path("name").asString().equals("a");
            assertThat(e.path("conditions").path("ready").asBoolean()).isEqualTo(isA);
            assertThat(e.path("conditions").path("serving").asBoolean()).isEqualTo(isA);
        }

        long flipped = System.nanoTime();
        setStatus(cluster.client().pods().inNamespace("net").withName("b").get(), "10.244.0.11", true);
        await(() -> cluster.client().endpoints().inNamespace("net").withName("web").get().getSubsets().stream()
                .mapToInt(s -> s.getAddresses().size()).sum() == 2);
        System.out.printf("measured: pod ready -> Endpoints address in %d ms%n", (System.nanoTime() - flipped) / 1_000_000);
        assertThat(cluster.kubectl().ok("get", "endpoints", "web", "-n", "net", "-o", "jsonpath={.subsets[*].addresses[*].ip}")).isEqualTo("10.244.0.10 10.244.0.11");
        cluster.kubectl().ok("delete", "pod", "a", "-n", "net");
        await(() -> out("get", "endpointslices", "-n", "net", "-l", "kubernetes.io/service-name=web",
                "-o", "jsonpath={.items[*].endpoints[*].targetRef.name}").equals("b"));

        cluster.kubectl().ok("delete", "service", "web", "-n", "net");
        await(() -> out("get", "endpointslices,endpoints", "-n", "net", "-o", "name").isBlank());
    }

    // ------------------------------------------------------------------ service-lb

    @Test
    void loadBalancerServicesGetAddressesOfThePoolWhichComeBackWhenTheyAreDeleted() throws Exception {
        cluster.kubectl().ok("create", "namespace", "lb");
        cluster.kubectl().ok("create", "service", "loadbalancer", "web", "--tcp=80:8080", "-n", "lb");
        cluster.kubectl().ok("create", "service", "loadbalancer", "api", "--tcp=80:8080", "-n", "lb");
        String ip = "jsonpath={.status.loadBalancer.ingress[*].ip}";
        await(() -> out("get", "service", "web", "-n", "lb", "-o", ip).equals("192.168.77.1"));
        await(() -> out("get", "service", "api", "-n", "lb", "-o", ip).equals("192.168.77.2"));
        assertThat(out("get", "service", "web", "-n", "lb")).contains("LoadBalancer").contains("192.168.77.1");

        cluster.kubectl().ok("create", "service", "loadbalancer", "third", "--tcp=80:8080", "-n", "lb");
        Thread.sleep(2000);
        assertThat(out("get", "service", "third", "-n", "lb", "-o", ip)).as("the pool is spent: pending").isEmpty();
        assertThat(out("get", "service", "third", "-n", "lb")).contains("<pending>");
        cluster.kubectl().ok("delete", "service", "web", "-n", "lb");
        await(() -> out("get", "service", "third", "-n", "lb", "-o", ip).equals("192.168.77.1"));
    }

    @Test
    void aHeadlessServiceAndEndpointsAUserMadeForAServiceWithoutSelector() throws Exception {
        cluster.kubectl().ok("create", "namespace", "nest");
        cluster.kubectl().runWithInput("""
                ---
                apiVersion: v1
                kind: Endpoints
                metadata:
                  name: ai-10000
                  namespace: nest
                subsets:
                  - addresses:
                    - ip: 172.16.1.3
                    ports:
                    - port: 10000
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: ai-10000
                  namespace: nest
                spec:
                  ports:
                    - protocol: TCP
                      port: 80
                      targetPort: 10000
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: nest}
                spec:
                  clusterIP: None
                  selector: {app: db}
                """, "apply", "-f", "-");
        runningPod("nest", "db-0", "db", "10.244.1.5", true, null);
        await(() -> out("get", "endpoints", "db", "-n", "nest", "-o", "jsonpath={.subsets[0].addresses[0].ip}").equals("10.244.1.5"));
        assertThat(cluster.kubectl().ok("get", "endpoints", "db", "-n", "nest", "-o", "jsonpath={.subsets[0].ports}")).isEmpty();
        await(() -> !out("get", "endpointslices", "-n", "nest", "-l",
                "kubernetes.io/service-name=db,service.kubernetes.io/headless", "-o", "name").isBlank());

        JsonNode manual = json("get", "endpoints", "ai-10000", "-n", "nest", "-o", "json");
        assertThat(manual.path("subsets").get(0).path("addresses").get(0).path("ip").asString()).isEqualTo("172.16.1.3");
        assertThat(manual.path("metadata").path("labels").isMissingNode() || manual.path("metadata").path("labels").isEmpty()).isTrue();
        await(() -> out("get", "endpointslices", "-n", "nest", "-l", "kubernetes.io/service-name=ai-10000",
                "-o", "jsonpath={.items[*].endpoints[*].addresses[0]}").equals("172.16.1.3"));
        JsonNode mirrored = json("get", "endpointslices", "-n", "nest", "-l", "kubernetes.io/service-name=ai-10000", "-o", "json").path("items").get(0);
        assertThat(mirrored.path("metadata").path("labels").path("endpointslice.kubernetes.io/managed-by").asString())
                .isEqualTo("endpointslicemirroring-controller.k8s.io");
        assertThat(mirrored.path("ports").get(0).path("port").asInt()).isEqualTo(10000);
        Thread.sleep(2000);
        assertThat(json("get", "endpoints", "ai-10000", "-n", "nest", "-o", "json").path("subsets"))
                .isEqualTo(manual.path("subsets"));
    }

    // ------------------------------------------------------------------ nodes

    static Node node(String name) {
        return cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").endCondition().endStatus().build()).create();
    }

    @Test
    void podsBoundToADeletedNodeAreRemovedByThePodGarbageCollector() throws Exception {
        node("short-lived");
        cluster.kubectl().ok("create", "namespace", "podgc");
        runningPod("podgc", "left-behind", "x", "10.244.8.1", true, "short-lived");
        cluster.kubectl().ok("delete", "node", "short-lived");
        await(() -> !cluster.kubectl().run("get", "pod", "left-behind", "-n", "podgc").ok());
        assertThat(cluster.kubectl().run("get", "pod", "left-behind", "-n", "podgc").err()).contains("NotFound");
    }

    @Test
    void silentNodesBecomeUnreachableTheirPodsAreEvictedAndTheyRecover() throws Exception {
        beating.add("alive");
        node("alive");
        node("quiet");
        long created = System.nanoTime();
        await(() -> !out("get", "node", "alive", "-o", "jsonpath={.spec.podCIDR}").isEmpty()
                && !out("get", "node", "quiet", "-o", "jsonpath={.spec.podCIDR}").isEmpty());
        Set<String> cidrs = Set.of(cluster.kubectl().ok("get", "node", "alive", "-o", "jsonpath={.spec.podCIDR}"),
                cluster.kubectl().ok("get", "node", "quiet", "-o", "jsonpath={.spec.podCIDR}"));
        assertThat(cidrs).hasSize(2).allMatch(c -> c.startsWith("10.244.") && c.endsWith(".0/24"));

        cluster.kubectl().ok("create", "namespace", "nodes");
        runningPod("nodes", "defaulted", "x", "10.244.9.1", true, "quiet");
        cluster.client().pods().inNamespace("nodes").resource(new PodBuilder().withNewMetadata().withName("brief").endMetadata()
                .withNewSpec().withNodeName("quiet").addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(2L).endToleration().endSpec().build()).create();

        await(() -> "Unknown".equals(cluster.client().nodes().withName("quiet").get().getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getStatus()));
        System.out.printf("measured: a node that never beat (grace 4 s) is Unknown %d ms after it was created%n", (System.nanoTime() - created) / 1_000_000);
        assertThat(cluster.kubectl().ok("get", "node", "quiet", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}"))
                .isEqualTo("Kubelet stopped posting node status.");
        await(() -> out("get", "node", "quiet", "-o", "jsonpath={.spec.taints[*].key}").contains("node.kubernetes.io/unreachable"));
        assertThat(cluster.kubectl().ok("get", "nodes")).containsPattern("quiet\\s+NotReady");
        assertThat(cluster.kubectl().ok("get", "node", "alive", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
        assertThat(cluster.kubectl().ok("get", "node", "alive", "-o", "jsonpath={.spec.taints}")).isEmpty();

        await(() -> !out("get", "pod", "brief", "-n", "nodes", "-o", "jsonpath={.metadata.deletionTimestamp}").isEmpty());
        assertThat(cluster.kubectl().ok("get", "pod", "defaulted", "-n", "nodes", "-o", "jsonpath={.metadata.deletionTimestamp}")).isEmpty();
        assertThat(cluster.kubectl().ok("get", "pod", "defaulted", "-n", "nodes", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("False");
        await(() -> out("get", "events", "-n", "nodes", "--field-selector", "involvedObject.name=brief",
                "-o", "jsonpath={.items[*].reason}").contains("TaintManagerEviction"));
        await(() -> out("get", "events", "-A", "--field-selector", "involvedObject.name=quiet",
                "-o", "jsonpath={.items[*].reason}").contains("NodeNotReady"));
        assertThat(cluster.kubectl().ok("get", "events", "-A", "--field-selector", "involvedObject.name=quiet",
                "-o", "jsonpath={.items[*].reason}")).contains("RegisteredNode");

        beating.add("quiet");
        await(() -> out("get", "node", "quiet", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").equals("True")
                && out("get", "node", "quiet", "-o", "jsonpath={.spec.taints}").isEmpty());
        assertThat(cluster.kubectl().ok("get", "pod", "defaulted", "-n", "nodes", "-o", "jsonpath={.metadata.deletionTimestamp}")).isEmpty();
    }
}
