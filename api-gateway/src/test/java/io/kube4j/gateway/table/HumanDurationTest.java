package io.kube4j.gateway.table;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HumanDurationTest {

    @ParameterizedTest(name = "{0} ms → {1}")
    @CsvSource({
            "-3000, <invalid>",
            "-2000, <invalid>",
            "-1500, 0s",
            "-999, 0s",
            "0, 0s",
            "59999, 59s",
            "119000, 119s",
            "120000, 2m",
            "200000, 3m20s",
            "599000, 9m59s",
            "600000, 10m",
            "10799000, 179m",
            "10800000, 3h",
            "12000000, 3h20m",
            "28740000, 7h59m",
            "28800000, 8h",
            "172799000, 47h",
            "172800000, 2d",
            "273600000, 3d4h",
            "691200000, 8d",
            "687600000, 7d23h",
            "62985600000, 729d",
            "63072000000, 2y",
            "63936000000, 2y10d",
            "252288000000, 8y",
            "315360000000, 10y",
    })
    void formatsAsKubernetesDoes(long millis, String expected) {
        assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "2026-11-25T11:55:00Z, 5m",
            "2026-11-25T11:55:00.123456Z, 4m59s",
            "2026-11-25T13:55:00+02:00, 5m",
            "'', <unknown>",
            "not-a-time, <unknown>",
    })
    void measuresFromATimestampToNow(String timestamp, String expected) {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertThat(HumanDuration.since(timestamp, now)).isEqualTo(expected);
    }
}
