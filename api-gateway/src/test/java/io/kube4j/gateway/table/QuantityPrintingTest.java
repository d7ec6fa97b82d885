package io.kube4j.gateway.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityPrintingTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "1Gi, 1Gi",
            "1024Mi, 1Gi",
            "1536Mi, 1536Mi",
            "2048Ki, 2Mi",
            "0.5Gi, 512Mi",
            "1.5Ki, 1536",
            "512, 512",
            "100Ki, 100Ki",
            "1000, 1k",
            "1500, 1500",
            "0.5, 500m",
            "0.1, 100m",
            "1500m, 1500m",
            "2000m, 2",
            "100m, 100m",
            "0.0000000001, 1n",
            "1.5G, 1500M",
            "1e3, 1e3",
            "1E6, 1e6",
            "1200e3, 1200e3",
            "12e-1, 1200e-3",
            "0, 0",
            "0Gi, 0",
            "-1500m, -1500m",
            "-2Gi, -2Gi",
            "10, 10",
            "not-a-quantity, not-a-quantity",
            "5K, 5K",
    })
    void canonicalizesAsKubernetesDoes(String text, String expected) {
        assertThat(ClusterPrinters.quantity(text)).isEqualTo(expected);
    }
}
