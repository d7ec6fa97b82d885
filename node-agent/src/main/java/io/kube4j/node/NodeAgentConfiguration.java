package io.kube4j.node;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.node.cri.CriRuntime;
import io.kube4j.node.metrics.MetricsSink;
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
import java.util.ArrayList;
import java.util.List;

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
            config.setUserAgent(io.kube4j.machinery.client.GatewayClients.userAgent("kubelet"));
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
    MetricsSink metricsSink(ObjectProvider<StringRedisTemplate> redis) {
        StringRedisTemplate template = redis.getIfAvailable();
        return template == null ? MetricsSink.none() : MetricsSink.redis(template);
    }

    @Bean
    NodeAgentStarter nodeAgentStarter(NodeAgentProperties properties, KubernetesClient client, ContainerRuntime runtime,
                                      Heartbeat heartbeat, MetricsSink metrics) {
        return new NodeAgentStarter(properties, client, runtime, heartbeat, metrics);
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
        private final MetricsSink metrics;
        private volatile NodeAgent agent;
        private final List<NodeAgent> hollow = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile boolean closed;
        private Thread starter;

        NodeAgentStarter(NodeAgentProperties properties, KubernetesClient client, ContainerRuntime runtime, Heartbeat heartbeat,
                         MetricsSink metrics) {
            this.properties = properties;
            this.client = client;
            this.runtime = runtime;
            this.heartbeat = heartbeat;
            this.metrics = metrics;
        }

        @Override
        public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
            if (starter != null || "management".equals(event.getApplicationContext().getServerNamespace())) return;
            int port = event.getWebServer().getPort();
            int count = properties.nodeCount();
            starter = Thread.ofVirtual().name("node-agent-start").start(() -> {
                if (count == 1) {
                    startOne(properties, runtime, port);
                    return;
                }
                // Hollow nodes start a few at a time: each registers its Node and lists its pods.
                java.util.concurrent.Semaphore starting = new java.util.concurrent.Semaphore(16);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < count && !closed; i++) {
                    NodeAgentProperties node = properties.node(i);
                    ContainerRuntime nodeRuntime = i == 0 ? runtime : new FakeRuntime(node.podCidr(), Clock.systemUTC());
                    starting.acquireUninterruptibly();
                    threads.add(Thread.ofVirtual().name("node-agent-start-" + i).start(() -> {
                        try {
                            startOne(node, nodeRuntime, port);
                        } finally {
                            starting.release();
                        }
                    }));
                }
                for (Thread t : threads) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                synchronized (this) {
                    if (!hollow.isEmpty()) agent = hollow.getFirst();
                }
                log.info("{} hollow nodes started", hollow.size());
            });
        }

        /** Starts one agent and records it, retrying until it starts or the starter closes. */
        private void startOne(NodeAgentProperties node, ContainerRuntime nodeRuntime, int port) {
            while (!closed) {
                NodeAgent candidate = new NodeAgent(node, client, nodeRuntime, heartbeat, metrics, port, Clock.systemUTC());
                try {
                    candidate.start();
                    synchronized (this) {
                        if (closed) {
                            candidate.close();
                        } else if (properties.nodeCount() == 1) {
                            agent = candidate;
                        } else {
                            hollow.add(candidate);
                        }
                        return;
                    }
                } catch (RuntimeException e) {
                    candidate.close();
                    log.warn("node agent {} not started, retrying in {}: {}", node.nodeName(), RETRY, e.toString());
                    try {
                        Thread.sleep(RETRY);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        /** Every running agent: the one node, or the hollow nodes started so far. */
        public List<NodeAgent> agents() {
            NodeAgent one = agent;
            if (!hollow.isEmpty()) return List.copyOf(hollow);
            return one == null ? List.of() : List.of(one);
        }

        /** The running agent (the first hollow one when there are many), or null while it starts. */
        public NodeAgent agent() {
            return agent;
        }

        @Override
        public void close() {
            Thread thread;
            synchronized (this) {
                closed = true;
                thread = starter;
                if (hollow.isEmpty() && agent != null) agent.close();
                hollow.forEach(NodeAgent::close);
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
