package io.kube4j.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.node.cri.CriRuntime;
import io.kube4j.node.node.Heartbeat;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.FakeRuntime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Wires one {@link NodeAgent} from {@link NodeAgentProperties}; it starts once the HTTP port is known. */
@Configuration(proxyBeanMethods = false)
public class NodeAgentConfiguration {

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(NodeAgentProperties properties) {
        if (properties.kubeconfig() == null || properties.kubeconfig().isBlank()) {
            return new KubernetesClientBuilder().build();
        }
        try {
            Config config = Config.fromKubeconfig(Files.readString(Path.of(properties.kubeconfig())));
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kubeconfig " + properties.kubeconfig(), e);
        }
    }

    @Bean(destroyMethod = "")
    ContainerRuntime containerRuntime(NodeAgentProperties properties) {
        if (properties.hollow()) return new FakeRuntime(properties.podCidr(), Clock.systemUTC());
        if (!"cri".equalsIgnoreCase(properties.runtime())) {
            throw new IllegalArgumentException("kube4j.node.runtime must be cri or fake, not " + properties.runtime());
        }
        return new CriRuntime(properties.criSocket());
    }

    @Bean
    Heartbeat heartbeat(ObjectProvider<StringRedisTemplate> redis) {
        StringRedisTemplate template = redis.getIfAvailable();
        return template == null ? Heartbeat.none() : Heartbeat.redis(template);
    }

    @Bean
    NodeAgentStarter nodeAgentStarter(NodeAgentProperties properties, KubernetesClient client, ContainerRuntime runtime,
                                      Heartbeat heartbeat) {
        return new NodeAgentStarter(properties, client, runtime, heartbeat);
    }

    /** Starts the agent when the web server listens (the Node reports that port); closes it with the context. */
    public static final class NodeAgentStarter implements ApplicationListener<WebServerInitializedEvent>, AutoCloseable {
        private final NodeAgentProperties properties;
        private final KubernetesClient client;
        private final ContainerRuntime runtime;
        private final Heartbeat heartbeat;
        private NodeAgent agent;

        NodeAgentStarter(NodeAgentProperties properties, KubernetesClient client, ContainerRuntime runtime, Heartbeat heartbeat) {
            this.properties = properties;
            this.client = client;
            this.runtime = runtime;
            this.heartbeat = heartbeat;
        }

        @Override
        public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
            if (agent != null || "management".equals(event.getApplicationContext().getServerNamespace())) return;
            agent = new NodeAgent(properties, client, runtime, heartbeat, event.getWebServer().getPort(), Clock.systemUTC());
            agent.start();
        }

        public synchronized NodeAgent agent() {
            return agent;
        }

        @Override
        public synchronized void close() {
            if (agent != null) agent.close();
            if (runtime instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
