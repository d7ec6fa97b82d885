package io.kube4j.testcontainers;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole kube4j cluster in containers, in the spirit of Testcontainers' K3sContainer: etcd,
 * Kafka (Testcontainers' Kafka module), Redis, the change-feed relay, the API gateway, the
 * controllers, the scheduler and one node (containerd in the node agent's container, the proxy
 * agent in its network namespace), on a network of their own. {@link #start()} returns once the
 * node is up; {@link #kubeconfig()} and {@link #client()} reach the gateway from the test.
 *
 * <p>The images are kube4j's ({@code ./kube4j images} builds them where no registry answers);
 * {@link Kube4jImages} names them. The node container needs every capability but
 * {@code SYS_RESOURCE}, no seccomp profile and every device (as docker-compose.yml's node-agent),
 * since containerd and runc run inside it. Where Testcontainers' Ryuk image cannot be pulled, set
 * {@code TESTCONTAINERS_RYUK_DISABLED=true}: {@link #stop()} removes every container and the
 * network itself. Not thread-safe: one test class (or the {@link Kube4jExtension}) drives it.
 */
public class Kube4jCluster implements Startable, AutoCloseable {

    /** How long a JVM role may take to become healthy on a busy machine. */
    private static final Duration ROLE_STARTUP = Duration.ofMinutes(10);
    private static final String KUBECONFIG_IN_CONTAINER = "/var/lib/kube4j/kubeconfig/kubeconfig";
    private static final int PARTITIONS = 6;
    private static final String KAFKA_IN_NETWORK = "kafka:19092";

    private final Kube4jImages images;
    private final Network network = Network.newNetwork();
    private final GenericContainer<?> etcd;
    private final KafkaContainer kafka;
    private final GenericContainer<?> redis;
    private final GenericContainer<?> relay;
    private final GenericContainer<?> gateway;
    private final List<GenericContainer<?>> started = new ArrayList<>();
    private GenericContainer<?> controllers;
    private GenericContainer<?> scheduler;
    private GenericContainer<?> node;
    private GenericContainer<?> proxy;
    private String kubeconfig;
    private KubernetesClient client;

    public Kube4jCluster() {
        this(Kube4jImages.fromEnvironment());
    }

    @SuppressWarnings("resource")
    public Kube4jCluster(Kube4jImages images) {
        this.images = images;
        etcd = new GenericContainer<>(image("etcd"))
                .withNetwork(network).withNetworkAliases("etcd")
                .withCommand("etcd", "--name=etcd", "--data-dir=/var/lib/etcd/data",
                        "--listen-client-urls=http://0.0.0.0:2379", "--advertise-client-urls=http://etcd:2379",
                        "--listen-peer-urls=http://0.0.0.0:2380", "--initial-advertise-peer-urls=http://etcd:2380",
                        "--initial-cluster=etcd=http://etcd:2380")
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
        // The module starts the broker through /etc/kafka/docker/run, as in apache/kafka's image;
        // kube4j's image has one, behind an entrypoint of its own that must step aside.
        kafka = new KafkaContainer(image("kafka").asCompatibleSubstituteFor("apache/kafka"))
                .withNetwork(network)
                .withListener(KAFKA_IN_NETWORK)
                .withEnv("KAFKA_HEAP_OPTS", "-Xms128m -Xmx384m")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/env"))
                .withStartupTimeout(Duration.ofMinutes(5));
        redis = new GenericContainer<>(image("redis"))
                .withNetwork(network).withNetworkAliases("redis")
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
        relay = role("relay", Map.of(
                "KUBE4J_RELAY_ETCDENDPOINTS", "http://etcd:2379",
                "KUBE4J_RELAY_PARTITIONS", Integer.toString(PARTITIONS),
                "SPRING_KAFKA_BOOTSTRAPSERVERS", KAFKA_IN_NETWORK));
        gateway = role("gateway", Map.of(
                "KUBE4J_ETCD_ENDPOINTS", "http://etcd:2379",
                // The test reaches the gateway at the Docker host's address (getHost()): the serving
                // certificate names it, as well as the name the roles use.
                "KUBE4J_GATEWAY_TLS_EXTRASANS", "gateway,localhost," + DockerClientFactory.instance().dockerHostIpAddress(),
                "SPRING_DATA_REDIS_HOST", "redis"))
                .withNetworkAliases("gateway")
                .withExposedPorts(6443);
    }

    /** Starts every container; the node has registered (its agent is healthy) when this returns. */
    @Override
    public void start() {
        try {
            startAll(etcd, kafka, redis);
            startAll(relay, gateway);
            kubeconfig = exec(gateway, "kube4j-kubeconfig", "https://" + gateway.getHost() + ":" + gateway.getMappedPort(6443), "-");
            String inNetwork = exec(gateway, "kube4j-kubeconfig", "https://gateway:6443", "-");

            controllers = role("controllers", Map.of(
                    "KUBE4J_CONTROLLERS_KUBECONFIG", KUBECONFIG_IN_CONTAINER,
                    "KUBE4J_CONTROLLERS_KAFKABOOTSTRAPSERVERS", KAFKA_IN_NETWORK,
                    "KUBE4J_CONTROLLERS_PARTITIONS", Integer.toString(PARTITIONS),
                    "SPRING_DATA_REDIS_HOST", "redis"));
            scheduler = role("scheduler", Map.of(
                    "KUBE4J_SCHEDULER_KUBECONFIG", KUBECONFIG_IN_CONTAINER,
                    "KUBE4J_SCHEDULER_KAFKABOOTSTRAPSERVERS", KAFKA_IN_NETWORK,
                    "KUBE4J_SCHEDULER_PARTITIONS", Integer.toString(PARTITIONS)));
            node = role("node", Map.of(
                    "KUBE4J_NODE_KUBECONFIG", KUBECONFIG_IN_CONTAINER,
                    "SPRING_DATA_REDIS_HOST", "redis"))
                    .withTmpFs(Map.of("/run", "rw", "/tmp", "rw"))
                    .withCreateContainerCmdModifier(cmd -> {
                        // containerd's snapshots need a volume (overlay on overlay fails).
                        cmd.withVolumes(new Volume("/var/lib/containerd"));
                        cmd.getHostConfig()
                                .withCapAdd(Capability.ALL)
                                .withCapDrop(Capability.SYS_RESOURCE)
                                .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                                .withDeviceCgroupRules(List.of("a *:* rwm"));
                    });
            for (GenericContainer<?> role : List.of(controllers, scheduler, node)) {
                role.withCopyToContainer(Transferable.of(inNetwork, 0644), KUBECONFIG_IN_CONTAINER);
            }
            startAll(controllers, scheduler, node);

            // The proxy agent lives in the node's network namespace: one network identity per node.
            proxy = new GenericContainer<>(image("proxy"))
                    .withNetworkMode("container:" + node.getContainerId())
                    .withEnv(Map.of("KUBE4J_PROXY_KUBECONFIG", KUBECONFIG_IN_CONTAINER,
                            "JAVA_TOOL_OPTIONS", "-Xms64m -Xmx256m"))
                    .withCopyToContainer(Transferable.of(inNetwork, 0644), KUBECONFIG_IN_CONTAINER)
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW))
                    .waitingFor(Wait.forHealthcheck().withStartupTimeout(ROLE_STARTUP));
            startAll(proxy);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops and removes every container, then the network; idempotent. */
    @Override
    public void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        started.clear();
        network.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** An admin kubeconfig (YAML) that reaches the gateway from the test's host. */
    public String kubeconfig() {
        if (kubeconfig == null) throw new IllegalStateException("the cluster is not started");
        return kubeconfig;
    }

    /** A fabric8 client on {@link #kubeconfig()}; the cluster closes it on {@link #stop()}. */
    public KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig())).build();
        }
        return client;
    }

    /** The node's container: the Node's name is its host name and its InternalIP its address. */
    public GenericContainer<?> node() {
        if (node == null) throw new IllegalStateException("the cluster is not started");
        return node;
    }

    /** The gateway's container, e.g. to stop and restart it. */
    public GenericContainer<?> gateway() {
        return gateway;
    }

    /** The images this cluster runs. */
    public Kube4jImages images() {
        return images;
    }

    private GenericContainer<?> role(String image, Map<String, String> env) {
        return new GenericContainer<>(image(image))
                .withNetwork(network)
                .withEnv(env)
                .withEnv("JAVA_TOOL_OPTIONS", "-Xms64m -Xmx512m")
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(ROLE_STARTUP));
    }

    private DockerImageName image(String name) {
        return DockerImageName.parse(images.name(name));
    }

    private void startAll(GenericContainer<?>... containers) {
        started.addAll(List.of(containers));
        Startables.deepStart(containers).join();
    }

    private static String exec(GenericContainer<?> container, String... command) {
        try {
            Container.ExecResult result = container.execInContainer(command);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + result.getExitCode() + "): " + result.getStderr());
            }
            return result.getStdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
