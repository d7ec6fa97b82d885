package io.kube4j.machinery.events;

/**
 * A token bucket: {@code qps} tokens a second, at most {@code burst} saved up. Pure arithmetic on the
 * times it is given (monotonic nanoseconds), so tests drive it with a fake clock.
 *
 * <p>Not thread-safe: one caller (a writer thread) owns it.
 */
public final class TokenBucket {

    private final double qps;
    private final double burst;
    private double tokens;
    private long lastNanos;

    /**
     * @param qps      tokens a second (greater than 0)
     * @param burst    tokens saved up at most, and the bucket starts full (at least 1)
     * @param nowNanos the current time
     */
    public TokenBucket(double qps, int burst, long nowNanos) {
        if (!(qps > 0)) throw new IllegalArgumentException("qps must be positive: " + qps);
        this.qps = qps;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.lastNanos = nowNanos;
    }

    /**
     * Takes a token if one is there at {@code nowNanos}.
     *
     * @return 0 when a token was taken, else the nanoseconds until one will be (nothing is taken)
     */
    public long tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - lastNanos) / 1e9 * qps);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / qps * 1e9));
    }
}
