package io.kube4j.node.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.gateway.GatewayApplication;
import io.kube4j.node.NodeAgentApplication;
import io.kube4j.testsupport.ContainerdProcess;
import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.ServerProcess;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A one-node cluster for end-to-end tests: real etcd, the real gateway (HTTPS, in this JVM), a
 * real Redis, a private containerd, and the node agent (in this JVM) with the {@code cri} runtime,
 * reaching the gateway through a kubeconfig as {@code ./kube4j up} writes it.
 */
final class NodeCluster implements AutoCloseable {

    final Path dir;
    final EtcdProcess etcd;
    final ConfigurableApplicationContext gateway;
    final Process redis;
    final int redisPort;
    final ContainerdProcess containerd;
    final ConfigurableApplicationContext agent;
    final int agentPort;
    final Path kubeconfig;
    final KubernetesClient client;
    final String nodeName;

    private NodeCluster(Path dir, EtcdProcess etcd, ConfigurableApplicationContext gateway, Process redis, int redisPort,
                        ContainerdProcess containerd, ConfigurableApplicationContext agent, Path kubeconfig, String nodeName) {
        this.dir = dir;
        this.etcd = etcd;
        this.gateway = gateway;
        this.redis = redis;
        this.redisPort = redisPort;
        this.containerd = containerd;
        this.agent = agent;
        this.agentPort = ((WebServerApplicationContext) agent).getWebServer().getPort();
        this.kubeconfig = kubeconfig;
        this.nodeName = nodeName;
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            // A loaded machine may answer a create after the default 10 s; a retry would then see AlreadyExists.
            config.setRequestTimeout(60_000);
            config.setRequestRetryBackoffLimit(0);
            this.client = new KubernetesClientBuilder().withConfig(config).build();
            // No controllers run here: what their serviceaccount and root-ca-cert-publisher controllers keep in a
            // namespace (the account pods run as, the CA their token volume projects) is made as they would.
            client.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata().withName("default").endMetadata().build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
            String ca = new String(java.util.Base64.getDecoder().decode(config.getCaCertData()), java.nio.charset.StandardCharsets.UTF_8);
            client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("kube-root-ca.crt").endMetadata().addToData("ca.crt", ca).build())
                    .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NodeCluster start(String nodeName) {
        return start(nodeName, List.of());
    }

    /** The cluster with the agent given {@code agentArgs} besides its usual ones. */
    static NodeCluster start(String nodeName, List<String> agentArgs) {
        try {
            Path dir = Files.createTempDirectory("kube4j-node-e2e");
            EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
            int redisPort = ServerProcess.freePort();
            Process redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(redisPort),
                    "--save", "", "--appendonly", "no").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            ConfigurableApplicationContext gateway = new SpringApplication(GatewayApplication.class).run(
                    "--server.port=0",
                    "--kube4j.etcd.endpoints=" + etcd.endpoint(),
                    "--kube4j.gateway.pki-dir=" + dir.resolve("pki"),
                    "--kube4j.gateway.tls.enabled=true",
                    // The agent writes metrics there and the gateway serves them as metrics.k8s.io.
                    "--spring.data.redis.port=" + redisPort,
                    "--management.server.port=-1",
                    "--server.shutdown=immediate",
                    "--spring.main.banner-mode=off");
            int gatewayPort = ((WebServerApplicationContext) gateway).getWebServer().getPort();
            Path kubeconfig = writeKubeconfig(dir, gatewayPort);


            ContainerdProcess containerd = ContainerdProcess.start();
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--kube4j.node.name=" + nodeName,
                    "--kube4j.node.kubeconfig=" + kubeconfig,
                    "--kube4j.node.pod-cidr=" + containerd.podCidr(),
                    "--kube4j.node.cri-socket=" + containerd.socket(),
                    "--kube4j.node.root-dir=" + dir.resolve("node"),
                    "--kube4j.node.status-period=2s",
                    "--spring.data.redis.port=" + redisPort,
                    // The gateway's TLS preparation is on this class path too; the agent serves plain HTTP.
                    "--kube4j.gateway.tls.enabled=false",
                    "--spring.main.banner-mode=off"));
            args.addAll(agentArgs);
            ConfigurableApplicationContext agent = NodeAgentApplication.application().run(args.toArray(String[]::new));
            return new NodeCluster(dir, etcd, gateway, redis, redisPort, containerd, agent, kubeconfig, nodeName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeKubeconfig(Path dir, int port) throws IOException {
        byte[] ca = Files.readAllBytes(dir.resolve("pki/ca.crt"));
        String token = Files.readAllLines(dir.resolve("pki/tokens.csv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: kube4j
                  cluster:
                    server: https://127.0.0.1:%d
                    certificate-authority-data: %s
                users:
                - name: admin
                  user:
                    token: %s
                contexts:
                - name: kube4j
                  context:
                    cluster: kube4j
                    user: admin
                current-context: kube4j
                """.formatted(port, Base64.getEncoder().encodeToString(ca), token));
        return file;
    }

    @Override
    public void close() {
        client.close();
        agent.close();
        containerd.close();
        redis.destroy();
        try {
            redis.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
        etcd.close();
        Directories.deleteRecursively(dir);
    }
}
