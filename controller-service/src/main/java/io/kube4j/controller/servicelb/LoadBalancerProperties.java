package io.kube4j.controller.servicelb;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * Settings of the LoadBalancer address allocator, under {@code kube4j.controllers.load-balancer}.
 *
 * @param pool addresses for LoadBalancer Services: CIDRs ({@code 192.168.50.0/28}) or ranges
 *             ({@code 192.168.50.10-192.168.50.20}); empty leaves every LoadBalancer Service pending,
 *             as a cluster without a load-balancer implementation does
 */
@ConfigurationProperties("kube4j.controllers.load-balancer")
public record LoadBalancerProperties(List<String> pool) {

    public LoadBalancerProperties {
        pool = pool == null ? List.of() : List.copyOf(pool);
        AddressPool.parse(pool);
    }
}
