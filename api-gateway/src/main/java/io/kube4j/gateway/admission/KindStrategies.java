package io.kube4j.gateway.admission;

import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link KindStrategy} of each kind, looked up by group and kind. Kinds without a strategy of
 * their own (custom resources, ControllerRevision, ...) get {@link #NONE}, which changes and
 * refuses nothing. Immutable after construction and thread-safe.
 */
@Component
public final class KindStrategies {

    /** The strategy of kinds that have none: no defaults, no validation, no allocation. */
    public static final KindStrategy NONE = new KindStrategy() {
        @Override
        public String group() {
            return "";
        }

        @Override
        public String kind() {
            return "";
        }
    };

    private final Map<String, KindStrategy> byKind;

    /** @throws IllegalArgumentException when two strategies claim the same group and kind */
    public KindStrategies(Collection<? extends KindStrategy> strategies) {
        Map<String, KindStrategy> map = new HashMap<>();
        for (KindStrategy s : strategies) {
            KindStrategy previous = map.put(key(s.group(), s.kind()), s);
            if (previous != null) {
                throw new IllegalArgumentException("two strategies for " + key(s.group(), s.kind()) + ": "
                        + previous.getClass().getName() + " and " + s.getClass().getName());
            }
        }
        this.byKind = Map.copyOf(map);
    }

    /** The strategy for a kind; {@code group} is empty (or null) for the core group. */
    public KindStrategy forKind(String group, String kind) {
        return byKind.getOrDefault(key(group, kind), NONE);
    }

    /** Whether a kind has a strategy of its own. */
    public boolean has(String group, String kind) {
        return byKind.containsKey(key(group, kind));
    }

    private static String key(String group, String kind) {
        return (group == null ? "" : group) + "/" + kind;
    }
}
