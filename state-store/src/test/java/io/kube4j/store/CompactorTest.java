package io.kube4j.store;

import io.kube4j.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompactorTest {

    private final MemoryStore store = new MemoryStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final CompactorProperties properties = new CompactorProperties(true, Duration.ofMinutes(1), Duration.ofMinutes(5));

    @Test
    void keepsTheRetentionWindowReadableAndCompactsWhatIsOlder() {
        Compactor compactor = new Compactor(store, properties, clock);
        long[] revisionAtMinute = new long[8];
        for (int minute = 0; minute < 8; minute++) {
            write("/k" + minute);
            revisionAtMinute[minute] = store.currentRevision();
            OptionalLong compacted = compactor.round();
            if (minute < 5) assertThat(compacted).as("minute %d", minute).isEmpty();
            else assertThat(compacted).as("minute %d", minute).hasValue(revisionAtMinute[minute - 5]);
            clock.advance(Duration.ofMinutes(1));
        }
        // everything written in the last five minutes can still be watched
        assertThat(store.compactedRevision()).isEqualTo(revisionAtMinute[2]);
        assertThat(store.list("/", revisionAtMinute[2], 0, null).items()).hasSize(3);
        assertThatThrownBy(() -> store.list("/", revisionAtMinute[1], 0, null)).isInstanceOf(StoreException.Compacted.class);
    }

    @Test
    void twoCompactorsOnOneStoreDoNotTripOverEachOther() {
        Compactor first = new Compactor(store, properties, clock);
        Compactor second = new Compactor(store, properties, clock);
        for (int minute = 0; minute < 7; minute++) {
            write("/k" + minute);
            first.round();
            second.round();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(store.compactedRevision()).isEqualTo(2);
    }

    @Test
    void aScheduledCompactorCompactsOnItsOwn() throws InterruptedException {
        write("/a");
        write("/b");
        CompactorProperties immediate = new CompactorProperties(true, Duration.ofMillis(20), Duration.ZERO);
        try (Compactor compactor = new Compactor(store, immediate)) {
            compactor.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.compactedRevision() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        }
        assertThat(store.compactedRevision()).isEqualTo(2);
    }

    private void write(String key) {
        store.create(key, key.getBytes(StandardCharsets.UTF_8));
    }
}
