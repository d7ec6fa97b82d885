package io.kube4j.gateway.admission.allocation;

/**
 * The two shared ranges of Services: cluster IPs and node ports, with kube-apiserver's refusal
 * messages. Immutable and thread-safe.
 */
public record ServiceAllocators(RangeAllocator clusterIps, RangeAllocator nodePorts) {

    public static final String SERVICE_IPS_PREFIX = "/kube4j/allocations/serviceips/";
    public static final String NODE_PORTS_PREFIX = "/kube4j/allocations/nodeports/";

    public static ServiceAllocators of(ServiceRangesProperties properties) {
        IpRange ips = IpRange.parse(properties.clusterIpRange());
        PortRange ports = PortRange.parse(properties.nodePortRange());
        return new ServiceAllocators(
                new RangeAllocator(ips, SERVICE_IPS_PREFIX, "provided IP is already allocated",
                        "the provided IP ({value}) is not in the valid range. The range of valid IPs is " + ips.describe()),
                new RangeAllocator(ports, NODE_PORTS_PREFIX, "provided port is already allocated",
                        "provided port is not in the valid range. The range of valid ports is " + ports.describe()));
    }

    public IpRange ipRange() {
        return (IpRange) clusterIps.range();
    }
}
