package io.kube4j.testsupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class KubectlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "get pods                                   | 60",
            "rollout status ds/x --timeout=10s          | 60",
            "rollout status ds/x --timeout=90s          | 120",
            "wait --for=delete pod/x --timeout=3m       | 210",
            "wait pod/x --timeout=1h                    | 3630",
            "get pods --request-timeout=45              | 75",
            "get pods --timeout-seconds=900             | 60",
    })
    void waitsLongerThanKubectlsOwnTimeout(String arguments, long expected) {
        assertThat(Kubectl.waitLimitSeconds(arguments.trim().split(" "))).isEqualTo(expected);
    }
}
