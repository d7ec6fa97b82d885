package io.kube4j.controller.job;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The completion indexes of an Indexed Job: read off pods ({@value #ANNOTATION}), written as
 * {@code status.completedIndexes} in kube's interval form ({@code "0-2,5,7-8"}), and the lowest
 * indexes still to run. Pure functions.
 */
public final class CompletionIndexes {

    /** The annotation (and, since 1.28, label) carrying a pod's index. */
    public static final String ANNOTATION = "batch.kubernetes.io/job-completion-index";
    /** The environment variable every container of an indexed pod sees its index in. */
    public static final String ENV = "JOB_COMPLETION_INDEX";

    private CompletionIndexes() {}

    /** The pod's completion index, or -1 when it has none or it is not a number below {@code completions}. */
    public static int of(Pod pod, int completions) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        if (value == null && pod.getMetadata().getLabels() != null) value = pod.getMetadata().getLabels().get(ANNOTATION);
        if (value == null || !value.matches("[0-9]{1,9}")) return -1;
        int index = Integer.parseInt(value);
        return index < completions ? index : -1;
    }

    /** {@code "1,3-5"} for indexes 1, 3, 4 and 5; empty for none. */
    public static String format(BitSet indexes) {
        StringBuilder out = new StringBuilder();
        for (int first = indexes.nextSetBit(0); first >= 0; ) {
            int last = indexes.nextClearBit(first) - 1;
            if (!out.isEmpty()) out.append(',');
            out.append(first);
            if (last > first) out.append('-').append(last);
            first = indexes.nextSetBit(last + 1);
        }
        return out.toString();
    }

    /** The indexes {@link #format} wrote, those below {@code completions}; unreadable parts are skipped. */
    public static BitSet parse(String text, int completions) {
        BitSet indexes = new BitSet();
        if (text == null || text.isEmpty()) return indexes;
        for (String part : text.split(",")) {
            String[] bounds = part.split("-");
            try {
                int first = Integer.parseInt(bounds[0].strip());
                int last = bounds.length > 1 ? Integer.parseInt(bounds[1].strip()) : first;
                if (first >= 0 && last >= first) indexes.set(first, Math.min(last, completions - 1) + 1);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // an interval someone else wrote badly counts as nothing
            }
        }
        return indexes;
    }

    /** The lowest {@code count} indexes below {@code completions} neither completed nor in {@code running}. */
    public static List<Integer> pending(BitSet completed, Collection<Integer> running, int completions, int count) {
        BitSet taken = (BitSet) completed.clone();
        running.forEach(i -> { if (i >= 0) taken.set(i); });
        List<Integer> pending = new ArrayList<>();
        for (int i = taken.nextClearBit(0); i < completions && pending.size() < count; i = taken.nextClearBit(i + 1)) pending.add(i);
        return pending;
    }
}
