package io.kube4j.scheduler.framework;

import java.util.Set;

/**
 * What a PreFilter answers: its status and, optionally, the only nodes worth filtering (null: all of them).
 */
public record PreFilterResult(Status status, Set<String> nodeNames) {

    public static final PreFilterResult SUCCESS = new PreFilterResult(Status.SUCCESS, null);
    public static final PreFilterResult SKIP = new PreFilterResult(Status.SKIP, null);

    public static PreFilterResult of(Status status) {
        return status.isSuccess() ? SUCCESS : new PreFilterResult(status, null);
    }
}
