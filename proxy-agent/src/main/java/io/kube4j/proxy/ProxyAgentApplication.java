package io.kube4j.proxy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * kube4j's proxy agent, one per node (kube-proxy's role and cluster DNS): watches Services,
 * EndpointSlices and Nodes through the gateway and programs the node's Service virtual IPs with
 * the back end {@link ProxyProperties#mode()} chooses; answers cluster DNS.
 * Settings: {@link ProxyProperties}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ProxyAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProxyAgentApplication.class, args);
    }
}
