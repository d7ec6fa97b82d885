package io.kube4j.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.gateway.GatewayApplication;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.store.relay.RelayApplication;
import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.KafkaProcess;
import io.kube4j.testsupport.Kubectl;
import io.kube4j.testsupport.TestClassesExcluded;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control plane's core as {@code ./kube4j up} runs it, for the end-to-end tests of the roles
 * built on it: a real etcd and a real Kafka broker (child processes), the change-feed relay and
 * the gateway (HTTPS, its own CA and admin token) in this JVM, a kubeconfig for them, the real
 * kubectl, and a fabric8 client. Roles under test start their own services against
 * {@link #kubeconfig()} and {@link #kafkaBootstrapServers()}.
 */
public final class LocalCluster implements AutoCloseable {

    /** Partitions of every change-feed topic, as the launcher configures the relay. */
    public static final int PARTITIONS = 6;

    private final Path dir;
    private final EtcdProcess etcd;
    private final KafkaProcess kafka;
    private ConfigurableApplicationContext relay;
    private final ConfigurableApplicationContext gateway;
    private final Kubectl kubectl;
    private final KubernetesClient client;

    private LocalCluster(Path dir, EtcdProcess etcd, KafkaProcess kafka, ConfigurableApplicationContext relay,
                         ConfigurableApplicationContext gateway) throws IOException {
        this.dir = dir;
        this.etcd = etcd;
        this.kafka = kafka;
        this.relay = relay;
        this.gateway = gateway;
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        String token = Files.readAllLines(dir.resolve("pki/tokens.csv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
        byte[] caPem = Files.readAllBytes(dir.resolve("pki/ca.crt"));
        this.kubectl = Kubectl.forServer("https://127.0.0.1:" + port, caPem, token, dir.resolve("kubectl"));
        this.client = GatewayClients.fromKubeconfig(kubectl.kubeconfig());
    }

    public static LocalCluster start() {
        return start(Map.of());
    }

    /** A cluster whose gateway gets extra properties ({@code name → value}). */
    public static LocalCluster start(Map<String, String> gatewayProperties) {
        EtcdProcess etcd = null;
        KafkaProcess kafka = null;
        // The broker starts while etcd and the gateway do: it is the slowest of the three.
        java.util.concurrent.CompletableFuture<KafkaProcess> kafkaStarting = java.util.concurrent.CompletableFuture.supplyAsync(
                KafkaProcess::start, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        ConfigurableApplicationContext gateway = null;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kube4j-cluster");
            etcd = EtcdProcess.start(dir.resolve("etcd"));
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--kube4j.etcd.endpoints=" + etcd.endpoint(),
                    "--kube4j.gateway.pki-dir=" + dir.resolve("pki"),
                    "--kube4j.gateway.tls.enabled=true",
                    "--management.server.port=-1",
                    "--server.shutdown=immediate",
                    "--spring.main.banner-mode=off"));
            gatewayProperties.forEach((name, value) -> args.add("--" + name + "=" + value));
            gateway = TestClassesExcluded.application(GatewayApplication.class).run(args.toArray(String[]::new));
            kafka = kafkaStarting.join();
            ConfigurableApplicationContext relay = startRelay(etcd, kafka);
            return new LocalCluster(dir, etcd, kafka, relay, gateway);
        } catch (IOException | RuntimeException e) {
            if (gateway != null) gateway.close();
            if (kafka == null) kafka = kafkaStarting.exceptionally(failed -> null).join();
            if (kafka != null) kafka.close();
            if (etcd != null) etcd.close();
            Directories.deleteRecursively(dir);
            if (e instanceof java.util.concurrent.CompletionException c && c.getCause() instanceof RuntimeException cause) throw cause;
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static ConfigurableApplicationContext startRelay(EtcdProcess etcd, KafkaProcess kafka) {
        SpringApplication app = TestClassesExcluded.application(RelayApplication.class);
        app.setDefaultProperties(Map.of(
                "spring.application.name", "kube4j-relay",
                "management.endpoints.web.exposure.include", "health"));
        return app.run(
                "--server.port=0",
                "--management.server.port=-1",
                "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--kube4j.relay.etcd-endpoints=" + etcd.endpoint(),
                "--kube4j.relay.partitions=" + PARTITIONS);
    }

    /** Stops the relay as a crash would end it (its context closes; etcd keeps its checkpoint) and starts a new one. */
    public synchronized void restartRelay() {
        relay.close();
        relay = startRelay(etcd, kafka);
    }

    /** A kubeconfig with the admin credential, for the services under test and for kubectl. */
    public Path kubeconfig() {
        return kubectl.kubeconfig();
    }

    public Kubectl kubectl() {
        return kubectl;
    }

    /** A fabric8 client of the gateway, shared: do not close it. */
    public KubernetesClient client() {
        return client;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public EtcdProcess etcd() {
        return etcd;
    }

    public KafkaProcess kafka() {
        return kafka;
    }

    /** A scratch directory of this cluster's under the system's temp directory, removed by {@link #close()}. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        client.close();
        gateway.close();
        relay.close();
        kafka.close();
        etcd.close();
        Directories.deleteRecursively(dir);
    }
}
