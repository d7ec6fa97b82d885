package io.kube4j.scheduler.framework;

import java.util.List;

/**
 * Ranks a feasible node for a pod. {@link #score} may run for many nodes in parallel and must only read;
 * {@link #normalizeScores} runs once, on the scheduling thread, over every node's raw score, and must leave each
 * score in {@code [0, }{@link #MAX_NODE_SCORE}{@code ]}. The framework then multiplies by the plugin's weight.
 */
public interface ScorePlugin extends Plugin {

    long MAX_NODE_SCORE = 100;

    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Rescales the raw scores in place (index i belongs to {@code nodes.get(i)}); by default, nothing. */
    default void normalizeScores(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    }

    /**
     * kube-scheduler's {@code DefaultNormalizeScore}: scales to {@code [0, max]} by the highest score; with
     * {@code reverse}, a higher raw score becomes a lower one. All zero: all {@code max} when reversed, else zero.
     */
    static void defaultNormalize(long max, boolean reverse, long[] scores) {
        long highest = 0;
        for (long s : scores) highest = Math.max(highest, s);
        if (highest == 0) {
            if (reverse) java.util.Arrays.fill(scores, max);
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = max * scores[i] / highest;
            scores[i] = reverse ? max - s : s;
        }
    }
}
