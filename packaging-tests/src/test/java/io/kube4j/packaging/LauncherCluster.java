package io.kube4j.packaging;

import io.kube4j.testcontainers.Kube4jCluster;

import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster a user gets from {@code ./kube4j up} — every service, a real node with containerd,
 * the proxy's rules — in a temporary {@code KUBE4J_HOME} on free ports. Starting it takes minutes,
 * so the test classes that need it share one: {@link Extension} starts it for the first test that
 * asks for a {@code LauncherCluster} parameter and runs {@code ./kube4j down --purge} when the test
 * run ends. Tests sharing it keep to their own object names and labels.
 */
final class LauncherCluster implements AutoCloseable {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String[] PORTS = {"ETCD_PORT", "ETCD_PEER_PORT", "KAFKA_PORT", "KAFKA_CONTROLLER_PORT",
            "REDIS_PORT", "RELAY_PORT", "GATEWAY_PORT", "CONTROLLERS_PORT", "SCHEDULER_PORT", "NODE_PORT", "PROXY_PORT",
            "DNS_PORT", "INGRESS_HTTP_PORT", "INGRESS_HTTPS_PORT"};

    private final Path home;
    private final Map<String, String> environment;
    private final Kubectl kubectl;

    private LauncherCluster(Path home, Map<String, String> environment) {
        this.home = home;
        this.environment = Map.copyOf(environment);
        this.kubectl = Kubectl.forKubeconfig(home.resolve("kubeconfig"));
    }

    static LauncherCluster up() throws IOException {
        Path home = Files.createTempDirectory("kube4j-launcher");
        Map<String, String> environment = new HashMap<>(Map.of("KUBE4J_HOME", home.toString()));
        for (String port : PORTS) environment.put("KUBE4J_" + port, Integer.toString(EtcdProcess.freePort()));
        // A test cluster favours start-up over peak throughput, as the Testcontainers cluster does.
        environment.put("KUBE4J_JAVA_OPTS", "-Xms256m -Xmx2g " + Kube4jCluster.START_UP_JVM_OPTIONS);
        environment.put("KUBE4J_KAFKA_HEAP", "-Xms256m -Xmx512m " + Kube4jCluster.START_UP_JVM_OPTIONS);
        LauncherCluster cluster = new LauncherCluster(home, environment);
        DockerDaemon.Result up = DockerDaemon.run(ROOT, environment, Duration.ofMinutes(15), "./kube4j", "up");
        if (up.exitCode() != 0) cluster.close();
        assertThat(up.exitCode()).as(up.output()).isZero();
        return cluster;
    }

    /** The instance's directory ({@code KUBE4J_HOME}); on the node's file system too. */
    Path home() {
        return home;
    }

    /** A launcher setting of this instance, e.g. {@code KUBE4J_DNS_PORT}. */
    String setting(String name) {
        return environment.get(name);
    }

    Kubectl kubectl() {
        return kubectl;
    }

    /** Runs {@code ./kube4j ARGS} on this instance (its home and ports), e.g. {@code up --nodes 2}. */
    DockerDaemon.Result launcher(Duration timeout, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "./kube4j";
        System.arraycopy(args, 0, command, 1, args.length);
        return DockerDaemon.run(ROOT, environment, timeout, command);
    }

    @Override
    public void close() {
        DockerDaemon.run(ROOT, environment, Duration.ofMinutes(3), "./kube4j", "down", "--purge");
        Directories.deleteRecursively(home);
    }

    /** Resolves {@code LauncherCluster} parameters with the one cluster of this test run. */
    static final class Extension implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == LauncherCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(LauncherCluster.class))
                    .computeIfAbsent("cluster", key -> {
                        try {
                            return up();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, LauncherCluster.class);
        }
    }
}
