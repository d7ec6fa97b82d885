package io.kube4j.controller.pods;

import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.selection.LabelSelector;

import java.util.Map;

/** Label selectors of workload specs, in the shared library's form. */
public final class Selectors {

    private Selectors() {}

    /**
     * The selector a spec's {@code selector} stands for: none selects nothing, an empty one everything
     * (workload controllers refuse to act on the latter, as kube's do).
     */
    public static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) return LabelSelector.nothing();
        return LabelSelector.fromJson(Json.MAPPER.valueToTree(selector));
    }

    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        return selector.matches(labels == null ? Map.of() : labels);
    }
}
