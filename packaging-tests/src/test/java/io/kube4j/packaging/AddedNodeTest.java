package io.kube4j.packaging;

import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static io.kube4j.packaging.WorkloadsOnRealNodeTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second real node joining the running cluster of {@code ./kube4j up}: {@code ./kube4j up --nodes 2}
 * adds a network namespace with its own containerd, node agent and proxy agent and leaves the first
 * node be. The DaemonSet that was there before gets its pod on the new node, in the new node's
 * podCIDR; pods on the two nodes reach each other by pod IP, without NAT (the server logs the
 * client's own address), and through a ClusterIP Service's name in the cluster DNS; {@code kubectl
 * logs} and {@code exec} reach the new node's agent. Across the two nodes then ({@link #network}):
 * NodePorts from this machine on the new node's address and from the new node on the first node's,
 * ClusterIP and the cluster DNS from the new node to a pod on the first (and the first node's DNS
 * server asked from the new node), NetworkPolicy allow and deny both ways, Ingress by host and path
 * on the new node's port 80. Last, {@code ./kube4j up --nodes 1} removes the node, and the first
 * node's route to its pods goes.
 *
 * <p>Runs after the other classes that share the cluster, which expect one node
 * ({@code junit-platform.properties} orders classes by {@link Order}).
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(LauncherCluster.Extension.class)
class AddedNodeTest {

    private static final int NEAR_NODE_PORT = 32611;
    private static final int FAR_NODE_PORT = 32612;
    private static final String INGRESS_HOST = "multinet.kube4j.test";

    private static final String DAEMONSET = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: node-echo}
            spec:
              selector: {matchLabels: {app: node-echo}}
              template:
                metadata: {labels: {app: node-echo}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: nginx
                    image: nginx:1.22
                    ports: [{containerPort: 80}]
            """;

    /** A web server on the node named in the placeholder, behind a ClusterIP Service. */
    private static final String FAR_WEB = """
            apiVersion: v1
            kind: Pod
            metadata: {name: far-web, labels: {app: far-web}}
            spec:
              terminationGracePeriodSeconds: 1
              nodeSelector: {kubernetes.io/hostname: %s}
              containers:
              - name: nginx
                image: nginx:1.22
                ports: [{containerPort: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: far-web}
            spec:
              selector: {app: far-web}
              ports: [{port: 80}]
            """;

    /** Behind NodePort Services, an Ingress by host and path, and a NetworkPolicy: see {@link #network}. */
    private static final String NETWORK = """
            apiVersion: v1
            kind: Service
            metadata: {name: mn-near}
            spec:
              type: NodePort
              selector: {app: mn-near}
              ports: [{port: 80, targetPort: 8080, nodePort: %d}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: mn-far}
            spec:
              type: NodePort
              selector: {app: mn-far}
              ports: [{port: 80, targetPort: 8080, nodePort: %d}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: mn-guarded}
            spec:
              podSelector: {matchLabels: {guarded: "yes"}}
              policyTypes: [Ingress]
              ingress:
              - from: [{podSelector: {matchLabels: {access: granted}}}]
                ports: [{port: 8080}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: mn}
            spec:
              rules:
              - host: %s
                http:
                  paths:
                  - {path: /near, pathType: Prefix, backend: {service: {name: mn-near, port: {number: 80}}}}
                  - {path: /far, pathType: Prefix, backend: {service: {name: mn-far, port: {number: 80}}}}
            """.formatted(NEAR_NODE_PORT, FAR_NODE_PORT, INGRESS_HOST);

    @Test
    void aNodeAddedMidTestRunsTheDaemonSetsPodAndItsPodsReachTheFirstNodesPods(LauncherCluster cluster) throws Exception {
        Kubectl kubectl = cluster.kubectl();
        String first = kubectl.ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").trim();
        assertThat(first).as("one node before").doesNotContain(" ");
        assertThat(kubectl.runWithInput(DAEMONSET, "apply", "-f", "-").ok()).isTrue();
        kubectl.ok("rollout", "status", "daemonset/node-echo", "--timeout=90s");

        Instant start = Instant.now();
        DockerDaemon.Result up = cluster.launcher(Duration.ofMinutes(10), "up", "--nodes", "2");
        assertThat(up.ok()).as(up.output()).isTrue();
        System.out.println("AddedNodeTest: ./kube4j up --nodes 2 took " + Duration.between(start, Instant.now()).toSeconds() + " s");

        // The new agent answers its health check before its Node is registered.
        String second = eventually(Duration.ofSeconds(60), () -> Arrays.stream(
                        kubectl.ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").trim().split(" "))
                .filter(name -> !name.equals(first)).findFirst().orElse(""), name -> !name.isEmpty());
        kubectl.ok("wait", "--for=condition=Ready", "node/" + second, "--timeout=120s");
        String podCidr = kubectl.ok("get", "node", second, "-o", "jsonpath={.spec.podCIDR}").trim();
        String firstCidr = kubectl.ok("get", "node", first, "-o", "jsonpath={.spec.podCIDR}").trim();
        assertThat(podCidr).isNotBlank().isNotEqualTo(firstCidr);
        assertThat(kubectl.runWithInput(FAR_WEB.formatted(second), "apply", "-f", "-").ok()).isTrue();
        // Everything the network checks need, created at once: their pods start while the checks below run.
        String network = String.join("---\n", NETWORK, echoPod("mn-near", first, "{app: mn-near, access: granted}"),
                echoPod("mn-far", second, "{app: mn-far, access: granted}"), echoPod("mn-near-guarded", first, "{guarded: \"yes\"}"),
                echoPod("mn-far-guarded", second, "{guarded: \"yes\"}"));
        Kubectl.Result applied = kubectl.runWithInput(network, "apply", "-f", "-");
        assertThat(applied.ok()).as(applied.toString()).isTrue();

        // The DaemonSet's pod on the new node, Running with an address of the new node's podCIDR.
        String far = eventually(Duration.ofSeconds(90), () -> daemonPodOn(kubectl, second), r -> r.ok() && !r.out().isBlank()).out().trim();
        kubectl.ok("wait", "--for=condition=Ready", "pod/" + far, "--timeout=90s");
        assertThat(kubectl.ok("get", "pod", far, "-o", "jsonpath={.status.phase}")).isEqualTo("Running");
        String farIp = kubectl.ok("get", "pod", far, "-o", "jsonpath={.status.podIP}").trim();
        assertThat(inCidr(farIp, podCidr)).as("%s in %s", farIp, podCidr).isTrue();
        String near = daemonPodOn(kubectl, first).out().trim();
        String nearIp = kubectl.ok("get", "pod", near, "-o", "jsonpath={.status.podIP}").trim();
        assertThat(inCidr(nearIp, firstCidr)).as("%s in %s", nearIp, firstCidr).isTrue();
        eventually(Duration.ofSeconds(60), () -> kubectl.run("get", "daemonset", "node-echo", "-o", "jsonpath={.status.numberReady}"),
                r -> r.ok() && "2".equals(r.out().trim()));

        // Pod to pod across the nodes by IP, both ways (exec on either node); the far server logs the
        // near pod's own address: no NAT on the way.
        assertThat(eventually(Duration.ofSeconds(30), () -> wget(kubectl, near, "http://" + farIp + "/"), Kubectl.Result::ok).out())
                .contains("Welcome to nginx");
        assertThat(eventually(Duration.ofSeconds(30), () -> wget(kubectl, far, "http://" + nearIp + "/"), Kubectl.Result::ok).out())
                .contains("Welcome to nginx");
        assertThat(kubectl.ok("logs", far)).contains(nearIp + " - - ").contains("GET / HTTP/1.1");

        // Through a ClusterIP Service's name, whose only endpoint is on the new node.
        kubectl.ok("wait", "--for=condition=Ready", "pod/far-web", "--timeout=90s");
        assertThat(kubectl.ok("get", "pod", "far-web", "-o", "jsonpath={.spec.nodeName}")).isEqualTo(second);
        assertThat(eventually(Duration.ofSeconds(60), () -> wget(kubectl, near, "http://far-web/"), Kubectl.Result::ok).out())
                .contains("Welcome to nginx");
        assertThat(kubectl.ok("exec", "far-web", "--", "hostname").trim()).isEqualTo("far-web");

        Instant networkStart = Instant.now();
        network(cluster, kubectl, first, second, near, far);
        System.out.println("AddedNodeTest: the network checks took " + Duration.between(networkStart, Instant.now()).toMillis() + " ms");

        kubectl.ok("delete", "daemonset/node-echo", "pod/far-web", "service/far-web", "--wait=false");
        System.out.println("AddedNodeTest: up and checks took " + Duration.between(start, Instant.now()).toSeconds() + " s");

        Instant removal = Instant.now();
        nodeRemoved(cluster, kubectl, first, second, podCidr);
        System.out.println("AddedNodeTest: ./kube4j up --nodes 1 and its checks took " + Duration.between(removal, Instant.now()).toMillis() + " ms");
    }

    /**
     * Services, DNS, NodePorts, NetworkPolicy and Ingress across the two nodes, with busybox servers that
     * answer with their pod's name (so a reply says which pod, hence which node, served it): {@code mn-near}
     * and {@code mn-near-guarded} on the first node, {@code mn-far} and {@code mn-far-guarded} on the second.
     * {@code near} and {@code far} are the DaemonSet's pods on the two nodes.
     */
    private static void network(LauncherCluster cluster, Kubectl kubectl, String first, String second, String near, String far)
            throws Exception {
        kubectl.ok("wait", "--for=condition=Ready", "pod/mn-near", "pod/mn-far", "pod/mn-near-guarded", "pod/mn-far-guarded",
                "--timeout=90s");
        String secondAddress = kubectl.ok("get", "node", second, "-o",
                "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").trim();
        assertThat(secondAddress).as("the second node's own address").isNotBlank().doesNotStartWith("127.");

        // NodePorts from outside the cluster (this machine) on the second node's address: served by a pod on
        // either node (the first node's pod through the second node: masqueraded, so the reply comes back).
        assertThat(eventually(Duration.ofSeconds(30), () -> curl(cluster, "http://" + secondAddress + ":" + NEAR_NODE_PORT + "/", null),
                r -> r.ok() && r.output().startsWith("mn-near")).output()).startsWith("mn-near\n").endsWith("\n200");
        assertThat(eventually(Duration.ofSeconds(30), () -> curl(cluster, "http://" + secondAddress + ":" + FAR_NODE_PORT + "/", null),
                r -> r.ok() && r.output().startsWith("mn-far")).output()).startsWith("mn-far\n").endsWith("\n200");

        // ClusterIP and the cluster DNS from a pod on the second node to a pod on the first.
        String clusterIp = kubectl.ok("get", "service", "mn-near", "-o", "jsonpath={.spec.clusterIP}").trim();
        assertThat(eventually(Duration.ofSeconds(30), () -> wget(kubectl, "mn-far", "http://mn-near.default.svc.cluster.local/"),
                Kubectl.Result::ok).out().strip()).isEqualTo("mn-near");
        assertThat(wget(kubectl, "mn-far", "http://" + clusterIp + "/").out().strip()).isEqualTo("mn-near");

        // The API from a pod on the second node, as its ServiceAccount: its node's proxy agent leads the kubernetes
        // Service to the gateway at the bridge address (the first node's leads it to 127.0.0.1: InClusterApiAccessTest).
        Kubectl.Result applied = kubectl.runWithInput(InClusterApiAccessTest.kubectlPod("api-client-far", "default", second,
                java.nio.file.Path.of(Kubectl.binary()).toRealPath().toString()), "apply", "-f", "-");
        assertThat(applied.ok()).as(applied.toString()).isTrue();
        kubectl.ok("wait", "--for=condition=Ready", "pod/api-client-far", "--timeout=90s");
        assertThat(eventually(Duration.ofSeconds(30), () -> InClusterApiAccessTest.whoAmI(kubectl, "default", "api-client-far"),
                Kubectl.Result::ok).out()).isEqualTo("system:serviceaccount:default:default");
        kubectl.ok("delete", "pod", "api-client-far", "--wait=false");

        // The first node as the second one sees it: the host's address on the nodes' bridge (.1 of the second
        // node's /24). Its NodePorts answer there, and so does its cluster DNS, which its kube-dns endpoint names.
        String firstAddress = secondAddress.substring(0, secondAddress.lastIndexOf('.')) + ".1";
        assertThat(eventually(Duration.ofSeconds(30), () -> wget(kubectl, "mn-far", "http://" + firstAddress + ":" + NEAR_NODE_PORT + "/"),
                Kubectl.Result::ok).out().strip()).isEqualTo("mn-near");
        assertThat(wget(kubectl, "mn-far", "http://" + firstAddress + ":" + FAR_NODE_PORT + "/").out().strip()).isEqualTo("mn-far");
        assertThat(eventually(Duration.ofSeconds(30), () -> kubeDnsEndpoint(kubectl, first), firstAddress::equals))
                .as("the first node's kube-dns endpoint").isEqualTo(firstAddress);
        String dns = firstAddress + ":" + cluster.setting("KUBE4J_DNS_PORT");
        Kubectl.Result lookup = kubectl.run("exec", "mn-far", "--", "timeout", "5", "nslookup", "mn-near.default.svc.cluster.local", dns);
        assertThat(lookup.out()).as(lookup.toString()).contains(clusterIp);

        // NetworkPolicy, enforced on the guarded pod's node, between pods on different nodes: a granted pod
        // gets through, the DaemonSet's pod (not granted) does not, both ways.
        String nearGuarded = kubectl.ok("get", "pod", "mn-near-guarded", "-o", "jsonpath={.status.podIP}").trim();
        String farGuarded = kubectl.ok("get", "pod", "mn-far-guarded", "-o", "jsonpath={.status.podIP}").trim();
        assertThat(eventually(Duration.ofSeconds(30), () -> wget(kubectl, "mn-far", "http://" + nearGuarded + ":8080/"),
                Kubectl.Result::ok).out().strip()).isEqualTo("mn-near-guarded");
        assertThat(eventually(Duration.ofSeconds(30), () -> wget(kubectl, "mn-near", "http://" + farGuarded + ":8080/"),
                Kubectl.Result::ok).out().strip()).isEqualTo("mn-far-guarded");
        // Both at once (each waits out wget's timeout); again while either gets through: a policy's rules follow
        // its pods' addresses within a sync.
        List<Kubectl.Result> denied = eventually(Duration.ofSeconds(20), () -> Stream.of(
                        CompletableFuture.supplyAsync(() -> wget(kubectl, far, "http://" + nearGuarded + ":8080/")),
                        CompletableFuture.supplyAsync(() -> wget(kubectl, near, "http://" + farGuarded + ":8080/")))
                .map(CompletableFuture::join).toList(), results -> results.stream().noneMatch(Kubectl.Result::ok));
        assertThat(denied.get(0).ok()).as("%s on %s to the guarded pod on %s: %s", far, second, first, denied.get(0)).isFalse();
        assertThat(denied.get(1).ok()).as("%s on %s to the guarded pod on %s: %s", near, first, second, denied.get(1)).isFalse();

        // Ingress by host and path on the second node's address, port 80, to pods on either node.
        assertThat(eventually(Duration.ofSeconds(30), () -> curl(cluster, "http://" + secondAddress + "/near/", INGRESS_HOST),
                r -> r.ok() && r.output().startsWith("mn-near")).output()).startsWith("mn-near\n").endsWith("\n200");
        assertThat(curl(cluster, "http://" + secondAddress + "/far/", INGRESS_HOST).output()).startsWith("mn-far\n").endsWith("\n200");
        assertThat(curl(cluster, "http://" + secondAddress + "/far/", "unknown." + INGRESS_HOST).output()).endsWith("\n404");
        assertThat(eventually(Duration.ofSeconds(30), () -> kubectl.ok("get", "ingress", "mn", "-o",
                "jsonpath={.status.loadBalancer.ingress[*].ip}"), ips -> ips.contains(secondAddress))).contains(secondAddress);

        kubectl.ok("delete", "pod/mn-near", "pod/mn-far", "pod/mn-near-guarded", "pod/mn-far-guarded", "service/mn-near",
                "service/mn-far", "networkpolicy/mn-guarded", "ingress/mn", "--wait=false");
    }

    /**
     * {@code ./kube4j up --nodes 1} removes the second node: its Node object goes, and so does the first node's
     * route to its podCIDR (which the proxy agent programmed while the second node was there).
     */
    private static void nodeRemoved(LauncherCluster cluster, Kubectl kubectl, String first, String second, String podCidr)
            throws Exception {
        assertThat(ipRoute(cluster, podCidr)).as("the route to the second node's pods").contains(podCidr + " via ");
        DockerDaemon.Result down = cluster.launcher(Duration.ofMinutes(5), "up", "--nodes", "1");
        assertThat(down.ok()).as(down.output()).isTrue();
        assertThat(eventually(Duration.ofSeconds(20), () -> kubectl.ok("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").trim(),
                names -> names.equals(first))).isEqualTo(first);
        assertThat(eventually(Duration.ofSeconds(20), () -> ipRoute(cluster, podCidr), routes -> routes.isBlank()))
                .as("routes to %s's pods after its removal", second).isBlank();
        // With the bridge gone, the first node's cluster DNS is at 127.0.0.1 again for its own pods.
        assertThat(eventually(Duration.ofSeconds(20), () -> kubeDnsEndpoint(kubectl, first), "127.0.0.1"::equals))
                .as("the first node's kube-dns endpoint").isEqualTo("127.0.0.1");
    }

    /** The address the kube-dns EndpointSlice of {@code node}'s proxy agent names. */
    private static String kubeDnsEndpoint(Kubectl kubectl, String node) {
        return kubectl.run("get", "endpointslice", "-n", "kube-system", "kube-dns-" + node, "-o",
                "jsonpath={.endpoints[*].addresses[*]}").out().trim();
    }

    private static String ipRoute(LauncherCluster cluster, String cidr) {
        DockerDaemon.Result routes = DockerDaemon.run(cluster.home(), Map.of(), Duration.ofSeconds(10), "ip", "-4", "route", "show", cidr);
        assertThat(routes.ok()).as(routes.output()).isTrue();
        return routes.output().trim();
    }

    /** The body, a line break and the status code of a GET from this machine; {@code host} for the Host header. */
    private static DockerDaemon.Result curl(LauncherCluster cluster, String url, String host) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5", "-w", "\n%{http_code}"));
        if (host != null) command.addAll(List.of("-H", "Host: " + host));
        command.add(url);
        return DockerDaemon.run(cluster.home(), Map.of(), Duration.ofSeconds(10), command.toArray(String[]::new));
    }

    /** A busybox web server on {@code node} answering any of /, /near/ and /far/ with its pod's name. */
    private static String echoPod(String name, String node, String labels) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, labels: %s}
                spec:
                  terminationGracePeriodSeconds: 1
                  nodeSelector: {kubernetes.io/hostname: %s}
                  containers:
                  - name: echo
                    image: busybox:1.35
                    command: [sh, -c, "mkdir -p /www/near /www/far && hostname | tee /www/index.html /www/near/index.html /www/far/index.html && exec httpd -f -p 8080 -h /www"]
                    ports: [{containerPort: 8080}]
                    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
                """.formatted(name, labels, node);
    }

    private static Kubectl.Result daemonPodOn(Kubectl kubectl, String node) {
        return kubectl.run("get", "pods", "-l", "app=node-echo", "--field-selector=spec.nodeName=" + node,
                "-o", "jsonpath={.items[0].metadata.name}");
    }

    /** busybox's {@code wget -T} crashes here (MACHINE-NOTES): {@code timeout} bounds it instead. */
    private static Kubectl.Result wget(Kubectl kubectl, String pod, String url) {
        return kubectl.run("exec", pod, "--", "timeout", "5", "wget", "-q", "-O", "-", url);
    }

    static boolean inCidr(String ip, String cidr) {
        int slash = cidr.indexOf('/');
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (toLong(ip) & mask) == (toLong(cidr.substring(0, slash)) & mask);
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) value = (value << 8) | Integer.parseInt(octet);
        return value;
    }
}
