package io.kube4j.store.relay;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.util.Map;

/**
 * The change-feed relay: every committed change under /registry/, in revision order, to Kafka.
 * Its only HTTP endpoints are actuator's health and Prometheus metrics, on {@code server.port}
 * (default 8095). See {@link RelayProperties} for its settings and {@link ChangeRelay} for its
 * guarantees.
 */
@SpringBootApplication
public class RelayApplication {

    /** Defaults with the lowest precedence: any property source overrides them. */
    static final Map<String, Object> DEFAULTS = Map.of(
            "spring.application.name", "kube4j-relay",
            "server.port", 8095,
            "management.endpoints.web.exposure.include", "health,prometheus",
            "management.endpoint.health.show-details", "always",
            "management.endpoint.health.probes.enabled", true);

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(RelayApplication.class);
        application.setDefaultProperties(DEFAULTS);
        application.run(args);
    }
}
