package io.kube4j.gateway.admission.allocation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ranges Services are allocated from ({@code kube4j.services.*}), as kube-apiserver's
 * {@code --service-cluster-ip-range} and {@code --service-node-port-range}.
 *
 * @param clusterIpRange CIDR of cluster IPs; its first address is kept for the {@code kubernetes} Service
 * @param nodePortRange  inclusive range of node ports
 */
@ConfigurationProperties("kube4j.services")
public record ServiceRangesProperties(
        @DefaultValue("10.96.0.0/12") String clusterIpRange,
        @DefaultValue("30000-32767") String nodePortRange) {

    public static ServiceRangesProperties defaults() {
        return new ServiceRangesProperties("10.96.0.0/12", "30000-32767");
    }
}
