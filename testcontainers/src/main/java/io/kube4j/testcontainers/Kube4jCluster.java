package io.kube4j.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Volume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole kube4j cluster in containers, in the spirit of Testcontainers' K3sContainer: etcd,
 * Kafka (Testcontainers' Kafka module), Redis, the change-feed relay, the API gateway, the
 * controllers, the scheduler and one or more nodes, on a network of their own. {@link #start()}
 * returns once every node is up; {@link #kubeconfig()} and {@link #client()} reach the gateway
 * from the test.
 *
 * <pre>{@code
 * try (Kube4jCluster cluster = new Kube4jCluster().withNodes(2)) {
 *     cluster.start();
 *     cluster.client().pods().inNamespace("default").list();
 * }
 * }</pre>
 *
 * <p>Nodes: node {@code i} (from 1 to {@link #withNodes(int) the node count}) is a container of its
 * own with its own containerd, named {@code kube4j-node-i} (host name, network alias and Node
 * name), with the podCIDR {@code 10.244.i.0/24} and its own proxy agent in its network namespace.
 * Its InternalIP is its address on the cluster's network; the proxy agents route each other node's
 * podCIDR through that address, so pods reach pods of other nodes by pod IP and through Services,
 * and a NodePort answers at every node's address, which the test's host reaches.
 *
 * <p>Crash tests: {@link #kill} stops containers with SIGKILL, {@link #restart} starts them again
 * and waits until they are healthy. A container keeps its file system across both (etcd's and
 * Kafka's data, the gateway's CA and token, the node's containerd volume); the gateway and Kafka are
 * published on fixed host ports, so {@link #kubeconfig()} and {@link #client()} keep working after
 * a restart.
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
    /** Ready as soon as the container runs: for nodes, whose health is awaited after their proxies start. */
    private static final WaitStrategy RUNNING = new WaitStrategy() {
        @Override
        public void waitUntilReady(WaitStrategyTarget target) {
        }

        @Override
        public WaitStrategy withStartupTimeout(Duration startupTimeout) {
            return this;
        }
    };
    /** The most nodes: podCIDRs are 10.244.1.0/24 to 10.244.254.0/24. */
    public static final int MAX_NODES = 254;
    /**
     * The JVM options every Java container gets unless {@link #withJvmOptions} says otherwise: the
     * client compiler only and the serial collector. A test cluster lives minutes and spends most of
     * its CPU starting up; these roughly halve the CPU a service needs to become healthy, at the cost
     * of peak throughput that tests do not need.
     */
    public static final String START_UP_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

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
    private final List<GenericContainer<?>> nodes = new ArrayList<>();
    private final List<GenericContainer<?>> proxies = new ArrayList<>();
    private int nodeCount = 1;
    private String jvmOptions = START_UP_JVM_OPTIONS;
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
        // Fixed host ports: Docker picks new ephemeral ones when a stopped container starts again,
        // and the kubeconfig and Kafka's advertised listener name the first ones.
        gateway.setPortBindings(List.of(freePort() + ":6443"));
        kafka.setPortBindings(List.of(freePort() + ":9092"));
    }

    /**
     * Runs {@code count} nodes instead of one; call before {@link #start()}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= count <= }{@link #MAX_NODES}
     * @throws IllegalStateException    once the cluster has started
     */
    public Kube4jCluster withNodes(int count) {
        if (count < 1 || count > MAX_NODES) {
            throw new IllegalArgumentException("a cluster has 1 to " + MAX_NODES + " nodes, not " + count);
        }
        requireNotStarted();
        nodeCount = count;
        return this;
    }

    /**
     * JVM options for every Java container (the roles and Kafka) instead of {@link #START_UP_JVM_OPTIONS};
     * an empty string gives the JVM's defaults, e.g. for measuring throughput. Call before {@link #start()}.
     *
     * @throws IllegalStateException once the cluster has started
     */
    public Kube4jCluster withJvmOptions(String options) {
        requireNotStarted();
        jvmOptions = options == null ? "" : options.strip();
        return this;
    }

    private void requireNotStarted() {
        if (kubeconfig != null || !nodes.isEmpty()) throw new IllegalStateException("the cluster has started");
    }

    /** How many nodes this cluster runs. */
    public int nodeCount() {
        return nodeCount;
    }

    /** The name of node {@code number} (from 1): its container's host name and network alias and its Node's name. */
    public static String nodeName(int number) {
        checkNodeNumber(number);
        return "kube4j-node-" + number;
    }

    /** The podCIDR of node {@code number} (from 1). */
    public static String podCidr(int number) {
        checkNodeNumber(number);
        return "10.244." + number + ".0/24";
    }

    /** The names of this cluster's nodes, in order. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) names.add(nodeName(i));
        return List.copyOf(names);
    }

    /** Starts every container; every node has registered (its agents are healthy) when this returns. */
    @Override
    public void start() {
        try {
            kafka.withEnv("KAFKA_OPTS", jvmOptions);
            relay.withEnv("KUBE4J_JAVA_OPTS", jvmOptions);
            gateway.withEnv("KUBE4J_JAVA_OPTS", jvmOptions);
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
            for (int number = 1; number <= nodeCount; number++) nodes.add(node(number));
            List<GenericContainer<?>> roles = new ArrayList<>(List.of(controllers, scheduler));
            roles.addAll(nodes);
            for (GenericContainer<?> role : roles) {
                role.withCopyToContainer(Transferable.of(inNetwork, 0644), KUBECONFIG_IN_CONTAINER);
            }
            // Each proxy agent lives in its node's network namespace (one network identity per node),
            // so it can start as soon as its node's container runs: the nodes start first without
            // waiting, then every other role and the proxies start together, then the nodes are awaited.
            for (GenericContainer<?> node : nodes) node.waitingFor(RUNNING);
            startAll(nodes.toArray(GenericContainer<?>[]::new));
            for (int number = 1; number <= nodeCount; number++) {
                proxies.add(proxy(nodes.get(number - 1), nodeName(number), inNetwork));
            }
            List<GenericContainer<?>> rest = new ArrayList<>(List.of(controllers, scheduler));
            rest.addAll(proxies);
            startAll(rest.toArray(GenericContainer<?>[]::new));
            for (GenericContainer<?> node : nodes) {
                Wait.forHealthcheck().withStartupTimeout(ROLE_STARTUP).waitUntilReady(node);
                node.waitingFor(Wait.forHealthcheck().withStartupTimeout(ROLE_STARTUP));
            }
        } catch (RuntimeException e) {
            // Testcontainers says only which image timed out: the failing roles' own words go with it.
            IllegalStateException failure = new IllegalStateException("the cluster did not start: " + e.getMessage() + unhealthyRoles(), e);
            stop();
            throw failure;
        }
    }

    /** The state and last log lines of every started container that is not running and healthy. */
    private String unhealthyRoles() {
        StringBuilder out = new StringBuilder();
        DockerClient docker = DockerClientFactory.instance().client();
        for (GenericContainer<?> container : started) {
            String id = container.getContainerId();
            if (id == null) continue;
            try {
                InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
                boolean running = Boolean.TRUE.equals(state.getRunning());
                if (running && healthy(state)) continue;
                out.append("\n--- ").append(container.getDockerImageName())
                        .append(running ? " running, " + state.getHealth().getStatus() : " exited (" + state.getExitCodeLong() + ")")
                        .append(", its log ends:\n").append(tail(container.getLogs()));
            } catch (RuntimeException inspectFailed) {
                out.append("\n--- ").append(container.getDockerImageName()).append(": ").append(inspectFailed);
            }
        }
        return out.toString();
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

    /** The first node's container: the Node's name is its host name and its InternalIP its address. */
    public GenericContainer<?> node() {
        return nodes().getFirst();
    }

    /** Every node's container, node 1 first (containerd and the node agent). */
    public List<GenericContainer<?>> nodes() {
        if (nodes.isEmpty()) throw new IllegalStateException("the cluster is not started");
        return Collections.unmodifiableList(nodes);
    }

    /** Every node's proxy agent container, in the order of {@link #nodes()}; each shares its node's network namespace. */
    public List<GenericContainer<?>> proxies() {
        if (proxies.isEmpty()) throw new IllegalStateException("the cluster is not started");
        return Collections.unmodifiableList(proxies);
    }

    public GenericContainer<?> etcd() {
        return etcd;
    }

    public KafkaContainer kafka() {
        return kafka;
    }

    public GenericContainer<?> redis() {
        return redis;
    }

    /** The state store's change-feed relay (etcd to Kafka). */
    public GenericContainer<?> relay() {
        return relay;
    }

    public GenericContainer<?> gateway() {
        return gateway;
    }

    public GenericContainer<?> controllers() {
        if (controllers == null) throw new IllegalStateException("the cluster is not started");
        return controllers;
    }

    public GenericContainer<?> scheduler() {
        if (scheduler == null) throw new IllegalStateException("the cluster is not started");
        return scheduler;
    }

    /**
     * Kills each container with SIGKILL, as a crash would, and returns once all have stopped. They
     * stay, stopped, until {@link #restart} starts them again (or {@link #stop()} removes them).
     * Killing a node takes its network namespace away from its proxy agent: restart both.
     */
    public void kill(GenericContainer<?>... containers) {
        DockerClient docker = DockerClientFactory.instance().client();
        for (GenericContainer<?> container : containers) {
            docker.killContainerCmd(container.getContainerId()).withSignal("SIGKILL").exec();
        }
        for (GenericContainer<?> container : containers) {
            docker.waitContainerCmd(container.getContainerId()).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts stopped containers of this cluster again and waits until every one is healthy (running,
     * for one without a health check). They start one after another in the order of the addresses
     * they had, those sharing another container's network (proxy agents) last: Docker hands a
     * starting container the lowest free address, so each gets its own back. What a container
     * depends on must be running (or be in the same call, earlier): etcd, Kafka and Redis before
     * the relay and the gateway, the gateway before the roles, a node before its proxy agent.
     *
     * @throws IllegalStateException when a container exits or is not healthy within ten minutes
     */
    public void restart(GenericContainer<?>... containers) {
        DockerClient docker = DockerClientFactory.instance().client();
        List<GenericContainer<?>> order = new ArrayList<>(List.of(containers));
        order.sort(Comparator.comparingLong(Kube4jCluster::addressOrder));
        for (GenericContainer<?> container : order) {
            docker.startContainerCmd(container.getContainerId()).exec();
        }
        for (GenericContainer<?> container : order) {
            awaitHealthy(docker, container, ROLE_STARTUP);
        }
    }

    /** The images this cluster runs. */
    public Kube4jImages images() {
        return images;
    }

    @SuppressWarnings("resource")
    private GenericContainer<?> node(int number) {
        String name = nodeName(number);
        return role("node", Map.of(
                "KUBE4J_NODE_KUBECONFIG", KUBECONFIG_IN_CONTAINER,
                "SPRING_DATA_REDIS_HOST", "redis",
                "KUBE4J_NODE_PODCIDR", podCidr(number),
                // The proxy agents route to other nodes' pods, from their Node objects.
                "KUBE4J_NODE_PEER_ROUTES", "false"))
                .withNetworkAliases(name)
                .withTmpFs(Map.of("/run", "rw", "/tmp", "rw"))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withHostName(name);
                    // containerd's snapshots need a volume (overlay on overlay fails).
                    cmd.withVolumes(new Volume("/var/lib/containerd"));
                    cmd.getHostConfig()
                            .withCapAdd(Capability.ALL)
                            .withCapDrop(Capability.SYS_RESOURCE)
                            .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                            .withDeviceCgroupRules(List.of("a *:* rwm"));
                });
    }

    @SuppressWarnings("resource")
    private GenericContainer<?> proxy(GenericContainer<?> node, String nodeName, String inNetwork) {
        return new GenericContainer<>(image("proxy"))
                .withNetworkMode("container:" + node.getContainerId())
                .withEnv(Map.of("KUBE4J_PROXY_KUBECONFIG", KUBECONFIG_IN_CONTAINER,
                        "KUBE4J_PROXY_NODENAME", nodeName,
                        "JAVA_TOOL_OPTIONS", "-Xms64m -Xmx256m",
                        "KUBE4J_JAVA_OPTS", jvmOptions))
                .withCopyToContainer(Transferable.of(inNetwork, 0644), KUBECONFIG_IN_CONTAINER)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(ROLE_STARTUP));
    }

    private GenericContainer<?> role(String image, Map<String, String> env) {
        return new GenericContainer<>(image(image))
                .withNetwork(network)
                .withEnv(env)
                .withEnv("JAVA_TOOL_OPTIONS", "-Xms64m -Xmx512m")
                .withEnv("KUBE4J_JAVA_OPTS", jvmOptions)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(ROLE_STARTUP));
    }

    private DockerImageName image(String name) {
        return DockerImageName.parse(images.name(name));
    }

    private void startAll(GenericContainer<?>... containers) {
        started.addAll(List.of(containers));
        Startables.deepStart(containers).join();
    }

    private static void checkNodeNumber(int number) {
        if (number < 1 || number > MAX_NODES) throw new IllegalArgumentException("nodes are numbered 1 to " + MAX_NODES + ", not " + number);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container's last address as a number; one without an address of its own (sharing another's network) sorts last. */
    private static long addressOrder(GenericContainer<?> container) {
        Map<String, ContainerNetwork> networks = container.getContainerInfo().getNetworkSettings().getNetworks();
        for (ContainerNetwork network : networks.values()) {
            String ip = network.getIpAddress();
            if (ip == null || ip.isBlank()) continue;
            try {
                long value = 0;
                for (byte b : InetAddress.getByName(ip).getAddress()) value = (value << 8) | (b & 0xff);
                return value;
            } catch (UnknownHostException e) {
                throw new IllegalStateException("not an address: " + ip, e);
            }
        }
        return Long.MAX_VALUE;
    }

    private static void awaitHealthy(DockerClient docker, GenericContainer<?> container, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(container.getContainerId()).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                throw new IllegalStateException(container.getDockerImageName() + " exited (" + state.getExitCodeLong() + ") after its restart:\n"
                        + tail(container.getLogs()));
            }
            if (healthy(state)) return;
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(container.getDockerImageName() + " not healthy within " + timeout + " of its restart:\n"
                        + tail(container.getLogs()));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Healthy by its health check, or without one (running is all it can say). */
    private static boolean healthy(InspectContainerResponse.ContainerState state) {
        return state.getHealth() == null || "healthy".equals(state.getHealth().getStatus());
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
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
