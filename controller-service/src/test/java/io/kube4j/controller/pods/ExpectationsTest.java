package io.kube4j.controller.pods;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectationsTest {

    @Test
    void satisfiedOnceEveryCreationAndDeletionIsSeenOrTheTimeoutPassed() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now.get(); }
        };
        Expectations e = new Expectations(clock, Duration.ofMinutes(5));
        assertThat(e.satisfied("ns/web")).isTrue();
        e.expectCreations("ns/web", 2);
        assertThat(e.satisfied("ns/web")).isFalse();
        e.creationObserved("ns/web");
        assertThat(e.satisfied("ns/web")).isFalse();
        e.creationObserved("ns/web");
        assertThat(e.satisfied("ns/web")).isTrue();

        assertThat(e.untilLapsed("ns/web")).as("nothing outstanding").isNull();

        e.expectDeletions("ns/web", Set.of("ns/a", "ns/b"));
        e.deletionObserved("ns/web", "ns/a");
        e.deletionObserved("ns/web", "ns/a");
        assertThat(e.satisfied("ns/web")).isFalse();
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(e.untilLapsed("ns/web")).isEqualTo(Duration.ofMinutes(3));
        now.set(now.get().plus(Duration.ofMinutes(3)));
        assertThat(e.untilLapsed("ns/web")).as("due: at least a moment").isEqualTo(Duration.ofMillis(1));
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertThat(e.satisfied("ns/web")).as("expired").isTrue();
        e.forget("ns/web");
        assertThat(e.describe("ns/web")).isEqualTo("none");
    }

    @Test
    void slowStartStopsAfterTheFirstFailingBatch() throws Exception {
        var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        var outcome = SlowStart.run(100, 1, executor, () -> {
            if (calls.incrementAndGet() > 3) throw new IllegalStateException("quota");
        });
        // batches 1 and 2 succeed (3 calls), the batch of 4 fails: 7 calls in all, not 100
        assertThat(calls.get()).isEqualTo(7);
        assertThat(outcome.successes()).isEqualTo(3);
        assertThat(outcome.error()).hasMessage("quota");

        calls.set(0);
        assertThat(SlowStart.run(10, 1, executor, calls::incrementAndGet).successes()).isEqualTo(10);
        assertThat(calls.get()).isEqualTo(10);
    }

    @Test
    void aDeleteThatDeletesWaitsForItsEventAndAnyOtherOutcomeCountsAsObserved() {
        Expectations e = new Expectations();
        e.expectDeletions("ns/web", Set.of("ns/deleted", "ns/gone", "ns/notfound", "ns/failed"));

        assertThat(e.delete("ns/web", "ns/deleted", () -> true)).isTrue();
        assertThat(e.delete("ns/web", "ns/gone", () -> false)).isFalse();
        assertThat(e.delete("ns/web", "ns/notfound", () -> {
            throw new KubernetesClientException("pods \"notfound\" not found", 404, null);
        })).isFalse();
        KubernetesClientException refused = new KubernetesClientException("internal error", 500, null);
        assertThatThrownBy(() -> e.delete("ns/web", "ns/failed", () -> {
            throw refused;
        })).isSameAs(refused);

        assertThat(e.describe("ns/web")).isEqualTo("adds=0 deletes=1");
        e.deletionObserved("ns/web", "ns/deleted");
        assertThat(e.satisfied("ns/web")).isTrue();
    }
}
