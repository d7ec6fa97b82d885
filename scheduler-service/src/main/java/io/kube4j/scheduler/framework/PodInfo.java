package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what every plugin needs from it computed once: its effective resource requests (as kube-scheduler's
 * {@code PodRequests}: containers summed, init containers as a maximum, restartable init containers added,
 * overhead added), its host ports, and its affinity terms compiled.
 *
 * <p>Immutable after construction (the Pod inside it is never modified) and thread-safe. Build a new one when
 * the pod changes.
 */
public final class PodInfo {

    /** CPU counted for a container that requests none, when spreading by score (kube-scheduler's default). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** Memory counted for a container that requests none, when spreading by score. */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    /** A preferred node-affinity term compiled. */
    public record PreferredNodeTerm(int weight, NodeSelectorMatcher matcher) {
    }

    private final Pod pod;
    private final String namespace;
    private final String name;
    private final String key;
    private final String uid;
    private final Map<String, String> labels;
    private final int priority;
    private final Resource requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final List<HostPort> hostPorts;
    private final List<Toleration> tolerations;
    private final LabelMatcher nodeSelector;
    private final NodeSelectorMatcher requiredNodeAffinity;
    private final List<PreferredNodeTerm> preferredNodeAffinity;
    private final List<AffinityTerm> requiredAffinityTerms;
    private final List<AffinityTerm> requiredAntiAffinityTerms;
    private final List<AffinityTerm> preferredAffinityTerms;
    private final List<AffinityTerm> preferredAntiAffinityTerms;
    private final List<TopologySpreadConstraint> spreadConstraints;
    private final List<String> images;
    private final boolean terminating;
    private final String nodeName;
    private final boolean preemptionNever;
    private final String nominatedNodeName;
    private final String startTime;

    private PodInfo(PodInfo other, String nodeName) {
        this.pod = other.pod;
        this.namespace = other.namespace;
        this.name = other.name;
        this.key = other.key;
        this.uid = other.uid;
        this.labels = other.labels;
        this.priority = other.priority;
        this.requests = other.requests;
        this.nonZeroMilliCpu = other.nonZeroMilliCpu;
        this.nonZeroMemory = other.nonZeroMemory;
        this.hostPorts = other.hostPorts;
        this.tolerations = other.tolerations;
        this.nodeSelector = other.nodeSelector;
        this.requiredNodeAffinity = other.requiredNodeAffinity;
        this.preferredNodeAffinity = other.preferredNodeAffinity;
        this.requiredAffinityTerms = other.requiredAffinityTerms;
        this.requiredAntiAffinityTerms = other.requiredAntiAffinityTerms;
        this.preferredAffinityTerms = other.preferredAffinityTerms;
        this.preferredAntiAffinityTerms = other.preferredAntiAffinityTerms;
        this.spreadConstraints = other.spreadConstraints;
        this.images = other.images;
        this.terminating = other.terminating;
        this.nodeName = nodeName;
        this.preemptionNever = other.preemptionNever;
        this.nominatedNodeName = other.nominatedNodeName;
        this.startTime = other.startTime;
    }

    /** This pod as the cache holds it once assumed on a node: the same, with {@link #nodeName()} set. */
    public PodInfo assumedOn(String node) {
        return new PodInfo(this, node);
    }

    private PodInfo(Pod pod) {
        this.pod = pod;
        var meta = pod.getMetadata();
        this.namespace = meta.getNamespace() == null ? "default" : meta.getNamespace();
        this.name = meta.getName();
        this.key = namespace + "/" + name;
        this.uid = meta.getUid();
        this.labels = meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels());
        this.terminating = meta.getDeletionTimestamp() != null;
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        this.priority = spec.getPriority() == null ? 0 : spec.getPriority();
        this.nodeName = spec.getNodeName() == null || spec.getNodeName().isEmpty() ? null : spec.getNodeName();
        this.preemptionNever = "Never".equals(spec.getPreemptionPolicy());
        var status = pod.getStatus();
        this.nominatedNodeName = status == null || status.getNominatedNodeName() == null
                || status.getNominatedNodeName().isEmpty() ? null : status.getNominatedNodeName();
        String started = status == null ? null : status.getStartTime();
        this.startTime = started != null ? started : meta.getCreationTimestamp();

