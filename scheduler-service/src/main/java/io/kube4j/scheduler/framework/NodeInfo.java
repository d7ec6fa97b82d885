package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node with the pods placed on it and the sums the filters need, kept up to date as pods come and go so that
 * no filter adds up requests: requested resources, non-zero requests (for spreading by score), host ports in use,
 * the pods with affinity terms, image sizes.
 *
 * <p>Not thread-safe. The cache owns the live instances and changes them under its lock; a scheduling cycle reads
 * {@link #copy() copies} in a snapshot, which nothing changes while the cycle runs. Its {@link #generation()}
 * grows with every change, so a snapshot copies only what changed.
 */
public final class NodeInfo {

    private Node node;
    private String name;
    private Map<String, String> labels = Map.of();
    private List<Taint> taints = List.of();
    private boolean unschedulable;
    private Resource allocatable = new Resource();
    private Map<String, Long> imageSizes = Map.of();
    private List<PodInfo> pods = new ArrayList<>();
    private List<PodInfo> podsWithAffinity = new ArrayList<>();
    private List<PodInfo> podsWithRequiredAntiAffinity = new ArrayList<>();
    private List<HostPort> usedPorts = new ArrayList<>();
    private Resource requested = new Resource();
    private long nonZeroMilliCpu;
    private long nonZeroMemory;
    private long generation;

    public NodeInfo() {
    }

    public NodeInfo(Node node) {
        setNode(node);
    }

    /** Replaces the node object (labels, taints, allocatable, images), keeping the pods. */
    public void setNode(Node node) {
        this.node = node;
        this.name = node.getMetadata().getName();
        this.labels = node.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(node.getMetadata().getLabels());
        var spec = node.getSpec();
        this.taints = spec == null || spec.getTaints() == null ? List.of() : List.copyOf(spec.getTaints());
        this.unschedulable = spec != null && Boolean.TRUE.equals(spec.getUnschedulable());
        var status = node.getStatus();
        this.allocatable = Resource.of(status == null ? null : status.getAllocatable());
        Map<String, Long> images = new HashMap<>();
        if (status != null && status.getImages() != null) {
            for (ContainerImage image : status.getImages()) {
                long size = image.getSizeBytes() == null ? 0 : image.getSizeBytes();
                if (image.getNames() != null) for (String n : image.getNames()) images.put(normalizedImage(n), size);
            }
        }
        this.imageSizes = images;
        generation = nextGeneration();
    }

    /** An image name with {@code :latest} added when it has neither tag nor digest, as kube-scheduler compares them. */
    public static String normalizedImage(String image) {
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        if (last.contains(":") || last.contains("@")) return image;
        return image + ":latest";
    }

    /** Adds a pod placed on (or assumed onto) this node. */
    public void addPod(PodInfo pod) {
        pods.add(pod);
        if (pod.hasAffinity()) podsWithAffinity.add(pod);
        if (!pod.requiredAntiAffinityTerms().isEmpty()) podsWithRequiredAntiAffinity.add(pod);
        account(pod, 1);
    }

    /** Removes the pod of this key; false when the node does not hold it. */
    public boolean removePod(String key) {
        for (int i = 0; i < pods.size(); i++) {
            PodInfo p = pods.get(i);
            if (p.key().equals(key)) {
                pods.remove(i);
                podsWithAffinity.removeIf(x -> x.key().equals(key));
                podsWithRequiredAntiAffinity.removeIf(x -> x.key().equals(key));
                account(p, -1);
                return true;
            }
        }
        return false;
    }

    private void account(PodInfo pod, int sign) {
        requested.add(pod.requests(), sign);
        nonZeroMilliCpu += sign * pod.nonZeroMilliCpu();
        nonZeroMemory += sign * pod.nonZeroMemory();
        if (sign > 0) {
            usedPorts.addAll(pod.hostPorts());
        } else {
            for (HostPort p : pod.hostPorts()) usedPorts.remove(p);
        }
        generation = nextGeneration();
    }

    /** A copy that later changes to this one do not affect; the pods themselves are shared (immutable). */
    public NodeInfo copy() {
        NodeInfo c = new NodeInfo();
        c.node = node;
        c.name = name;
        c.labels = labels;
        c.taints = taints;
        c.unschedulable = unschedulable;
        c.allocatable = allocatable.copy();
        c.imageSizes = imageSizes;
        c.pods = new ArrayList<>(pods);
        c.podsWithAffinity = new ArrayList<>(podsWithAffinity);
        c.podsWithRequiredAntiAffinity = new ArrayList<>(podsWithRequiredAntiAffinity);
        c.usedPorts = new ArrayList<>(usedPorts);
        c.requested = requested.copy();
        c.nonZeroMilliCpu = nonZeroMilliCpu;
        c.nonZeroMemory = nonZeroMemory;
        c.generation = generation;
        return c;
    }

    private static final java.util.concurrent.atomic.AtomicLong GENERATIONS = new java.util.concurrent.atomic.AtomicLong();

    private static long nextGeneration() {
        return GENERATIONS.incrementAndGet();
    }

    /** The node, or null for a NodeInfo that only holds pods bound to a node the cache has not seen yet. */
    public Node node() { return node; }
    public String name() { return name; }
    public Map<String, String> labels() { return labels; }
    public List<Taint> taints() { return taints; }
    public boolean unschedulable() { return unschedulable; }
    public Resource allocatable() { return allocatable; }
    /** Image sizes in bytes by normalized name. */
    public Map<String, Long> imageSizes() { return imageSizes; }
    public List<PodInfo> pods() { return pods; }
    public List<PodInfo> podsWithAffinity() { return podsWithAffinity; }
    public List<PodInfo> podsWithRequiredAntiAffinity() { return podsWithRequiredAntiAffinity; }
    public List<HostPort> usedPorts() { return usedPorts; }
    /** The sum of the requests of the pods on the node. */
    public Resource requested() { return requested; }
    /** The CPU requested with the default counted for containers that request none. */
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public long generation() { return generation; }

    @Override
    public String toString() {
        return "NodeInfo{" + name + ", pods=" + pods.size() + ", requested=" + requested + "}";
    }
}
