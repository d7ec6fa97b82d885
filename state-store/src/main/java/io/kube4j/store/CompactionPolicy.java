package io.kube4j.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which revision to compact so that at least {@code retention} of history stays readable, as
 * kube-apiserver keeps its compaction window: the compactor samples the store's revision at each
 * round, and compacts to the newest sample taken at least {@code retention} ago. Everything
 * written since that sample stays watchable, so clients that resume within the window miss
 * nothing. Pure: the caller takes the samples and applies the decision.
 */
public record CompactionPolicy(Duration retention) {

    public CompactionPolicy {
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be zero or positive: " + retention);
        }
    }

    /** The store's revision at an instant. */
    public record Sample(Instant at, long revision) {}

    /**
     * @param compactTo the revision to compact to, if any
     * @param keep      the samples the next round needs (oldest first)
     */
    public record Decision(OptionalLong compactTo, List<Sample> keep) {}

    /**
     * @param samples          revisions sampled so far, oldest first, the newest taken at {@code now}
     * @param now              the current time
     * @param alreadyCompacted the newest revision known to be compacted; nothing at or below it is compacted again
     */
    public Decision decide(List<Sample> samples, Instant now, long alreadyCompacted) {
        Instant cutoff = now.minus(retention);
        int chosen = -1;
        for (int i = 0; i < samples.size(); i++) {
            if (!samples.get(i).at().isAfter(cutoff)) chosen = i;
        }
        if (chosen < 0) return new Decision(OptionalLong.empty(), List.copyOf(samples));
        // samples up to the chosen one are older than any the next round may choose
        List<Sample> keep = List.copyOf(samples.subList(chosen + 1, samples.size()));
        long revision = samples.get(chosen).revision();
        return revision > alreadyCompacted
                ? new Decision(OptionalLong.of(revision), keep)
                : new Decision(OptionalLong.empty(), keep);
    }
}
