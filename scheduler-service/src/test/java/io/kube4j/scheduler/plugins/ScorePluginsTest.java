package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.plugins.imagelocality.ImageLocality;
import io.kube4j.scheduler.plugins.tainttoleration.TaintToleration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static io.kube4j.scheduler.Objects.taint;
import static io.kube4j.scheduler.Objects.toleration;
import static org.assertj.core.api.Assertions.assertThat;

/** TaintToleration's score (PreferNoSchedule) and ImageLocality. */
class ScorePluginsTest {

    private static NodeInfo tainted(String name, io.fabric8.kubernetes.api.model.Taint... taints) {
        return nodeInfo(node(name, "4", "8Gi", 110).editSpec().withTaints(taints).endSpec().build());
    }

    @Test
    void fewerUntoleratedPreferNoScheduleTaintsScoreHigher() {
        List<NodeInfo> nodes = List.of(tainted("a"),
                tainted("b", taint("x", "1", "PreferNoSchedule")),
                tainted("c", taint("x", "1", "PreferNoSchedule"), taint("y", "1", "PreferNoSchedule")),
                tainted("d", taint("z", "1", "NoSchedule")));
        assertThat(PluginHarness.score(new TaintToleration(), pod("p"), nodes)).containsExactly(
                Map.entry("a", 100L), Map.entry("b", 50L), Map.entry("c", 0L), Map.entry("d", 100L));
        Pod tolerant = new PodBuilder(pod("p")).editSpec()
                .withTolerations(toleration("y", "Exists", null, "PreferNoSchedule")).endSpec().build();
        assertThat(PluginHarness.score(new TaintToleration(), tolerant, nodes)).containsExactly(
                Map.entry("a", 100L), Map.entry("b", 0L), Map.entry("c", 0L), Map.entry("d", 100L));
    }

    private static Node withImage(String name, String image, long size) {
        return node(name, "4", "8Gi", 110).editStatus().withImages(new ContainerImageBuilder()
                .withNames(image).withSizeBytes(size).build()).endStatus().build();
    }

    @Test
    void nodesWithTheImageScoreByItsSizeAndSpread() {
        long mb = 1024 * 1024;
        List<NodeInfo> nodes = List.of(
                nodeInfo(withImage("a", "busybox:latest", 500 * mb)),
                nodeInfo(withImage("b", "nginx:1.25", 500 * mb)),
                nodeInfo(node("c")), nodeInfo(node("d")));
        // busybox is on 1 of 4 nodes: 500 MiB × 1/4 = 125 MiB → 100 × (125 - 23) / (1000 - 23) = 10
        assertThat(PluginHarness.score(new ImageLocality(), pod("p"), nodes)).containsExactly(
                Map.entry("a", 10L), Map.entry("b", 0L), Map.entry("c", 0L), Map.entry("d", 0L));
    }
}
