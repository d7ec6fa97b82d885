package io.kube4j.node;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeAgentPropertiesTest {

    private static NodeAgentProperties properties(String runtime, int hollowCount) {
        return new NodeAgentProperties("hollow", null, "10.99.0.0/24", runtime, "/run/containerd/containerd.sock",
                Path.of("/tmp/x"), null, 110, Duration.ofSeconds(1), Duration.ofSeconds(10), Map.of(),
                Duration.ofSeconds(3), hollowCount, List.of("10.96.0.10"), "cluster.local", "100Mi");
    }

    @ParameterizedTest
    @CsvSource({
            "10.99.0.0/24, 0, 10.99.0.0/24",
            "10.99.0.0/24, 7, 10.99.7.0/24",
            "10.99.0.0/24, 256, 10.100.0.0/24",
            "10.99.250.0/24, 1000, 10.103.226.0/24",
    })
    void hollowNodeIGetsTheIthSubnetAfterTheFirst(String cidr, int index, String expected) {
        assertThat(NodeAgentProperties.nthSubnet(cidr, index)).isEqualTo(expected);
    }

    @Test
    void manyHollowNodesAreNamedByIndex() {
        NodeAgentProperties many = properties("fake", 3);
        assertThat(many.nodeCount()).isEqualTo(3);
        assertThat(many.node(2).nodeName()).isEqualTo("hollow-2");
        assertThat(many.node(2).podCidr()).isEqualTo("10.99.2.0/24");
        assertThat(many.node(2).nodeCount()).isEqualTo(1);
        NodeAgentProperties one = properties("fake", 1);
        assertThat(one.node(0)).isSameAs(one);
    }

    @Test
    void onlyTheFakeRuntimeHostsManyNodes() {
        assertThatThrownBy(() -> properties("cri", 2)).hasMessageContaining("kube4j.node.runtime=fake");
        assertThatThrownBy(() -> properties("fake", 0)).hasMessageContaining("at least 1");
    }
}
