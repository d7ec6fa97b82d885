package io.kube4j.gateway.storage;

import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Whether a namespace can take new objects, answered from memory for namespaces this gateway has
 * seen (fed by its watch cache) and from the store otherwise. Seen-as-live is trusted: a
 * namespace goes through Terminating before it disappears, and every gateway sees that change
 * within its watch latency, as kube-apiserver's namespace lifecycle admission does from its
 * informer.
 */
public final class NamespaceLifecycle {

    /** What is known of a namespace: live, terminating. Absent namespaces are not cached. */
    enum State { LIVE, TERMINATING }

    private final Map<String, State> known = new ConcurrentHashMap<>();
    private final Function<String, Optional<ObjectNode>> lookup;

    /** @param lookup reads a namespace from the store, for names not seen yet */
    public NamespaceLifecycle(Function<String, Optional<ObjectNode>> lookup) {
        this.lookup = lookup;
    }

    /** Records a namespace's current state (from a watch event or a read). */
    public void observed(ObjectNode namespace) {
        known.put(KubeObject.name(namespace), stateOf(namespace));
    }

    /** Forgets a deleted namespace. */
    public void deleted(String name) {
        known.remove(name);
    }

    /** The namespace's state, or empty when it does not exist. */
    Optional<State> state(String name) {
        State state = known.get(name);
        if (state != null) return Optional.of(state);
        Optional<ObjectNode> stored = lookup.apply(name);
        stored.ifPresent(this::observed);
        return stored.map(NamespaceLifecycle::stateOf);
    }

    private static State stateOf(ObjectNode namespace) {
        return KubeObject.isDeleting(namespace)
                || "Terminating".equals(namespace.path("status").path("phase").asString(""))
                ? State.TERMINATING : State.LIVE;
    }
}
