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
            config.setRequestTimeout(30_000);
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

    /**
     * Starts the agent once the web server listens (the Node reports that port), on a thread of
     * its own so that the agent's health and HTTP paths answer while it reaches the runtime and
     * the gateway; retries every few seconds until it started. Closes it with the context.
     */
    public static final class NodeAgentStarter implements ApplicationListener<WebServerInitializedEvent>, AutoCloseable {
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NodeAgentStarter.class);
        private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(5);

        private final NodeAgentProperties properties;
        private final KubernetesClient client;
        private final ContainerRuntime runtime;
        private final Heartbeat heartbeat;
        private volatile NodeAgent agent;
        private volatile boolean closed;
        private Thread starter;

        NodeAgentStarter(NodeAgentProperties properties, KubernetesClient client, ContainerRuntime runtime, Heartbeat heartbeat) {
            this.properties = properties;
            this.client = client;
            this.runtime = runtime;
            this.heartbeat = heartbeat;
        }

        @Override
        public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
            if (starter != null || "management".equals(event.getApplicationContext().getServerNamespace())) return;
            int port = event.getWebServer().getPort();
            starter = Thread.ofVirtual().name("node-agent-start").start(() -> {
                while (!closed) {
                    NodeAgent candidate = new NodeAgent(properties, client, runtime, heartbeat, port, Clock.systemUTC());
                    try {
                        candidate.start();
                        synchronized (this) {
                            if (closed) {
                                candidate.close();
                            } else {
                                agent = candidate;
                            }
                        }
                        return;
                    } catch (RuntimeException e) {
                        candidate.close();
                        log.warn("node agent not started, retrying in {}: {}", RETRY, e.toString());
                        try {
                            Thread.sleep(RETRY);
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
            });
        }

        /** The running agent, or null while it starts. */
        public NodeAgent agent() {
            return agent;
        }

        @Override
        public void close() {
            Thread thread;
            synchronized (this) {
                closed = true;
                thread = starter;
                if (agent != null) agent.close();
            }
            if (thread != null) thread.interrupt();
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
