package io.kube4j.proxy.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kube4j.proxy.sync.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class PodRoutesTest {

    static Node node(String name, String podCidr, String internalIp) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withPodCIDR(podCidr).endSpec();
        if (internalIp != null) b.withNewStatus().addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress().endStatus();
        return b.build();
    }

    /** {@code name=cidr@ip;…}, empty parts for missing fields. */
    static List<Node> nodes(String spec) {
        List<Node> out = new ArrayList<>();
        for (String entry : spec.split(";")) {
            String[] kv = entry.trim().split("=");
            String[] v = kv[1].split("@", -1);
            out.add(node(kv[0], v[0].isEmpty() ? null : v[0], v[1].isEmpty() ? null : v[1]));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "every other node's podCIDR via its InternalIP | a=10.244.0.0/24@10.0.0.1; b=10.244.1.0/24@10.0.0.2; c=10.244.2.0/24@10.0.0.3 | [PodRoute[cidr=10.244.1.0/24, via=10.0.0.2], PodRoute[cidr=10.244.2.0/24, via=10.0.0.3]]",
            "a node without podCIDR yet is skipped         | a=10.244.0.0/24@10.0.0.1; b=@10.0.0.2                                      | []",
            "a node without InternalIP is skipped          | a=10.244.0.0/24@10.0.0.1; b=10.244.1.0/24@                                 | []",
            "hollow nodes on this node's address or loopback | a=10.244.0.0/24@10.0.0.1; b=10.244.1.0/24@10.0.0.1; c=10.244.2.0/24@127.0.0.1 | []",
            "an IPv6 podCIDR is skipped                    | a=10.244.0.0/24@10.0.0.1; b=fd00::/64@10.0.0.2                              | []",
    })
    void computes(String name, String nodes, String expected) {
        assertThat(PodRoutes.compute(nodes(nodes), "a").toString()).isEqualTo(expected);
    }

    /** The kernel's main table as far as `ip route` shows, replaces and deletes routes of one protocol. */
    static final class FakeRoutes implements CommandRunner {
        final Map<String, String> owned = new TreeMap<>();
        final List<String> commands = new ArrayList<>();
        String unreachableGateway = "";

        @Override
        public Result run(List<String> c, String stdin) {
            commands.add(String.join(" ", c));
            if (c.contains("show")) {
                StringBuilder sb = new StringBuilder();
                owned.forEach((cidr, via) -> sb.append(cidr.endsWith("/32") ? cidr.substring(0, cidr.length() - 3) : cidr)
                        .append(" via ").append(via).append(" dev eth0 proto 148\n"));
                return new Result(0, sb.toString());
            }
            if (c.contains("replace")) {
                if (c.get(6).equals(unreachableGateway)) return new Result(2, "Error: Nexthop has invalid gateway.");
                owned.put(c.get(4), c.get(6));
            }
            if (c.contains("del")) owned.remove(c.get(4));
            return new Result(0, "");
        }
    }

    @Test
    void programsOnlyTheDifferenceAndRemovesRoutesOfGoneNodes() throws Exception {
        FakeRoutes kernel = new FakeRoutes();
        PodRouteProgrammer programmer = new PodRouteProgrammer(kernel);
        assertThat(programmer.sync(List.of(new PodRoute("10.244.1.0/24", "10.0.0.2"), new PodRoute("10.244.2.5/32", "10.0.0.3")))).isEmpty();
        assertThat(kernel.owned).containsExactlyInAnyOrderEntriesOf(Map.of("10.244.1.0/24", "10.0.0.2", "10.244.2.5/32", "10.0.0.3"));

        kernel.commands.clear();
        programmer.sync(List.of(new PodRoute("10.244.1.0/24", "10.0.0.2"), new PodRoute("10.244.2.5/32", "10.0.0.3")));
        assertThat(kernel.commands).as("nothing changed: only read back").hasSize(1);

        programmer.sync(List.of(new PodRoute("10.244.1.0/24", "10.0.0.9")));
        assertThat(kernel.owned).containsExactlyEntriesOf(Map.of("10.244.1.0/24", "10.0.0.9"));
    }

    @Test
    void aRefusedRouteIsReportedAndTheOthersAreStillProgrammed() throws Exception {
        FakeRoutes kernel = new FakeRoutes();
        kernel.unreachableGateway = "192.168.9.9";
        List<String> failures = new PodRouteProgrammer(kernel).sync(List.of(new PodRoute("10.244.1.0/24", "192.168.9.9"),
                new PodRoute("10.244.2.0/24", "10.0.0.3")));
        assertThat(failures).containsExactly("10.244.1.0/24 via 192.168.9.9: Error: Nexthop has invalid gateway.");
        assertThat(kernel.owned).containsOnlyKeys("10.244.2.0/24");
    }
}
