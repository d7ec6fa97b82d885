package io.kube4j.scheduler.plugins;

import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.plugins.imagelocality.ImageLocality;
import io.kube4j.scheduler.plugins.interpodaffinity.InterPodAffinity;
import io.kube4j.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.kube4j.scheduler.plugins.nodename.NodeName;
import io.kube4j.scheduler.plugins.nodeports.NodePorts;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesBalancedAllocation;
import io.kube4j.scheduler.plugins.noderesources.NodeResourcesFit;
import io.kube4j.scheduler.plugins.noderesources.ResourceSpec;
import io.kube4j.scheduler.plugins.noderesources.ScoringStrategy;
import io.kube4j.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import io.kube4j.scheduler.plugins.podtopologyspread.PodTopologySpread;
import io.kube4j.scheduler.plugins.tainttoleration.TaintToleration;
import io.kube4j.scheduler.plugins.volumebinding.VolumeBinding;
import io.kube4j.scheduler.plugins.volumebinding.VolumeObjects;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The built-in plugins by name, each built from its {@code pluginConfig} arguments (a JSON tree, null when
 * unset), and kube-scheduler's default sets: the filters in the order it runs them, the scores with their
 * default weights.
 */
public final class PluginRegistry {

    /** Filters (with their PreFilters) in kube-scheduler's default order. */
    public static final List<String> DEFAULT_FILTERS = List.of(NodeUnschedulable.NAME, NodeName.NAME,
            TaintToleration.NAME, NodeAffinity.NAME, NodePorts.NAME, NodeResourcesFit.NAME, VolumeBinding.NAME, PodTopologySpread.NAME,
            InterPodAffinity.NAME);

    /** Scores (with their PreScores) and kube-scheduler's default weights. */
    public static final Map<String, Integer> DEFAULT_SCORES;

    static {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(TaintToleration.NAME, 3);
        m.put(NodeAffinity.NAME, 2);
        m.put(NodeResourcesFit.NAME, 1);
        m.put(PodTopologySpread.NAME, 2);
        m.put(InterPodAffinity.NAME, 2);
        m.put(NodeResourcesBalancedAllocation.NAME, 1);
        m.put(ImageLocality.NAME, 1);
        DEFAULT_SCORES = java.util.Collections.unmodifiableMap(m);
    }

    private final Map<String, Function<JsonNode, Plugin>> factories = new LinkedHashMap<>();

    /** The registry of the built-in plugins. */
    public PluginRegistry() {
        factories.put(NodeUnschedulable.NAME, a -> new NodeUnschedulable());
        factories.put(NodeName.NAME, a -> new NodeName());
        factories.put(TaintToleration.NAME, a -> new TaintToleration());
        factories.put(NodeAffinity.NAME, a -> new NodeAffinity());
        factories.put(NodePorts.NAME, a -> new NodePorts());
        factories.put(NodeResourcesFit.NAME, a -> new NodeResourcesFit(fitArgs(a)));
        factories.put(NodeResourcesBalancedAllocation.NAME, a -> new NodeResourcesBalancedAllocation(
                a == null || a.get("resources") == null ? ResourceSpec.DEFAULTS : resources(a.get("resources"))));
        factories.put(PodTopologySpread.NAME, a -> new PodTopologySpread());
        factories.put(InterPodAffinity.NAME, a -> new InterPodAffinity(
                a == null || a.get("hardPodAffinityWeight") == null ? 1 : a.get("hardPodAffinityWeight").asLong()));
        factories.put(ImageLocality.NAME, a -> new ImageLocality());
        // Without a view of the claims it skips every pod; the service registers one that reads the gateway.
        factories.put(VolumeBinding.NAME, a -> new VolumeBinding(VolumeObjects.NONE));
    }

    /** Adds (or replaces) a plugin, e.g. a binder that needs a client. */
    public PluginRegistry register(String name, Function<JsonNode, Plugin> factory) {
        factories.put(name, factory);
        return this;
    }

    public boolean contains(String name) {
        return factories.containsKey(name);
    }

    /**
     * Builds the named plugin.
     *
     * @throws IllegalArgumentException for an unknown name or malformed arguments
     */
    public Plugin create(String name, JsonNode args) {
        Function<JsonNode, Plugin> f = factories.get(name);
        if (f == null) throw new IllegalArgumentException("unknown plugin \"" + name + "\"; known: " + factories.keySet());
        return f.apply(args);
    }

    static NodeResourcesFit.Args fitArgs(JsonNode a) {
        if (a == null) return NodeResourcesFit.Args.DEFAULTS;
        ScoringStrategy strategy = ScoringStrategy.LeastAllocated;
        List<ResourceSpec> resources = ResourceSpec.DEFAULTS;
        JsonNode s = a.get("scoringStrategy");
        if (s != null) {
            if (s.get("type") != null) {
                String type = s.get("type").asString();
                try {
                    strategy = ScoringStrategy.valueOf(type);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("NodeResourcesFit: scoringStrategy.type \"" + type
                            + "\" is not supported; use LeastAllocated or MostAllocated");
                }
            }
            if (s.get("resources") != null) resources = resources(s.get("resources"));
        }
        return new NodeResourcesFit.Args(strategy, resources, strings(a.get("ignoredResources")),
                strings(a.get("ignoredResourceGroups")));
    }

    private static List<ResourceSpec> resources(JsonNode list) {
        List<ResourceSpec> out = new ArrayList<>();
        for (JsonNode r : list) {
            long weight = r.get("weight") == null ? 1 : r.get("weight").asLong();
            out.add(new ResourceSpec(r.get("name").asString(), weight == 0 ? 1 : weight));
        }
        return out;
    }

    private static Set<String> strings(JsonNode list) {
        Set<String> out = new HashSet<>();
        if (list != null) for (JsonNode n : list) out.add(n.asString());
        return out;
    }
}
