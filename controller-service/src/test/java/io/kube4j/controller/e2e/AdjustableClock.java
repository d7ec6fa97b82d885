package io.kube4j.controller.e2e;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock (UTC) plus an offset that a test moves forward, never back: a controller that
 * reads it reaches a scheduled time when the test says so instead of when the wall clock does.
 * Thread-safe.
 */
final class AdjustableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves this clock {@code by} ahead of where it would be. */
    synchronized void advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("a clock the controllers read only moves forward");
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        AdjustableClock adjustable = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return adjustable.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return adjustable.withZone(other);
            }
        };
    }
}
