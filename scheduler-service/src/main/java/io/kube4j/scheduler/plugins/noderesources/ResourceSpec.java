package io.kube4j.scheduler.plugins.noderesources;

import java.util.List;

/** A resource a scoring strategy weighs, and its weight. */
public record ResourceSpec(String name, long weight) {

    /** cpu and memory, weight 1 each: kube-scheduler's default. */
    public static final List<ResourceSpec> DEFAULTS = List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1));
}
