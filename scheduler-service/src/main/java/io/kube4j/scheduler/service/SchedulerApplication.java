package io.kube4j.scheduler.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * kube4j's scheduler (kube-scheduler's role): fed by the change feed, placing pods through the gateway's
 * {@code pods/{name}/binding}. Replicas elect one leader that schedules. Settings: {@link SchedulerProperties}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SchedulerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SchedulerApplication.class, args);
    }
}
