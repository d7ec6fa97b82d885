package io.kube4j.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCidrAllocatorTest {

    final IndexedCache<Node> nodes = new IndexedCache<>();
    final FakeObjectClient objects = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();

    void node(String name, String cidr, String created) {
        nodes.put(objects.seed(new NodeBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
                .withNewSpec().withPodCIDR(cidr).endSpec().build()));
    }

    Map<String, String> cidrs() {
        Map<String, String> result = new TreeMap<>();
        for (Node n : objects.list(Node.class)) result.put(n.getMetadata().getName(), n.getSpec().getPodCIDR());
        return result;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nodes get subnets in order of creation     | a=,b=                       | 10.244.0.0/16 | {a=10.244.0.0/24, b=10.244.1.0/24}",
            "existing allocations are kept and skipped  | a=10.244.0.0/24,b=,c=10.244.2.0/24 | 10.244.0.0/16 | {a=10.244.0.0/24, b=10.244.1.0/24, c=10.244.2.0/24}",
            "a subnet outside the range takes nothing   | a=192.168.0.0/24,b=         | 10.244.0.0/16 | {a=192.168.0.0/24, b=10.244.0.0/24}",
            "an exhausted range leaves the node without | a=,b=                       | 10.0.0.0/24   | {a=10.0.0.0/24, b=null}",
    })
    void allocates(String name, String spec, String cluster, String expected) {
        int i = 0;
        for (String entry : spec.split(",")) {
            String[] f = entry.split("=", -1);
            node(f[0], f[1].isEmpty() ? null : f[1], "2026-01-01T00:00:0" + (i++) + "Z");
        }
        new NodeCidrAllocator(nodes, objects, events, CidrRange.parse(cluster, 24)).reconcile(NodeCidrAllocator.KEY);
        assertThat(cidrs().toString()).isEqualTo(expected);
    }

    @Test
    void aSubnetHandedOutIsNotGivenAgainBeforeTheCacheShowsIt() {
        node("a", null, "2026-01-01T00:00:00Z");
        NodeCidrAllocator allocator = new NodeCidrAllocator(nodes, objects, events, CidrRange.parse("10.244.0.0/16", 24));
        allocator.reconcile(NodeCidrAllocator.KEY);
        node("b", null, "2026-01-01T00:00:01Z");
        allocator.reconcile(NodeCidrAllocator.KEY);
        assertThat(cidrs()).containsEntry("a", "10.244.0.0/24").containsEntry("b", "10.244.1.0/24");
        objects.clearActions();
        allocator.reconcile(NodeCidrAllocator.KEY);
        assertThat(objects.actions()).isEmpty();
    }

    @Test
    void aNodeLeftWithoutASubnetIsToldOnceNotOnEveryPass() {
        node("a", null, "2026-01-01T00:00:00Z");
        node("b", null, "2026-01-01T00:00:01Z");
        node("c", null, "2026-01-01T00:00:02Z");
        NodeCidrAllocator allocator = new NodeCidrAllocator(nodes, objects, events, CidrRange.parse("10.0.0.0/24", 24));
        allocator.reconcile(NodeCidrAllocator.KEY);
        assertThat(events.events()).hasSize(2).allSatisfy(e -> assertThat(e).contains("CIDRNotAvailable"));
        allocator.reconcile(NodeCidrAllocator.KEY);
        assertThat(events.events()).hasSize(2);

        // The node that went and came back is told again.
        nodes.remove("b");
        allocator.reconcile(NodeCidrAllocator.KEY);
        node("b", null, "2026-01-01T00:00:03Z");
        allocator.reconcile(NodeCidrAllocator.KEY);
        assertThat(events.events()).hasSize(3);
    }

    @Test
    void aRestartedAllocatorDerivesWhatIsTakenFromTheNodes() {
        node("a", "10.244.0.0/24", "2026-01-01T00:00:00Z");
        node("b", "10.244.1.0/24", "2026-01-01T00:00:01Z");
        node("c", null, "2026-01-01T00:00:02Z");
        new NodeCidrAllocator(nodes, objects, events, CidrRange.parse("10.244.0.0/16", 24)).reconcile(NodeCidrAllocator.KEY);
        assertThat(cidrs()).containsEntry("c", "10.244.2.0/24");
        assertThat(objects.get(Node.class, null, "c").orElseThrow().getSpec().getPodCIDRs()).containsExactly("10.244.2.0/24");
    }

    @ParameterizedTest
    @CsvSource({"10.244.0.0/16,24,256,10.244.255.0/24", "10.0.0.0/8,16,256,10.255.0.0/16", "10.1.2.0/23,24,2,10.1.3.0/24"})
    void cutsRanges(String cidr, int mask, long size, String last) {
        CidrRange range = CidrRange.parse(cidr, mask);
        assertThat(range.size()).isEqualTo(size);
        assertThat(range.subnet(size - 1)).isEqualTo(last);
        assertThat(range.indexOf(last)).contains(size - 1);
    }
}
