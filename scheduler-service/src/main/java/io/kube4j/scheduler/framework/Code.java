package io.kube4j.scheduler.framework;

/** The outcome kinds of a plugin call, as kube-scheduler's framework distinguishes them. */
public enum Code {
    /** The plugin accepts. */
    SUCCESS,
    /** An internal error: the pod is retried with backoff, and the cycle stops. */
    ERROR,
    /** The node does not fit now; preemption might make it fit. */
    UNSCHEDULABLE,
    /** The node does not fit and preemption on it would not help (labels, taints, names). */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** The plugin has nothing to do for this pod: its later extension points are skipped for this cycle. */
    SKIP;

    public boolean isRejection() {
        return this == UNSCHEDULABLE || this == UNSCHEDULABLE_AND_UNRESOLVABLE;
    }
}
