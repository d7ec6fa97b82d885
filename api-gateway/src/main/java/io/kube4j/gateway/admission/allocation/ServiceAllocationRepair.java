package io.kube4j.gateway.admission.allocation;

import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.Map;

/**
 * Brings the allocation keys back in line with the stored Services, as kube-apiserver's repair
 * loops do for its IP and port bitmaps: a key that no Service holds (left by a gateway that died
 * between claiming and writing, or by a failed write whose claims were not released) is
 * released, and a value a Service holds without a key is claimed for it.
 *
 * <p>Requests in flight have claimed keys for Services not yet written; so only keys created at
 * or before {@code settledRevision} are released. A caller runs {@link #repair} periodically and
 * passes the store revision it saw one period earlier. Safe to run on every gateway replica at
 * once: every change is a compare-and-swap. Thread-safe.
 */
public final class ServiceAllocationRepair {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final ServiceAllocators allocators;
    private final String servicesPrefix;

    /** @param servicesPrefix where Services are stored, e.g. {@code /registry/core/services/} */
    public ServiceAllocationRepair(ServiceAllocators allocators, String servicesPrefix) {
        this.allocators = allocators;
        this.servicesPrefix = servicesPrefix;
    }

    /**
     * What one pass changed.
     *
     * @param released keys released because no Service holds their value
     * @param claimed  keys created for values Services hold without one
     * @param revision the store revision the pass read at: the next pass's {@code settledRevision}
     */
    public record Result(int released, int claimed, long revision) {}

    public Result repair(Store store, long settledRevision) {
        Store.ListResult services = store.list(servicesPrefix, 0, 0, null);
        long revision = services.revision();
        Map<String, Owner> ips = new HashMap<>();
        Map<String, Owner> ports = new HashMap<>();
        for (Store.KeyValue kv : services.items()) collect(kv.value(), ips, ports);
        int released = 0;
        int claimed = 0;
        for (var entry : Map.of(allocators.clusterIps(), ips, allocators.nodePorts(), ports).entrySet()) {
            RangeAllocator allocator = entry.getKey();
            Map<String, Owner> held = entry.getValue();
            String prefix = allocator.key("");
            Map<String, Store.KeyValue> keys = new HashMap<>();
            for (Store.KeyValue kv : store.list(prefix, revision, 0, null).items()) {
                keys.put(kv.key().substring(prefix.length()), kv);
            }
            for (Store.KeyValue kv : keys.values()) {
                String value = kv.key().substring(prefix.length());
                Owner holder = held.get(value);
                boolean orphan = holder == null || !holder.uid().equals(Owner.parse(kv.value()).uid());
                if (orphan && kv.createRevision() <= settledRevision) {
                    try {
                        store.delete(kv.key(), kv.modRevision());
                        released++;
                    } catch (StoreException.NotFound | StoreException.Conflict e) {
                        // Changed since the list: the next pass looks again.
                    }
                }
            }
            for (Map.Entry<String, Owner> h : held.entrySet()) {
                if (keys.containsKey(h.getKey()) || allocator.range().offsetOf(h.getKey()).isEmpty()) continue;
                try {
                    store.create(allocator.key(h.getKey()), h.getValue().toBytes());
                    claimed++;
                } catch (StoreException.KeyExists e) {
                    // Claimed meanwhile.
                }
            }
        }
        return new Result(released, claimed, revision);
    }

    private void collect(byte[] json, Map<String, Owner> ips, Map<String, Owner> ports) {
        JsonNode service;
        try {
            service = MAPPER.readTree(json);
        } catch (RuntimeException e) {
            return;
        }
        JsonNode metadata = service.path("metadata");
        Owner owner = new Owner(metadata.path("namespace").asString(""), metadata.path("name").asString(""),
                metadata.path("uid").asString(""));
        JsonNode spec = service.path("spec");
        if ("ExternalName".equals(spec.path("type").asString(""))) return;
        for (JsonNode ip : spec.path("clusterIPs")) {
            String canonical = allocators.ipRange().canonical(ip.asString(""));
            if (canonical != null) ips.put(canonical, owner);
        }
        for (JsonNode port : spec.path("ports")) {
            int nodePort = port.path("nodePort").asInt(0);
            if (nodePort > 0) ports.put(Integer.toString(nodePort), owner);
        }
        int healthCheck = spec.path("healthCheckNodePort").asInt(0);
        if (healthCheck > 0) ports.put(Integer.toString(healthCheck), owner);
    }
}
