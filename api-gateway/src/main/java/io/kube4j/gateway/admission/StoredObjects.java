package io.kube4j.gateway.admission;

import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.store.Store;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of other objects that admission plugins consult (PriorityClasses, StorageClasses),
 * straight from the store. Unreadable values are skipped: a broken object must not block
 * admission of others.
 */
final class StoredObjects {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StoredObjects() {}

    static Optional<ObjectNode> get(Store store, ResourceType type, String name) {
        return store.get(type.key(null, name)).flatMap(kv -> parse(kv.value()));
    }

    static List<ObjectNode> list(Store store, ResourceType type) {
        List<ObjectNode> objects = new ArrayList<>();
        for (Store.KeyValue kv : store.list(type.keyPrefix(), 0, 0, null).items()) parse(kv.value()).ifPresent(objects::add);
        return objects;
    }

    static Optional<ObjectNode> parse(byte[] json) {
        try {
            return MAPPER.readTree(json) instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
