package io.kube4j.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Map;

/** The node agent: kube4j's kubelet. One process per node (or many hollow nodes per process). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NodeAgentApplication {

    /**
     * The agent's application. Its defaults live in {@code node-agent.properties}, not
     * {@code application.properties}, so that it can share a class path (and a JVM, in tests)
     * with the gateway without either reading the other's settings.
     */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(NodeAgentApplication.class);
        app.setDefaultProperties(Map.of("spring.config.name", "node-agent"));
        return app;
    }

    public static void main(String[] args) {
        application().run(args);
    }
}
