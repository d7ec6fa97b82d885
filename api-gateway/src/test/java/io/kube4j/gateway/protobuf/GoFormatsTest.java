package io.kube4j.gateway.protobuf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoFormatsTest {

    /** Go's time.Duration.String() for these values, and back. */
    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "1500, 1.5µs",
            "1000000, 1ms",
            "1500000, 1.5ms",
            "999999999, 999.999999ms",
            "1000000000, 1s",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "3600000000000, 1h0m0s",
            "5400000000000, 1h30m0s",
            "-2000000000, -2s",
            "86400000000000, 24h0m0s",
    })
    void durationsPrintAndParseAsGoDoes(long nanos, String text) {
        assertThat(GoFormats.duration(nanos)).isEqualTo(text);
        assertThat(GoFormats.parseDuration(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @CsvSource({"1h30m, 5400000000000", "300ms, 300000000", "2us, 2000", "1.5h, 5400000000000", "+5s, 5000000000"})
    void parsesOtherSpellings(String text, long nanos) {
        assertThat(GoFormats.parseDuration(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @CsvSource({"''", "5", "1x", "h", "1..5s"})
    void refusesMalformedDurations(String text) {
        assertThatThrownBy(() -> GoFormats.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "1704164645, 0, 2024-01-02T03:04:05Z, 2024-01-02T03:04:05.000000Z",
            "1704164645, 999999999, 2024-01-02T03:04:05Z, 2024-01-02T03:04:05.999999Z",
            "0, 0, 1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000000Z",
    })
    void timesAreUtcRfc3339(long seconds, int nanos, String time, String microTime) {
        assertThat(GoFormats.time(seconds, nanos)).isEqualTo(time);
        assertThat(GoFormats.microTime(seconds, nanos)).isEqualTo(microTime);
        assertThat(GoFormats.parseTime(time).getEpochSecond()).isEqualTo(seconds);
    }
}