        Resource sum = new Resource();
        long cpu = 0;
        long mem = 0;
        List<HostPort> ports = new ArrayList<>();
        List<String> imgs = new ArrayList<>();
        for (Container c : list(spec.getContainers())) {
            Resource r = containerRequests(c);
            sum.add(r, 1);
            cpu += hasRequest(c, Resource.CPU) ? r.milliCpu : DEFAULT_MILLI_CPU_REQUEST;
            mem += hasRequest(c, Resource.MEMORY) ? r.memory : DEFAULT_MEMORY_REQUEST;
            addPorts(c, ports);
            if (c.getImage() != null) imgs.add(c.getImage());
        }
        Resource restartable = new Resource();
        Resource initMax = new Resource();
        long restartableCpu = 0;
        long restartableMem = 0;
        long initCpuMax = 0;
        long initMemMax = 0;
        for (Container c : list(spec.getInitContainers())) {
            Resource r = containerRequests(c);
            long c0 = hasRequest(c, Resource.CPU) ? r.milliCpu : DEFAULT_MILLI_CPU_REQUEST;
            long m0 = hasRequest(c, Resource.MEMORY) ? r.memory : DEFAULT_MEMORY_REQUEST;
            if ("Always".equals(c.getRestartPolicy())) {
                // A sidecar runs beside everything started after it.
                restartable.add(r, 1);
                restartableCpu += c0;
                restartableMem += m0;
                initMax.setMax(restartable);
                addPorts(c, ports);
            } else {
                Resource during = restartable.copy();
                during.add(r, 1);
                initMax.setMax(during);
                initCpuMax = Math.max(initCpuMax, restartableCpu + c0);
                initMemMax = Math.max(initMemMax, restartableMem + m0);
            }
        }
        sum.add(restartable, 1);
        sum.setMax(initMax);
        cpu = Math.max(cpu + restartableCpu, initCpuMax);
        mem = Math.max(mem + restartableMem, initMemMax);
        if (spec.getOverhead() != null) {
            Resource overhead = Resource.of(spec.getOverhead());
            sum.add(overhead, 1);
            cpu += overhead.milliCpu;
            mem += overhead.memory;
        }
        sum.allowedPods = 0;
        this.requests = sum;
        this.nonZeroMilliCpu = cpu;
        this.nonZeroMemory = mem;
        this.hostPorts = List.copyOf(ports);
        this.images = List.copyOf(imgs);
        this.tolerations = List.copyOf(list(spec.getTolerations()));
        this.nodeSelector = LabelMatcher.ofMap(spec.getNodeSelector());
        this.spreadConstraints = List.copyOf(list(spec.getTopologySpreadConstraints()));

