package io.kube4j.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The node agent: kube4j's kubelet. One process per node (or many hollow nodes per process). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NodeAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(NodeAgentApplication.class, args);
    }
}
