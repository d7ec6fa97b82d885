package io.kube4j.scheduler.config;

import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.plugins.PluginRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.requesting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KubeSchedulerConfiguration files turned into profiles. */
class ProfileFactoryTest {

    private static final ProfileFactory FACTORY = new ProfileFactory(new PluginRegistry(), List.of());

    private static Map<String, Long> weights(Framework f) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < f.scorePlugins().size(); i++) out.put(f.scorePlugins().get(i).name(), f.scoreWeight(i));
        return out;
    }

    private static List<String> filters(Framework f) {
        return f.filterPlugins().stream().map(Plugin::name).toList();
    }

    @Test
    void defaultsAreKubeSchedulers() {
        Framework f = FACTORY.build(SchedulerConfiguration.defaults()).get("default-scheduler");
        assertThat(filters(f)).containsExactly("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
                "NodePorts", "NodeResourcesFit", "VolumeBinding", "PodTopologySpread", "InterPodAffinity");
        assertThat(weights(f)).containsExactly(Map.entry("TaintToleration", 3L), Map.entry("NodeAffinity", 2L),
                Map.entry("NodeResourcesFit", 1L), Map.entry("PodTopologySpread", 2L), Map.entry("InterPodAffinity", 2L),
                Map.entry("NodeResourcesBalancedAllocation", 1L), Map.entry("ImageLocality", 1L));
        assertThat(f.percentageOfNodesToScore()).isNull();
    }

    @Test
    void profilesWithPluginSetsWeightsAndArgs(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("scheduler.yaml");
        Files.writeString(file, """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                percentageOfNodesToScore: 30
                profiles:
                  - schedulerName: default-scheduler
                  - schedulerName: bin-packer
                    percentageOfNodesToScore: 70
                    plugins:
                      score:
                        disabled:
                          - name: NodeResourcesBalancedAllocation
                          - name: ImageLocality
                        enabled:
                          - name: NodeResourcesFit
                            weight: 5
                      filter:
                        disabled:
                          - name: NodePorts
                    pluginConfig:
                      - name: NodeResourcesFit
                        args:
                          scoringStrategy:
                            type: MostAllocated
                            resources:
                              - name: cpu
                                weight: 1
                  - schedulerName: no-scores
                    plugins:
                      score:
                        disabled:
                          - name: "*"
                """);
        SchedulerConfiguration config = SchedulerConfiguration.load(file);
        assertThat(config.percentageOfNodesToScore()).isEqualTo(30);
        Map<String, Framework> profiles = FACTORY.build(config);
        assertThat(profiles).containsOnlyKeys("default-scheduler", "bin-packer", "no-scores");

        Framework packer = profiles.get("bin-packer");
        assertThat(packer.percentageOfNodesToScore()).isEqualTo(70);
        assertThat(filters(packer)).doesNotContain("NodePorts").contains("NodeResourcesFit");
        assertThat(weights(packer)).containsEntry("NodeResourcesFit", 5L)
                .doesNotContainKeys("NodeResourcesBalancedAllocation", "ImageLocality");
        // MostAllocated: the fuller node scores higher.
        ScorePlugin fit = packer.scorePlugins().stream().filter(p -> p.name().equals("NodeResourcesFit")).findFirst().orElseThrow();
        var pod = io.kube4j.scheduler.framework.PodInfo.of(requesting("p", "1", "1Gi").build());
        long empty = fit.score(null, pod, nodeInfo(node("a", "4", "8Gi", 110).build()));
        long busy = fit.score(null, pod, nodeInfo(node("b", "4", "8Gi", 110).build(), requesting("x", "2", "1Gi").build()));
        assertThat(busy).isGreaterThan(empty);

        assertThat(profiles.get("no-scores").hasScorePlugins()).isFalse();
        assertThat(profiles.get("no-scores").filterPlugins()).allMatch(p -> p instanceof FilterPlugin).hasSize(9);
    }

    @Test
    void malformedConfigurationsSayWhy() {
        assertThatThrownBy(() -> SchedulerConfiguration.parse("apiVersion: v1\nkind: ConfigMap\n"))
                .hasMessageContaining("KubeSchedulerConfiguration");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                percentageOfNodesToScore: 140
                """)).hasMessageContaining("percentageOfNodesToScore: must be in the range [0, 100]");
        assertThatThrownBy(() -> FACTORY.build(SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                  - schedulerName: x
                    plugins:
                      filter:
                        enabled:
                          - name: NoSuchPlugin
                """))).hasMessageContaining("unknown plugin \"NoSuchPlugin\"");
        assertThatThrownBy(() -> FACTORY.build(SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                  - pluginConfig:
                      - name: NodeResourcesFit
                        args:
                          scoringStrategy:
                            type: RequestedToCapacityRatio
                """))).hasMessageContaining("RequestedToCapacityRatio");
    }
}