        Affinity affinity = spec.getAffinity();
        NodeAffinity na = affinity == null ? null : affinity.getNodeAffinity();
        this.requiredNodeAffinity = na == null ? null
                : NodeSelectorMatcher.of(na.getRequiredDuringSchedulingIgnoredDuringExecution());
        List<PreferredNodeTerm> preferred = new ArrayList<>();
        if (na != null) {
            for (PreferredSchedulingTerm t : list(na.getPreferredDuringSchedulingIgnoredDuringExecution())) {
                if (t.getWeight() == null || t.getWeight() == 0 || t.getPreference() == null) continue;
                preferred.add(new PreferredNodeTerm(t.getWeight(), NodeSelectorMatcher.ofTerm(t.getPreference())));
            }
        }
        this.preferredNodeAffinity = List.copyOf(preferred);
        var pa = affinity == null ? null : affinity.getPodAffinity();
        var paa = affinity == null ? null : affinity.getPodAntiAffinity();
        this.requiredAffinityTerms = required(pa == null ? null : pa.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.requiredAntiAffinityTerms = required(paa == null ? null : paa.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.preferredAffinityTerms = preferred(pa == null ? null : pa.getPreferredDuringSchedulingIgnoredDuringExecution());
        this.preferredAntiAffinityTerms = preferred(paa == null ? null : paa.getPreferredDuringSchedulingIgnoredDuringExecution());
    }

    public static PodInfo of(Pod pod) {
        return new PodInfo(pod);
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static boolean hasRequest(Container c, String resource) {
        return c.getResources() != null && c.getResources().getRequests() != null
                && c.getResources().getRequests().containsKey(resource);
    }

    private static Resource containerRequests(Container c) {
        return c.getResources() == null ? new Resource() : Resource.of(c.getResources().getRequests());
    }

    private static void addPorts(Container c, List<HostPort> ports) {
        for (ContainerPort p : list(c.getPorts())) {
            if (p.getHostPort() == null || p.getHostPort() <= 0) continue;
            String ip = p.getHostIP() == null || p.getHostIP().isEmpty() ? HostPort.ANY_IP : p.getHostIP();
            String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            ports.add(new HostPort(ip, protocol, p.getHostPort()));
        }
    }

    private List<AffinityTerm> required(List<PodAffinityTerm> terms) {
        return list(terms).stream().map(t -> AffinityTerm.of(t, namespace, 1)).toList();
    }

    private List<AffinityTerm> preferred(List<WeightedPodAffinityTerm> terms) {
        return list(terms).stream()
                .filter(t -> t.getPodAffinityTerm() != null && t.getWeight() != null && t.getWeight() != 0)
                .map(t -> AffinityTerm.of(t.getPodAffinityTerm(), namespace, t.getWeight())).toList();
    }

    public Pod pod() { return pod; }
    public String namespace() { return namespace; }
    public String name() { return name; }
    /** {@code namespace/name}. */
    public String key() { return key; }
    public String uid() { return uid; }
    public Map<String, String> labels() { return labels; }
    public int priority() { return priority; }
    /** The effective requests; callers must not modify it. */
    public Resource requests() { return requests; }
    public long nonZeroMilliCpu() { return nonZeroMilliCpu; }
    public long nonZeroMemory() { return nonZeroMemory; }
    public List<HostPort> hostPorts() { return hostPorts; }
    public List<Toleration> tolerations() { return tolerations; }
    public LabelMatcher nodeSelector() { return nodeSelector; }
    /** The required node affinity, or null when the pod has none. */
    public NodeSelectorMatcher requiredNodeAffinity() { return requiredNodeAffinity; }
    public List<PreferredNodeTerm> preferredNodeAffinity() { return preferredNodeAffinity; }
    public List<AffinityTerm> requiredAffinityTerms() { return requiredAffinityTerms; }
    public List<AffinityTerm> requiredAntiAffinityTerms() { return requiredAntiAffinityTerms; }
    public List<AffinityTerm> preferredAffinityTerms() { return preferredAffinityTerms; }
    public List<AffinityTerm> preferredAntiAffinityTerms() { return preferredAntiAffinityTerms; }
    public List<TopologySpreadConstraint> spreadConstraints() { return spreadConstraints; }
    public List<String> images() { return images; }
    public boolean terminating() { return terminating; }
    /** Whether {@code spec.preemptionPolicy} is {@code Never}: the pod waits for room instead of making it. */
    public boolean preemptionNever() { return preemptionNever; }
    /** {@code status.nominatedNodeName}: the node a preemption made room on for this pod, or null. */
    public String nominatedNodeName() { return nominatedNodeName; }
    /** {@code status.startTime}, else the creation timestamp (RFC 3339, comparable as text); null when neither is set. */
    public String startTime() { return startTime; }
    /** The node the pod is bound (or nominated by binding) to, or null. */
    public String nodeName() { return nodeName; }

    /** The profile that schedules this pod ({@code default-scheduler} when unset). */
    public String schedulerName() {
        String n = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return n == null || n.isEmpty() ? "default-scheduler" : n;
    }

    /** Whether the pod has any pod-affinity or anti-affinity term, required or preferred. */
    public boolean hasAffinity() {
        return !requiredAffinityTerms.isEmpty() || !requiredAntiAffinityTerms.isEmpty()
                || !preferredAffinityTerms.isEmpty() || !preferredAntiAffinityTerms.isEmpty();
    }

    /** Whether the pod matches its own node selector and required node affinity on this node. */
    public boolean matchesNodeSelectorAndAffinity(String nodeName, Map<String, String> nodeLabels) {
        if (!nodeSelector.matches(nodeLabels)) return false;
        return requiredNodeAffinity == null || requiredNodeAffinity.matches(nodeName, nodeLabels);
    }

    @Override
    public String toString() {
        return key;
    }
}
