package io.kube4j.gateway.admission.allocation;

import java.util.OptionalLong;

/**
 * A finite ordered set of values that are handed out one per owner (service IPs, node ports),
 * addressed by offset {@code 0 .. size()-1}. Pure and immutable.
 */
public interface AllocationRange {

    long size();

    /** The value at {@code offset}, in its canonical text form. */
    String valueAt(long offset);

    /** The offset of a value of this range, or empty when the value is outside it or malformed. */
    OptionalLong offsetOf(String value);

    /** Whether the value at {@code offset} is kept out of automatic allocation (it may still be requested). */
    default boolean reserved(long offset) {
        return false;
    }

    /** The range as users configure it, e.g. {@code 10.96.0.0/12} or {@code 30000-32767}. */
    String describe();
}
