package io.kube4j.packaging;

import io.kube4j.testsupport.DockerDaemon;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's day-one walkthrough ({@link DayOneWalkthrough}) on the cluster a user gets from
 * {@code ./kube4j up} (every service, a real node with containerd, the proxy's nftables rules).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherWalkthroughTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private Path home;
    private Map<String, String> environment;
    private Kubectl kubectl;

    @BeforeAll
    void up() throws Exception {
        home = Files.createTempDirectory("kube4j-launcher");
        environment = new HashMap<>(Map.of("KUBE4J_HOME", home.toString()));
        for (String port : new String[]{"ETCD_PORT", "ETCD_PEER_PORT", "KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "REDIS_PORT",
                "RELAY_PORT", "GATEWAY_PORT", "CONTROLLERS_PORT", "SCHEDULER_PORT", "NODE_PORT", "PROXY_PORT", "DNS_PORT"}) {
            environment.put("KUBE4J_" + port, Integer.toString(EtcdProcess.freePort()));
        }
        DockerDaemon.Result up = DockerDaemon.run(ROOT, environment, Duration.ofMinutes(15), "./kube4j", "up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        kubectl = Kubectl.forKubeconfig(home.resolve("kubeconfig"));
    }

    @AfterAll
    void down() {
        if (home != null) DockerDaemon.run(ROOT, environment, Duration.ofMinutes(3), "./kube4j", "down", "--purge");
    }

    @Test
    void theDayOneWalkthroughPasses() throws Exception {
        DayOneWalkthrough.passes(kubectl, "127.0.0.1");
    }
}
