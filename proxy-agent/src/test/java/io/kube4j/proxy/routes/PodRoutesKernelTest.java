package io.kube4j.proxy.routes;

import io.kube4j.proxy.nftables.NetworkNamespaces;
import io.kube4j.proxy.sync.CommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kube4j.proxy.routes.PodRoutesTest.node;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two "nodes" (network namespaces on one link) and a pod behind node b: node a reaches the pod
 * by its address once its routes come from the Node objects, and no longer once node b is gone.
 */
class PodRoutesKernelTest {

    static NetworkNamespaces netns;
    static String a;
    static String b;
    static String pod;

    @BeforeAll
    static void namespaces() throws Exception {
        netns = new NetworkNamespaces();
        a = netns.add("a");
        b = netns.add("b");
        pod = netns.add("pod");
        netns.link(a, "10.230.0.1", b, "10.230.0.2");
        netns.link(b, "10.245.1.1", pod, "10.245.1.2");
        netns.sysctl(b, "net.ipv4.ip_forward", "1");
        netns.echoServer(pod, "10.245.1.2", 8080, "pod-on-b");
    }

    @AfterAll
    static void cleanup() throws Exception {
        if (netns != null) netns.close();
    }

    @Test
    void aPodOnAnotherNodeIsReachedByItsAddressWithoutNat() throws Exception {
        PodRouteProgrammer programmer = new PodRouteProgrammer(CommandRunner.process(a));
        assertThat(netns.getExitCode(a, "10.245.1.2", 8080)).as("no route yet").isNotZero();

        var nodes = List.of(node("a", "10.245.0.0/24", "10.230.0.1"), node("b", "10.245.1.0/24", "10.230.0.2"));
        assertThat(programmer.sync(PodRoutes.compute(nodes, "a"))).isEmpty();
        assertThat(netns.get(a, "10.245.1.2", 8080)).as("the pod sees node a's own address: no NAT").isEqualTo("pod-on-b 10.230.0.1");
        assertThat(programmer.current()).containsEntry("10.245.1.0/24", "10.230.0.2");

        assertThat(programmer.sync(PodRoutes.compute(nodes.subList(0, 1), "a"))).isEmpty();
        assertThat(programmer.current()).isEmpty();
        assertThat(netns.getExitCode(a, "10.245.1.2", 8080)).as("node b gone: its route with it").isNotZero();
    }
}
