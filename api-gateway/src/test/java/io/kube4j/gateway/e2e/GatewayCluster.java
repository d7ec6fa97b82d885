package io.kube4j.gateway.e2e;

import io.kube4j.store.Store;
import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.Kubectl;
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
 * A real etcd and a real gateway (HTTPS, its own CA and token) in this JVM, with a kubectl
 * configured for them: what a user gets from {@code ./kube4j up}, minus the other services.
 */
final class GatewayCluster implements AutoCloseable {

    final EtcdProcess etcd;
    final ConfigurableApplicationContext gateway;
    final Path dir;
    final int port;
    final String token;
    final byte[] caPem;
    final Kubectl kubectl;

    private GatewayCluster(EtcdProcess etcd, ConfigurableApplicationContext gateway, Path dir) throws IOException {
        this.etcd = etcd;
        this.gateway = gateway;
        this.dir = dir;
        this.port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        this.token = Files.readAllLines(dir.resolve("pki/tokens.csv")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().split(",")[0];
        this.caPem = Files.readAllBytes(dir.resolve("pki/ca.crt"));
        this.kubectl = Kubectl.forServer(url(), caPem, token, dir.resolve("kubectl"));
    }

    static GatewayCluster start() {
        return start(Map.of());
    }

    /**
     * Starts a cluster whose gateway gets extra properties, e.g.
     * {@code kube4j.gateway.watch-cache-capacity=50}; they override the defaults below.
     */
    static GatewayCluster start(Map<String, String> properties) {
        try {
            Path dir = Files.createTempDirectory("kube4j-e2e");
            EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
            SpringApplication app = GatewayLauncher.application();
            List<String> args = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--kube4j.etcd.endpoints=" + etcd.endpoint(),
                    "--kube4j.gateway.pki-dir=" + dir.resolve("pki"),
                    "--kube4j.gateway.tls.enabled=true",
                    "--management.server.port=-1",
                    // Watches kubectl left open would hold a graceful shutdown for its full 30 s.
                    "--server.shutdown=immediate",
                    "--spring.main.banner-mode=off"));
            properties.forEach((name, value) -> args.add("--" + name + "=" + value));
            ConfigurableApplicationContext context = app.run(args.toArray(String[]::new));
            return new GatewayCluster(etcd, context, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** etcd's current revision, read straight from etcd: it moves with every write. */
    long etcdRevision() {
        return store().currentRevision();
    }

    /** The gateway's own store, e.g. to compact etcd as its compactor would. */
    Store store() {
        return gateway.getBean(Store.class);
    }

    String url() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        gateway.close();
        etcd.close();
        Directories.deleteRecursively(dir);
    }
}
