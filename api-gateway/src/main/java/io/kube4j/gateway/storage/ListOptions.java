package io.kube4j.gateway.storage;

import tools.jackson.databind.node.ObjectNode;

import java.util.function.Predicate;

/**
 * A list request's options.
 *
 * @param filter          which objects to return (label and field selectors); never null
 * @param filtered        whether {@code filter} can reject anything (then no remaining count is given)
 * @param limit           page size, 0 for everything
 * @param continueToken   the {@code continue} token of the previous page, or null
 * @param resourceVersion the requested resourceVersion, or null/empty for the latest
 */
public record ListOptions(Predicate<ObjectNode> filter, boolean filtered, long limit, String continueToken,
                          String resourceVersion) {

    public static ListOptions all() {
        return new ListOptions(o -> true, false, 0, null, null);
    }
}
