package io.kube4j.node;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The node agent's settings ({@code kube4j.node.*}).
 *
 * @param name           the Node's name; the machine's host name when unset
 * @param kubeconfig     the kubeconfig file through which the agent reaches the gateway
 * @param podCidr        the pod subnet of this node (also configured in its CNI network)
 * @param runtime        {@code cri} (containerd) or {@code fake} (a hollow node that runs nothing)
 * @param criSocket      containerd's socket for the {@code cri} runtime
 * @param rootDir        where pod volumes and container logs live
 * @param address        the node's InternalIP; the address of the host name when unset
 * @param maxPods        the pods capacity
 * @param syncPeriod     how often every pod is synced even without an event (the kubelet relists every second)
 * @param statusPeriod   how often the Node's status is recomputed (written only when it changed)
 * @param labels         extra labels of the Node
 * @param endpointDrain  how long a deleted pod that was serving keeps running before its containers
 *                       are stopped (at most half its grace period), so that Services stop sending it
 *                       new connections first — the {@code preStop: sleep} users otherwise add
 * @param hollowCount    with the {@code fake} runtime, how many hollow nodes this process hosts: more
 *                       than one are named {@code name-0 … name-(n-1)}, node i with the i-th /24 after
 *                       {@code podCidr}'s own
 * @param clusterDns     the nameservers of {@code ClusterFirst} pods: the kube-dns Service's IP (the
 *                       proxy agent's default); empty gives every pod the node's own resolver
 * @param clusterDomain  the cluster's DNS domain, the tail of the pods' search path
 * @param evictionHardMemoryAvailable the kubelet's {@code evictionHard} {@code memory.available}: below
 *                       it the node reports MemoryPressure and evicts one pod every 10 s, in QoS order
 */
@ConfigurationProperties("kube4j.node")
public record NodeAgentProperties(
        String name,
        String kubeconfig,
        @DefaultValue("10.244.0.0/24") String podCidr,
        @DefaultValue("cri") String runtime,
        @DefaultValue("/run/containerd/containerd.sock") String criSocket,
        @DefaultValue("/var/lib/kube4j-node") Path rootDir,
        String address,
        @DefaultValue("110") int maxPods,
        @DefaultValue("1s") Duration syncPeriod,
        @DefaultValue("10s") Duration statusPeriod,
        Map<String, String> labels,
        @DefaultValue("3s") Duration endpointDrain,
        @DefaultValue("1") int hollowCount,
        @DefaultValue("10.96.0.10") List<String> clusterDns,
        @DefaultValue("cluster.local") String clusterDomain,
        @DefaultValue("100Mi") String evictionHardMemoryAvailable) {

    public NodeAgentProperties {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        clusterDns = clusterDns == null ? List.of() : List.copyOf(clusterDns);
        if (hollowCount < 1) throw new IllegalArgumentException("kube4j.node.hollow-count must be at least 1, not " + hollowCount);
        evictionHardMemoryAvailable = evictionHardMemoryAvailable == null ? "100Mi" : evictionHardMemoryAvailable;
        if (io.kube4j.machinery.quantity.Quantity.tryParse(evictionHardMemoryAvailable).isEmpty()) {
            throw new IllegalArgumentException("kube4j.node.eviction-hard-memory-available is no quantity: " + evictionHardMemoryAvailable);
        }
        if (hollowCount > 1 && !"fake".equalsIgnoreCase(runtime)) {
            throw new IllegalArgumentException("kube4j.node.hollow-count above 1 needs kube4j.node.runtime=fake");
        }
    }

    /** How many nodes this process runs: {@link #hollowCount} for the fake runtime, else one. */
    public int nodeCount() {
        return hollow() ? hollowCount : 1;
    }

    /**
     * The settings of node {@code index} of a process hosting {@link #nodeCount()} nodes: itself when
     * it hosts one; else named {@code name-index}, with the index-th /24 after {@code podCidr}'s.
     */
    public NodeAgentProperties node(int index) {
        if (nodeCount() == 1) return this;
        return new NodeAgentProperties(nodeName() + "-" + index, kubeconfig, nthSubnet(podCidr, index), runtime, criSocket,
                rootDir, address, maxPods, syncPeriod, statusPeriod, labels, endpointDrain, 1, clusterDns, clusterDomain,
                evictionHardMemoryAvailable);
    }

    /** The /24 {@code index} places after the one {@code cidr} starts in, e.g. 10.99.0.0/24 and 3 → 10.99.3.0/24. */
    static String nthSubnet(String cidr, int index) {
        String[] octets = cidr.substring(0, cidr.indexOf('/')).split("\\.");
        long base = (Long.parseLong(octets[0]) << 24) | (Long.parseLong(octets[1]) << 16) | (Long.parseLong(octets[2]) << 8);
        long net = base + ((long) index << 8);
        return ((net >> 24) & 255) + "." + ((net >> 16) & 255) + "." + ((net >> 8) & 255) + ".0/24";
    }

    /** The Node's name: the configured one, else the host name in lower case. */
    public String nodeName() {
        if (name != null && !name.isBlank()) return name;
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** {@link #evictionHardMemoryAvailable} in bytes. */
    public long memoryEvictionThresholdBytes() {
        return io.kube4j.machinery.quantity.Quantity.parse(evictionHardMemoryAvailable).value();
    }

    public boolean hollow() {
        return "fake".equalsIgnoreCase(runtime);
    }
}
