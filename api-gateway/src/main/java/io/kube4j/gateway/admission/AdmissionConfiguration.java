package io.kube4j.gateway.admission;

import io.kube4j.gateway.admission.allocation.ServiceAllocators;
import io.kube4j.gateway.admission.allocation.ServiceRangesProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Service ranges from configuration; the strategies themselves are components of this package. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceRangesProperties.class)
public class AdmissionConfiguration {

    @Bean
    ServiceAllocators serviceAllocators(ServiceRangesProperties properties) {
        return ServiceAllocators.of(properties);
    }
}
