package io.kube4j.scheduler.plugins.imagelocality;

import io.kube4j.scheduler.framework.ClusterView;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Score: nodes that already hold the pod's images score higher, by their size scaled by how widely the image is
 * spread (so an image present everywhere does not pull pods together), between 23 MiB and 1000 MiB per container.
 */
public final class ImageLocality implements PreScorePlugin, ScorePlugin {

    public static final String NAME = "ImageLocality";
    private static final long MB = 1024L * 1024;
    static final long MIN_THRESHOLD = 23 * MB;
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;
    private static final String STATE_KEY = "PreScore" + NAME;

    private record Images(List<String> names, Map<String, Integer> nodesWithImage, int totalNodes) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes, ClusterView cluster) {
        List<String> names = pod.images().stream().map(NodeInfo::normalizedImage).toList();
        if (names.isEmpty()) return Status.SKIP;
        Map<String, Integer> counts = new HashMap<>();
        for (NodeInfo n : cluster.nodes()) {
            if (n.imageSizes().isEmpty()) continue;
            for (String image : names) if (n.imageSizes().containsKey(image)) counts.merge(image, 1, Integer::sum);
        }
        state.write(STATE_KEY, new Images(names, counts, cluster.nodes().size()));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Images images = state.read(STATE_KEY);
        long sum = 0;
        for (String image : images.names()) {
            Long size = node.imageSizes().get(image);
            if (size == null) continue;
            double spread = (double) images.nodesWithImage().getOrDefault(image, 0) / images.totalNodes();
            sum += (long) (size * spread);
        }
        long max = MAX_CONTAINER_THRESHOLD * images.names().size();
        sum = Math.max(MIN_THRESHOLD, Math.min(max, sum));
        return MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
    }
}
