package io.kube4j.scheduler.plugins.defaultpreemption;

import java.util.List;

/**
 * The cluster's PodDisruptionBudgets, read when preemption has victims to weigh (rarely: once per
 * preemption attempt that finds lower-priority pods). Implementations are thread-safe; a failure to
 * read them is an exception, and the preemptor is then retried after backoff.
 */
@FunctionalInterface
public interface DisruptionBudgets {

    /** No budgets: every victim is free to go. For benchmarks and tests that do not weigh budgets. */
    DisruptionBudgets NONE = List::of;

    List<DisruptionBudget> all();
}
