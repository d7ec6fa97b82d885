package io.kube4j.gateway.admission.allocation;

/** The outcome of asking a {@link RangeAllocator} for a value: allocated, or refused with a reason. */
public sealed interface Allocation {

    /** The value now belongs to the owner (or, on a dry run, was free and would have). */
    record Allocated(String value) implements Allocation {}

    /**
     * Refused; {@code message} is kube-apiserver's text, e.g. {@code provided port is already allocated}.
     */
    record Refused(Reason reason, String message) implements Allocation {}

    enum Reason { ALREADY_ALLOCATED, NOT_IN_RANGE, FULL }
}
