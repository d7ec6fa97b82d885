package io.kube4j.gateway.discovery;

import io.kube4j.machinery.registry.ResourceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's one {@link ResourceRegistry}: every built-in kind at start; custom resources are
 * registered into it as their definitions are established.
 */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

    @Bean
    public ResourceRegistry resourceRegistry() {
        return ResourceRegistry.builtIn();
    }
}
