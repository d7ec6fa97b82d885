package io.kube4j.packaging;

import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import static io.kube4j.packaging.WorkloadsOnRealNodeTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second real node joining the running cluster of {@code ./kube4j up}: {@code ./kube4j up --nodes 2}
 * adds a network namespace with its own containerd, node agent and proxy agent and leaves the first
 * node be. The DaemonSet that was there before gets its pod on the new node, in the new node's
 * podCIDR; pods on the two nodes reach each other by pod IP, without NAT (the server logs the
 * client's own address), and through a ClusterIP Service's name in the cluster DNS; {@code kubectl
 * logs} and {@code exec} reach the new node's agent.
 *
 * <p>Runs after the other classes that share the cluster, which expect one node
 * ({@code junit-platform.properties} orders classes by {@link Order}).
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(LauncherCluster.Extension.class)
class AddedNodeTest {

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

        kubectl.ok("delete", "daemonset/node-echo", "pod/far-web", "service/far-web", "--wait=false");
        System.out.println("AddedNodeTest: up and checks took " + Duration.between(start, Instant.now()).toSeconds() + " s");
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
