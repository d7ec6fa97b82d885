package io.kube4j.controller.nodelifecycle;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the node-lifecycle and node-ipam controllers, under {@code kube4j.controllers.nodes}.
 *
 * @param gracePeriod             how long a node may be silent (no heartbeat in Redis) before its Ready condition becomes Unknown; kube's node-monitor-grace-period
 * @param monitorPeriod           how often each node's heartbeat is checked
 * @param defaultTolerationSeconds how long a pod with no toleration for a NoExecute unreachable/not-ready taint stays on its node; the gateway gives
 *                                every pod 300-second tolerations, so this applies to pods created without them (0: evict at once, as kube does)
 * @param clusterCidr             the range podCIDRs are cut from
 * @param nodeCidrMaskSize        the prefix length of each node's podCIDR
 */
@ConfigurationProperties("kube4j.controllers.nodes")
public record NodeLifecycleProperties(
        Duration gracePeriod,
        Duration monitorPeriod,
        Duration defaultTolerationSeconds,
        String clusterCidr,
        Integer nodeCidrMaskSize) {

    public NodeLifecycleProperties {
        gracePeriod = gracePeriod == null ? Duration.ofSeconds(40) : gracePeriod;
        monitorPeriod = monitorPeriod == null ? Duration.ofSeconds(5) : monitorPeriod;
        defaultTolerationSeconds = defaultTolerationSeconds == null ? Duration.ofSeconds(300) : defaultTolerationSeconds;
        clusterCidr = clusterCidr == null || clusterCidr.isBlank() ? "10.244.0.0/16" : clusterCidr;
        nodeCidrMaskSize = nodeCidrMaskSize == null ? 24 : nodeCidrMaskSize;
        CidrRange.parse(clusterCidr, nodeCidrMaskSize);
    }

    public static NodeLifecycleProperties defaults() {
        return new NodeLifecycleProperties(null, null, null, null, null);
    }
}
