package io.kube4j.proxy.sync;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SyncRateLimitTest {

    static final long S = 1_000_000_000L;

    /** Syncs at the given times (seconds) with burst 2, 1 s interval; the delay each one would have had to wait first. */
    record Case(String name, int burst, List<Double> at, List<Double> expectedDelays) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("the burst runs at once", 2, List.of(0.0, 0.0), List.of(0.0, 0.0)),
                new Case("after the burst, one sync per interval", 2, List.of(0.0, 0.0, 0.0), List.of(0.0, 0.0, 1.0)),
                new Case("half an interval later, half a token is back", 2, List.of(0.0, 0.0, 0.5), List.of(0.0, 0.0, 0.5)),
                new Case("a quiet period refills the bucket, no further", 2, List.of(0.0, 0.0, 10.0, 10.0, 10.0), List.of(0.0, 0.0, 0.0, 0.0, 1.0)),
                new Case("burst 1: the minimum interval between any two", 1, List.of(0.0, 0.25), List.of(0.0, 0.75)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void delays(Case c) {
        SyncRateLimit limit = new SyncRateLimit(Duration.ofSeconds(1), c.burst, 0);
        for (int i = 0; i < c.at.size(); i++) {
            long now = (long) (c.at.get(i) * S);
            assertThat(limit.delay(now) / (double) S).as("delay of sync %d", i).isCloseTo(c.expectedDelays.get(i), org.assertj.core.data.Offset.offset(1e-6));
            limit.consume(now + limit.delay(now));
        }
    }
}
