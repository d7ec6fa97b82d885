package io.kube4j.machinery.events;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    private static final long S = 1_000_000_000L;

    /** Takes at the given times (ns) from a bucket made at time 0; each answer is 0 (taken) or the wait in ns. */
    record Case(String name, double qps, int burst, List<Long> takesAt, List<Long> answers) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a full bucket gives its burst at once, then says how long to wait",
                        10, 3, List.of(0L, 0L, 0L, 0L), List.of(0L, 0L, 0L, S / 10)),
                new Case("tokens come back at qps",
                        10, 1, List.of(0L, S / 10, S / 10, S / 20 * 3), List.of(0L, 0L, S / 10, S / 20)),
                new Case("a long quiet spell saves up no more than the burst",
                        1, 2, List.of(0L, 0L, 100 * S, 100 * S, 100 * S), List.of(0L, 0L, 0L, 0L, S)),
                new Case("a refused take takes nothing",
                        2, 1, List.of(0L, S / 4, S / 2), List.of(0L, S / 4, 0L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void takesAndWaits(Case c) {
        TokenBucket bucket = new TokenBucket(c.qps(), c.burst(), 0);
        for (int i = 0; i < c.takesAt().size(); i++) {
            assertThat(bucket.tryTake(c.takesAt().get(i))).as("take %d at %d ns", i, c.takesAt().get(i))
                    .isEqualTo(c.answers().get(i));
        }
    }
}
