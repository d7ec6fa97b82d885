package io.kube4j.gateway.e2e;

import com.sun.net.httpserver.HttpServer;
import io.kube4j.testsupport.Kubectl;
import io.kube4j.testsupport.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl get componentstatuses}: the gateway probes the scheduler's and the controller manager's health
 * endpoints and etcd when asked. Here a stand-in answers as a healthy scheduler and nothing listens where the
 * controller manager is said to be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlComponentStatusTest {

    private HttpServer scheduler;
    private int absentPort;
    private GatewayCluster cluster;
    private Kubectl kubectl;

    @BeforeAll
    void start() throws Exception {
        scheduler = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        scheduler.createContext("/actuator/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        scheduler.start();
        absentPort = ServerProcess.freePort();
        cluster = GatewayCluster.start(Map.of(
                "kube4j.gateway.components.scheduler", "http://127.0.0.1:" + scheduler.getAddress().getPort() + "/actuator/health",
                "kube4j.gateway.components.controller-manager", "http://127.0.0.1:" + absentPort + "/actuator/health"));
        kubectl = cluster.kubectl;
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
        if (scheduler != null) scheduler.stop(0);
    }

    @Test
    void getComponentStatusesPrintsEachPartsHealthWithTheDeprecationWarning() {
        Kubectl.Result cs = kubectl.run("get", "cs");
        assertThat(cs.exitCode()).as(cs.toString()).isZero();
        assertThat(cs.err()).isEqualTo("Warning: v1 ComponentStatus is deprecated in v1.19+\n");
        PrintedTable table = PrintedTable.parse(cs.out());
        assertThat(table.row("scheduler")).containsEntry("STATUS", "Healthy").containsEntry("MESSAGE", "ok");
        assertThat(table.row("etcd-0")).containsEntry("STATUS", "Healthy").containsEntry("MESSAGE", "ok");
        assertThat(cs.out()).containsPattern("(?m)^controller-manager +Unhealthy +Get \"http://127.0.0.1:" + absentPort
                + "/actuator/health\": dial tcp 127.0.0.1:" + absentPort + ": connect: connection refused$");

        assertThat(kubectl.ok("get", "componentstatus", "etcd-0", "-o",
                "jsonpath={.kind} {.conditions[0].type} {.conditions[0].status} {.conditions[0].message}"))
                .isEqualTo("ComponentStatus Healthy True ok");
        assertThat(kubectl.run("get", "componentstatuses", "nosuch").err())
                .endsWith("Error from server (NotFound): componentstatuses \"nosuch\" not found\n");
        assertThat(kubectl.ok("api-resources", "--api-group=")).containsPattern(
                "(?m)^componentstatuses +cs +v1 +false +ComponentStatus$");
    }
}
