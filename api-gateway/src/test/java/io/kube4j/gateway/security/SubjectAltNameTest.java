package io.kube4j.gateway.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectAltNameTest {

    @ParameterizedTest
    @CsvSource({
            "localhost,           DNS, localhost",
            "Kubernetes.Default,  DNS, kubernetes.default",
            "127.0.0.1,           IP,  127.0.0.1",
            "::1,                 IP,  0:0:0:0:0:0:0:1",
            "[::1],               IP,  0:0:0:0:0:0:0:1",
            "0:0:0:0:0:0:0:1,     IP,  0:0:0:0:0:0:0:1",
            "10.96.0.1,           IP,  10.96.0.1",
            "gw.example.test,     DNS, gw.example.test",
            "' spaced.example ',  DNS, spaced.example",
    })
    void classifiesAndNormalizes(String configured, SubjectAltName.Type type, String value) {
        assertThat(SubjectAltName.of(configured)).isEqualTo(new SubjectAltName(type, value));
    }

    @Test
    void gatewayNamesAreTheBuiltInOnesTheHostAndTheExtrasWithoutDuplicates() {
        var names = SubjectAltName.forGateway(Optional.of("node-1"), List.of("LOCALHOST", "10.0.0.5", " "));

        assertThat(names).extracting(SubjectAltName::value).containsExactly(
                "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "node-1", "10.0.0.5");
    }
}
