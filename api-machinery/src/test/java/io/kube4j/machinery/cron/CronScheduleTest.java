package io.kube4j.machinery.cron;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronScheduleTest {

    @ParameterizedTest
    @ValueSource(strings = {"*/1 * * * *", "0 0 * * *", "30 2 1 1 *", "0 9-17 * * MON-FRI", "15,45 */2 ? jan,jul sun",
            "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m", "5 4 * * 0"})
    void acceptsStandardSchedules(String schedule) {
        assertThat(CronSchedule.parse(schedule).toString()).isEqualTo(schedule);
    }

    record Refusal(String schedule, String message) {}

    static Stream<Refusal> refusals() {
        return Stream.of(
                new Refusal("foo", "expected exactly 5 fields, found 1: [foo]"),
                new Refusal("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
                new Refusal("60 * * * *", "end of range (60) above maximum (59): 60"),
                new Refusal("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
                new Refusal("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
                new Refusal("*/0 * * * *", "step of range should be a positive number: */0"),
                new Refusal("x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"),
                new Refusal("1-2-3 * * * *", "too many hyphens: 1-2-3"),
                new Refusal("@often", "unrecognized descriptor: @often"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWithTheMessagesKubernetesGives(Refusal r) {
        assertThatThrownBy(() -> CronSchedule.parse(r.schedule())).hasMessage(r.message());
    }

    record Next(String schedule, String after, String expected) {}

    static Stream<Next> nextActivations() {
        return Stream.of(
                new Next("*/1 * * * *", "2026-11-25T21:17:30Z", "2026-11-25T21:18:00Z"),
                new Next("*/15 * * * *", "2026-11-25T21:17:00Z", "2026-11-25T21:30:00Z"),
                new Next("0 0 * * *", "2026-11-25T21:17:00Z", "2026-11-26T00:00:00Z"),
                new Next("0 9 * * MON", "2026-11-25T21:17:00Z", "2026-11-30T09:00:00Z"),
                new Next("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
                new Next("@monthly", "2026-11-25T21:17:00Z", "2026-12-01T00:00:00Z"),
                // Both day fields restricted: either matches (Dec 1 is a Tuesday, the 13th comes later).
                new Next("0 0 13 * 2", "2026-11-25T00:00:00Z", "2026-12-01T00:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("nextActivations")
    void findsTheNextActivation(Next n) {
        ZonedDateTime after = ZonedDateTime.parse(n.after()).withZoneSameInstant(ZoneOffset.UTC);
        ZonedDateTime next = CronSchedule.parse(n.schedule()).next(after);
        assertThat(next).isEqualTo(ZonedDateTime.parse(n.expected()));
        assertThat(CronSchedule.parse(n.schedule()).matches(next)).isTrue();
    }
}
