package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * Amounts of the resources the scheduler accounts for: CPU in millicores, memory and ephemeral storage in bytes,
 * a pod count, and scalar (extended) resources such as {@code nvidia.com/gpu} by name.
 *
 * <p>Mutable and not thread-safe: a NodeInfo owns its instances and copies them when it is cloned.
 */
public final class Resource {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public long milliCpu;
    public long memory;
    public long ephemeralStorage;
    public long allowedPods;
    private Map<String, Long> scalars;

    public Resource() {
    }

    public Resource(long milliCpu, long memory) {
        this.milliCpu = milliCpu;
        this.memory = memory;
    }

    /** The resources of a Kubernetes resource list ({@code requests}, {@code allocatable}); null is empty. */
    public static Resource of(Map<String, Quantity> list) {
        Resource r = new Resource();
        if (list == null) return r;
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            r.set(e.getKey(), amount(e.getKey(), e.getValue()));
        }
        return r;
    }

    /** The amount in the unit this class keeps for the resource: millicores for CPU, whole units otherwise. */
    public static long amount(String name, Quantity quantity) {
        if (quantity == null) return 0;
        BigDecimal value = io.kube4j.machinery.quantity.Quantity.parse(
                quantity.getAmount() + (quantity.getFormat() == null ? "" : quantity.getFormat())).decimal();
        if (CPU.equals(name)) value = value.movePointRight(3);
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Whether the name is an extended or hugepages resource, counted as a scalar. */
    public static boolean isScalar(String name) {
        return !CPU.equals(name) && !MEMORY.equals(name) && !EPHEMERAL_STORAGE.equals(name) && !PODS.equals(name);
    }

    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> allowedPods;
            default -> scalars == null ? 0 : scalars.getOrDefault(name, 0L);
        };
    }

    public void set(String name, long value) {
        switch (name) {
            case CPU -> milliCpu = value;
            case MEMORY -> memory = value;
            case EPHEMERAL_STORAGE -> ephemeralStorage = value;
            case PODS -> allowedPods = value;
            default -> {
                if (scalars == null) scalars = new HashMap<>(4);
                scalars.put(name, value);
            }
        }
    }

    /** The scalar resources by name; unmodifiable view, empty when there are none. */
    public Map<String, Long> scalars() {
        return scalars == null ? Map.of() : java.util.Collections.unmodifiableMap(scalars);
    }

    /** Adds {@code other} times {@code sign} (1 or -1) to this. */
    public void add(Resource other, int sign) {
        milliCpu += sign * other.milliCpu;
        memory += sign * other.memory;
        ephemeralStorage += sign * other.ephemeralStorage;
        allowedPods += sign * other.allowedPods;
        if (other.scalars != null) {
            for (Map.Entry<String, Long> e : other.scalars.entrySet()) {
                set(e.getKey(), get(e.getKey()) + sign * e.getValue());
            }
        }
    }

    /** Raises each amount of this to at least the one of {@code other}. */
    public void setMax(Resource other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        allowedPods = Math.max(allowedPods, other.allowedPods);
        if (other.scalars != null) {
            for (Map.Entry<String, Long> e : other.scalars.entrySet()) {
                set(e.getKey(), Math.max(get(e.getKey()), e.getValue()));
            }
        }
    }

    public boolean isZero() {
        if (milliCpu != 0 || memory != 0 || ephemeralStorage != 0) return false;
        if (scalars != null) for (long v : scalars.values()) if (v != 0) return false;
        return true;
    }

    public Resource copy() {
        Resource r = new Resource();
        r.milliCpu = milliCpu;
        r.memory = memory;
        r.ephemeralStorage = ephemeralStorage;
        r.allowedPods = allowedPods;
        if (scalars != null) r.scalars = new HashMap<>(scalars);
        return r;
    }

    @Override
    public String toString() {
        return "Resource{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage
                + ", pods=" + allowedPods + (scalars == null ? "" : ", " + scalars) + "}";
    }
}
