package io.kube4j.proxy.sync;

import java.time.Duration;

/**
 * When the next sync may run: a token bucket of {@code burst} syncs refilled at one per
 * {@code minInterval}, kube-proxy's BoundedFrequencyRunner rule. Pure arithmetic over the
 * times it is given (nanoseconds from any fixed origin); not thread-safe.
 */
public final class SyncRateLimit {

    private final long intervalNanos;
    private final int burst;
    private double tokens;
    private long lastRefill;

    public SyncRateLimit(Duration minInterval, int burst, long now) {
        this.intervalNanos = Math.max(1, minInterval.toNanos());
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.lastRefill = now;
    }

    /** Nanoseconds from {@code now} until a sync may run; 0 when one may run now. */
    public long delay(long now) {
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * intervalNanos);
    }

    /** Records a sync that started at {@code now}. */
    public void consume(long now) {
        refill(now);
        tokens = Math.max(0, tokens - 1);
    }

    private void refill(long now) {
        if (now > lastRefill) {
            tokens = Math.min(burst, tokens + (double) (now - lastRefill) / intervalNanos);
            lastRefill = now;
        }
    }
}
