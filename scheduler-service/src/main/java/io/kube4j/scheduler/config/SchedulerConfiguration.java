package io.kube4j.scheduler.config;

import io.kube4j.machinery.object.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code KubeSchedulerConfiguration} ({@code kubescheduler.config.k8s.io/v1}): the fields this scheduler reads.
 *
 * @param percentageOfNodesToScore the scheduler-wide percentage; 0 is adaptive
 * @param parallelism              threads for Filter and Score (kube-scheduler's default 16)
 * @param profiles                 the profiles, by schedulerName
 */
public record SchedulerConfiguration(int percentageOfNodesToScore, int parallelism, List<Profile> profiles) {

    public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    /** The configuration with one profile, {@code default-scheduler}, and kube-scheduler's defaults. */
    public static SchedulerConfiguration defaults() {
        return new SchedulerConfiguration(0, 16, List.of(new Profile(DEFAULT_SCHEDULER_NAME, null, Plugins.NONE, Map.of())));
    }

    /**
     * One profile.
     *
     * @param schedulerName            the {@code spec.schedulerName} of the pods it schedules
     * @param percentageOfNodesToScore its own percentage, or null for the scheduler-wide one
     * @param plugins                  changes to the default plugin sets
     * @param pluginConfig             arguments by plugin name
     */
    public record Profile(String schedulerName, Integer percentageOfNodesToScore, Plugins plugins,
                          Map<String, JsonNode> pluginConfig) {
    }

    /** A plugin named at an extension point, with a weight (score only; 0 when unset). */
    public record PluginRef(String name, int weight) {
    }

    /** Plugins enabled and disabled at one extension point; {@code *} disabled turns every default off. */
    public record PluginSet(List<PluginRef> enabled, List<PluginRef> disabled) {
        public static final PluginSet EMPTY = new PluginSet(List.of(), List.of());

        public boolean disables(String name) {
            return disabled.stream().anyMatch(p -> p.name().equals("*") || p.name().equals(name));
        }
    }

    /** The plugin sets by extension point: multiPoint, preFilter, filter, postFilter, preScore, score, reserve, bind. */
    public record Plugins(Map<String, PluginSet> byExtensionPoint) {
        public static final Plugins NONE = new Plugins(Map.of());

        public PluginSet at(String extensionPoint) {
            return byExtensionPoint.getOrDefault(extensionPoint, PluginSet.EMPTY);
        }
    }

    /** Reads the YAML (or JSON) file. */
    public static SchedulerConfiguration load(Path path) throws IOException {
        return parse(Files.readString(path));
    }

    /**
     * Parses a configuration document.
     *
     * @throws IllegalArgumentException when it is not a KubeSchedulerConfiguration of {@value #API_VERSION} or is
     *                                  malformed, with the field at fault
     */
    public static SchedulerConfiguration parse(String yaml) {
        JsonNode root = Json.YAML.readTree(yaml);
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the scheduler configuration must be an object");
        String kind = text(root, "kind");
        String apiVersion = text(root, "apiVersion");
        if (!"KubeSchedulerConfiguration".equals(kind) || !API_VERSION.equals(apiVersion)) {
            throw new IllegalArgumentException("expected kind KubeSchedulerConfiguration of " + API_VERSION
                    + ", got " + kind + " of " + apiVersion);
        }
        int percentage = root.has("percentageOfNodesToScore") ? root.get("percentageOfNodesToScore").asInt() : 0;
        checkPercentage(percentage, "percentageOfNodesToScore");
        int parallelism = root.has("parallelism") ? root.get("parallelism").asInt() : 16;
        if (parallelism <= 0) throw new IllegalArgumentException("parallelism: must be greater than 0");
        List<Profile> profiles = new ArrayList<>();
        JsonNode list = root.get("profiles");
        if (list == null || list.isEmpty()) {
            profiles.addAll(defaults().profiles());
        } else {
            int i = 0;
            for (JsonNode p : list) profiles.add(profile(p, "profiles[" + i++ + "]"));
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Profile p : profiles) {
            if (!names.add(p.schedulerName())) throw new IllegalArgumentException("profiles: duplicate schedulerName " + p.schedulerName());
        }
        return new SchedulerConfiguration(percentage, parallelism, List.copyOf(profiles));
    }

    private static Profile profile(JsonNode p, String field) {
        String name = p.has("schedulerName") ? p.get("schedulerName").asString() : DEFAULT_SCHEDULER_NAME;
        Integer percentage = p.has("percentageOfNodesToScore") && !p.get("percentageOfNodesToScore").isNull()
                ? p.get("percentageOfNodesToScore").asInt() : null;
        if (percentage != null) checkPercentage(percentage, field + ".percentageOfNodesToScore");
        Map<String, PluginSet> sets = new LinkedHashMap<>();
        JsonNode plugins = p.get("plugins");
        if (plugins != null && plugins.isObject()) {
            for (Map.Entry<String, JsonNode> e : plugins.properties()) {
                sets.put(e.getKey(), new PluginSet(refs(e.getValue().get("enabled")), refs(e.getValue().get("disabled"))));
            }
        }
        Map<String, JsonNode> config = new LinkedHashMap<>();
        JsonNode pc = p.get("pluginConfig");
        if (pc != null) {
            for (JsonNode c : pc) config.put(c.get("name").asString(), c.get("args"));
        }
        return new Profile(name, percentage, new Plugins(sets), config);
    }

    private static List<PluginRef> refs(JsonNode list) {
        List<PluginRef> out = new ArrayList<>();
        if (list == null) return out;
        for (JsonNode r : list) {
            out.add(new PluginRef(r.get("name").asString(), r.has("weight") ? r.get("weight").asInt() : 0));
        }
        return out;
    }

    private static void checkPercentage(int p, String field) {
        if (p < 0 || p > 100) throw new IllegalArgumentException(field + ": must be in the range [0, 100], got " + p);
    }

    private static String text(JsonNode n, String field) {
        return n.has(field) ? n.get(field).asString() : null;
    }
}
