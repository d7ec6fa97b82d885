package io.kube4j.gateway.openapi;

import io.kube4j.gateway.discovery.DiscoveryController;
import io.kube4j.gateway.discovery.VersionController;
import io.kube4j.machinery.registry.ResourceRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Only the discovery and OpenAPI beans, with a registry of the built-in types: what the tests of
 * this part start (the storage-backed parts of the gateway are not needed to answer kubectl's
 * discovery and OpenAPI requests).
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({DiscoveryController.class, VersionController.class, OpenApiController.class, OpenApiService.class,
        UnknownFieldDetector.class})
public class DiscoveryAndOpenApiTestApplication {

    @Bean
    ResourceRegistry resourceRegistry() {
        return ResourceRegistry.builtIn();
    }

    /** Runs the discovery and OpenAPI endpoints alone, for trying clients by hand. */
    public static void main(String[] args) {
        SpringApplication.run(DiscoveryAndOpenApiTestApplication.class, args);
    }
}
