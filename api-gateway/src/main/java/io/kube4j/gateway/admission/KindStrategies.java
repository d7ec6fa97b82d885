package io.kube4j.gateway.admission;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The strategy of each kind; kinds without one get a strategy that changes and refuses nothing. */
public final class KindStrategies {

    private static final KindStrategy NONE = new KindStrategy() {
        @Override public String group() { return ""; }
        @Override public String kind() { return ""; }
    };

    private final Map<String, KindStrategy> byKind = new HashMap<>();

    public KindStrategies(List<KindStrategy> strategies) {
        strategies.forEach(s -> byKind.put(s.group() + "/" + s.kind(), s));
    }

    public KindStrategy forKind(String group, String kind) {
        return byKind.getOrDefault(group + "/" + kind, NONE);
    }
}
