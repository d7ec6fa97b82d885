package io.kube4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.store.CompactionPolicy.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CompactionPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final CompactionPolicy FIVE_MINUTES = new CompactionPolicy(Duration.ofMinutes(5));

    /** Samples as (minute, revision) pairs; expected -1 means no compaction. */
    record Case(String name, long[][] samples, long nowMinute, long alreadyCompacted, long expected, long[] keptRevisions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no sample yet old enough", new long[][] {{0, 10}, {1, 20}, {4, 40}}, 4, 0, -1, new long[] {10, 20, 40}),
                new Case("a sample exactly at the retention", new long[][] {{0, 10}, {1, 20}, {5, 60}}, 5, 0, 10, new long[] {20, 60}),
                new Case("the newest of the old samples wins", new long[][] {{0, 10}, {1, 20}, {2, 30}, {7, 70}}, 7, 0, 30, new long[] {70}),
                new Case("an idle store is not compacted twice", new long[][] {{1, 30}, {6, 30}}, 6, 30, -1, new long[] {30}),
                new Case("another compactor went further", new long[][] {{0, 10}, {6, 60}}, 6, 50, -1, new long[] {60}),
                new Case("a late round after a gap", new long[][] {{0, 10}, {30, 300}}, 30, 0, 10, new long[] {300}),
                new Case("revision 0 of an empty store is never compacted", new long[][] {{0, 0}, {5, 0}}, 5, 0, -1, new long[] {0}));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decides(Case c) {
        List<Sample> samples = Stream.of(c.samples())
                .map(s -> new Sample(T0.plus(Duration.ofMinutes(s[0])), s[1]))
                .toList();

        CompactionPolicy.Decision decision = FIVE_MINUTES.decide(samples, T0.plus(Duration.ofMinutes(c.nowMinute())), c.alreadyCompacted());

        assertThat(decision.compactTo()).isEqualTo(c.expected() < 0 ? OptionalLong.empty() : OptionalLong.of(c.expected()));
        assertThat(decision.keep()).extracting(Sample::revision).containsExactly(box(c.keptRevisions()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void neverCompactsARevisionYoungerThanTheRetention(Case c) {
        Instant now = T0.plus(Duration.ofMinutes(c.nowMinute()));
        List<Sample> samples = Stream.of(c.samples()).map(s -> new Sample(T0.plus(Duration.ofMinutes(s[0])), s[1])).toList();

        FIVE_MINUTES.decide(samples, now, c.alreadyCompacted()).compactTo().ifPresent(revision -> {
            Sample chosen = samples.stream().filter(s -> s.revision() == revision).findFirst().orElseThrow();
            assertThat(Duration.between(chosen.at(), now)).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        });
    }

    private static Long[] box(long[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Long[]::new);
    }
}
