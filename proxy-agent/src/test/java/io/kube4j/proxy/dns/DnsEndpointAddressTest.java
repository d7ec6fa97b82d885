package io.kube4j.proxy.dns;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DnsEndpointAddressTest {

    record Case(String description, String configured, List<String> nodeAddresses, Set<String> local, String expected) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("the configured address wins", "10.250.0.2", List.of("127.0.0.1", "10.250.0.1"), Set.of("10.250.0.1"), "10.250.0.2"),
                new Case("launcher's first node alone: its bridge address does not exist yet", "",
                        List.of("127.0.0.1", "10.250.0.1"), Set.of("127.0.0.1", "192.168.1.5"), "127.0.0.1"),
                new Case("launcher's first node with other nodes: their bridge's address", "",
                        List.of("127.0.0.1", "10.250.0.1"), Set.of("127.0.0.1", "10.250.0.1"), "10.250.0.1"),
                new Case("a node's own InternalIP", null, List.of("172.18.0.3"), Set.of("127.0.0.1", "172.18.0.3"), "172.18.0.3"),
                new Case("the first local one of several", "", List.of("203.0.113.9", "172.18.0.3", "172.18.0.4"),
                        Set.of("172.18.0.3", "172.18.0.4"), "172.18.0.3"),
                new Case("an agent in a namespace of its own sees the node's address as foreign", "",
                        List.of("172.18.0.3"), Set.of("127.0.0.1"), "172.18.0.3"),
                new Case("no addresses at all", "", List.of(), Set.of("127.0.0.1"), "127.0.0.1"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void choosesTheAddressOtherNodesReach(Case c) {
        assertThat(DnsEndpointAddress.choose(c.configured(), c.nodeAddresses(), c.local())).isEqualTo(c.expected());
    }
}
