package io.kube4j.scheduler.framework;

import java.util.List;

/**
 * Runs once per pod before Score, with the nodes that passed the filters: precomputes what Score needs for every
 * node. Called from the scheduling thread only; {@link Code#SKIP} means this plugin's Score is not called.
 */
public interface PreScorePlugin extends Plugin {

    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster);
}
