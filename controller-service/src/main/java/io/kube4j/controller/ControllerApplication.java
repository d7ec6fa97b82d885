package io.kube4j.controller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * kube4j's controller manager: every controller in one service, fed by the change feed and
 * writing through the gateway. Replicas of this service share each controller's objects by
 * {@link io.kube4j.machinery.controller.KafkaWorkShards shards}. Settings: {@link runtime.ControllerProperties}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ControllerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ControllerApplication.class, args);
    }
}
