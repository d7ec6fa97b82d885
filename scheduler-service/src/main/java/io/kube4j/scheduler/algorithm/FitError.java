package io.kube4j.scheduler.algorithm;

import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why no node fits a pod: each filtered node's rejection, and the messages of a failed PreFilter or PostFilter.
 * {@link #message()} is the FailedScheduling summary kube-scheduler writes, e.g.
 * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.}
 *
 * @param numAllNodes          the number of nodes in the cluster
 * @param nodeStatuses         the rejection of each node that was filtered, by node name
 * @param unschedulablePlugins the plugins that rejected some node: the cluster events that can help this pod are
 *                             the ones these plugins care about
 * @param preFilterMessage     the message of a rejecting PreFilter, or null
 * @param postFilterMessage    the message of a PostFilter that could not help, or null
 */
public record FitError(int numAllNodes, Map<String, Status> nodeStatuses, Set<String> unschedulablePlugins,
                       String preFilterMessage, String postFilterMessage) {

    /** The summary: counts of each reason, sorted as strings (so {@code 10 …} sorts before {@code 2 …}). */
    public String message() {
        StringBuilder sb = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
        if (preFilterMessage != null && !preFilterMessage.isEmpty()) {
            sb.append(' ').append(preFilterMessage).append('.');
        } else {
            Map<String, Integer> counts = new HashMap<>();
            for (Status s : nodeStatuses.values()) {
                for (String reason : s.reasons()) counts.merge(reason, 1, Integer::sum);
            }
            List<String> lines = new ArrayList<>();
            counts.forEach((reason, n) -> lines.add(n + " " + reason));
            lines.sort(null);
            if (!lines.isEmpty()) sb.append(' ').append(String.join(", ", lines)).append('.');
        }
        if (postFilterMessage != null && !postFilterMessage.isEmpty()) {
            sb.append(' ').append(postFilterMessage).append('.');
        }
        return sb.toString();
    }

    public FitError withPostFilterMessage(String message) {
        return new FitError(numAllNodes, nodeStatuses, unschedulablePlugins, preFilterMessage, message);
    }
}
