package io.kube4j.scheduler.config;

import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.plugins.PluginRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link SchedulerConfiguration} into one {@link Framework} per profile, as kube-scheduler merges a
 * profile's plugin sets over its defaults: the defaults stay unless disabled (by name or {@code *}) at their
 * extension point or at {@code multiPoint}; enabled plugins are appended; a score plugin's configured weight
 * replaces its default one (0 means the default, 1 for a plugin without one).
 */
public final class ProfileFactory {

    private final PluginRegistry registry;
    private final List<String> defaultBinders;
    private final List<String> defaultPostFilters;

    /**
     * @param registry       the plugins known by name
     * @param defaultBinders the Bind plugins every profile has unless disabled (e.g. the gateway binder)
     */
    public ProfileFactory(PluginRegistry registry, List<String> defaultBinders) {
        this(registry, defaultBinders, List.of());
    }

    /**
     * @param defaultPostFilters the PostFilter plugins every profile has unless disabled (DefaultPreemption, which
     *                           needs the gateway, so the service registers it)
     */
    public ProfileFactory(PluginRegistry registry, List<String> defaultBinders, List<String> defaultPostFilters) {
        this.registry = registry;
        this.defaultBinders = List.copyOf(defaultBinders);
        this.defaultPostFilters = List.copyOf(defaultPostFilters);
    }

    /** The frameworks by schedulerName, in the configuration's order. */
    public Map<String, Framework> build(SchedulerConfiguration config) {
        Map<String, Framework> out = new LinkedHashMap<>();
        for (SchedulerConfiguration.Profile p : config.profiles()) out.put(p.schedulerName(), build(p));
        return out;
    }

    public Framework build(SchedulerConfiguration.Profile profile) {
        SchedulerConfiguration.Plugins plugins = profile.plugins();
        SchedulerConfiguration.PluginSet multi = plugins.at("multiPoint");
        Map<String, Plugin> instances = new HashMap<>();
        java.util.function.Function<String, Plugin> instance = name -> instances.computeIfAbsent(name,
                n -> registry.create(n, profile.pluginConfig().get(n)));

        List<String> filters = merge(PluginRegistry.DEFAULT_FILTERS, plugins.at("filter"), multi);
        Map<String, Integer> scores = new LinkedHashMap<>();
        SchedulerConfiguration.PluginSet scoreSet = plugins.at("score");
        for (Map.Entry<String, Integer> e : PluginRegistry.DEFAULT_SCORES.entrySet()) {
            if (!scoreSet.disables(e.getKey()) && !multi.disables(e.getKey())) scores.put(e.getKey(), e.getValue());
        }
        for (SchedulerConfiguration.PluginSet set : List.of(multi, scoreSet)) {
            for (SchedulerConfiguration.PluginRef r : set.enabled()) {
                if (set == multi && !(instance.apply(r.name()) instanceof io.kube4j.scheduler.framework.ScorePlugin)) continue;
                int weight = r.weight() != 0 ? r.weight() : PluginRegistry.DEFAULT_SCORES.getOrDefault(r.name(), 1);
                scores.put(r.name(), weight);
            }
        }
        for (SchedulerConfiguration.PluginRef r : multi.enabled()) {
            Plugin p = instance.apply(r.name());
            if (p instanceof io.kube4j.scheduler.framework.FilterPlugin && !filters.contains(r.name())) filters.add(r.name());
        }
        List<String> binders = merge(defaultBinders, plugins.at("bind"), multi);
        List<String> preFilterOff = plugins.at("preFilter").disabled().stream().map(SchedulerConfiguration.PluginRef::name).toList();
        List<String> preScoreOff = plugins.at("preScore").disabled().stream().map(SchedulerConfiguration.PluginRef::name).toList();
        List<String> postFilters = merge(defaultPostFilters, plugins.at("postFilter"), multi);
        List<String> reserves = merge(List.of(), plugins.at("reserve"), multi);

        Framework.Builder b = Framework.builder(profile.schedulerName())
                .percentageOfNodesToScore(profile.percentageOfNodesToScore());
        for (String name : filters) {
            Plugin p = instance.apply(name);
            if (p instanceof io.kube4j.scheduler.framework.PreFilterPlugin pf
                    && !preFilterOff.contains(name) && !preFilterOff.contains("*")) b.preFilter(pf);
            if (p instanceof io.kube4j.scheduler.framework.FilterPlugin f) b.filter(f);
            else throw new IllegalArgumentException("plugin " + name + " has no Filter extension point");
        }
        for (Map.Entry<String, Integer> e : scores.entrySet()) {
            Plugin p = instance.apply(e.getKey());
            if (p instanceof io.kube4j.scheduler.framework.PreScorePlugin ps
                    && !preScoreOff.contains(e.getKey()) && !preScoreOff.contains("*")) b.preScore(ps);
            if (p instanceof io.kube4j.scheduler.framework.ScorePlugin s) b.score(s, e.getValue());
            else throw new IllegalArgumentException("plugin " + e.getKey() + " has no Score extension point");
        }
        for (String name : postFilters) {
            if (instance.apply(name) instanceof io.kube4j.scheduler.framework.PostFilterPlugin p) b.postFilter(p);
        }
        for (String name : reserves) {
            if (instance.apply(name) instanceof io.kube4j.scheduler.framework.ReservePlugin p) b.reserve(p);
        }
        for (String name : binders) {
            if (instance.apply(name) instanceof io.kube4j.scheduler.framework.BindPlugin p) b.bind(p);
            else throw new IllegalArgumentException("plugin " + name + " has no Bind extension point");
        }
        return b.build();
    }

    private static List<String> merge(List<String> defaults, SchedulerConfiguration.PluginSet set,
                                      SchedulerConfiguration.PluginSet multi) {
        List<String> out = new ArrayList<>();
        for (String d : defaults) if (!set.disables(d) && !multi.disables(d)) out.add(d);
        for (SchedulerConfiguration.PluginRef r : set.enabled()) if (!out.contains(r.name())) out.add(r.name());
        return out;
    }
}
