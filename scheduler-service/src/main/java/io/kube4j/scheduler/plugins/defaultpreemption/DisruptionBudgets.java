package io.kube4j.scheduler.plugins.defaultpreemption;

import java.util.List;
import java.util.function.Supplier;

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

    /** Reads {@code budgets} on the first call only, then answers the same list: one preemption attempt's view. Not thread-safe. */
    static Supplier<List<DisruptionBudget>> readOnce(DisruptionBudgets budgets) {
        return new Supplier<>() {
            private List<DisruptionBudget> read;

            @Override
            public List<DisruptionBudget> get() {
                if (read == null) read = List.copyOf(budgets.all());
                return read;
            }
        };
    }
}
