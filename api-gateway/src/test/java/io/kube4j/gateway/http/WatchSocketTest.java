package io.kube4j.gateway.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WatchSocketTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "''                                                                  | none",
            "v4.channel.k8s.io                                                   | v4.channel.k8s.io",
            "base64url.bearer.authorization.k8s.io.dG9rZW4, json                 | json",
            "base64url.bearer.authorization.k8s.io.dG9rZW4                       | none",
            "a ; b, c                                                            | a",
            " binary.k8s.io ,base64.binary.k8s.io                                | binary.k8s.io"})
    void theFirstOfferedProtocolThatIsNotATokenIsAccepted(String offered, String chosen) {
        List<String> headers = offered.isEmpty() ? List.of() : Arrays.asList(offered.split(";"));
        assertThat(WatchSocket.chooseProtocol(headers)).isEqualTo(chosen);
    }
}
