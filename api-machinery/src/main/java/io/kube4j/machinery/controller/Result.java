package io.kube4j.machinery.controller;

import java.time.Duration;

/**
 * What a reconcile asks for next.
 *
 * @param requeueAfter reconcile the key again after this long (e.g. minReadySeconds, a deadline); null for no timed retry
 */
public record Result(Duration requeueAfter) {

    public static final Result DONE = new Result(null);

    public static Result requeueAfter(Duration delay) {
        return new Result(delay);
    }

    /** The earlier of two requests: what a reconcile with several pending timers returns. */
    public Result merge(Result other) {
        if (other == null || other.requeueAfter == null) return this;
        if (requeueAfter == null || other.requeueAfter.compareTo(requeueAfter) < 0) return other;
        return this;
    }
}
