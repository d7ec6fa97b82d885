package io.kube4j.node.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.testsupport.Kubectl;
import io.kube4j.testsupport.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kubectl exec}, {@code attach}, {@code cp} and {@code port-forward} — the real kubectl
 * 1.32 — through the gateway to the agent and containerd's streaming server.
 */
class PodStreamingEndToEndTest {

    static NodeCluster cluster;
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        cluster = NodeCluster.start("node-streams");
        kubectl = Kubectl.forKubeconfig(cluster.kubeconfig);
        create(new PodBuilder().withNewMetadata().withName("shell").endMetadata()
                .withNewSpec().withNodeName(cluster.nodeName)
                .addNewContainer().withName("sh").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                .endSpec().build());
        create(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName(cluster.nodeName)
                .addNewContainer().withName("nginx").withImage("nginx:1.22").addNewPort().withContainerPort(80).endPort().endContainer()
                .endSpec().build());
        for (String name : List.of("shell", "web")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> cluster.client.pods().inNamespace("default").withName(name).get(),
                    p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static void create(Pod pod) {
        cluster.client.pods().inNamespace("default").resource(pod).create();
    }

    @Test
    void execPrintsTheCommandsOutputAndExitsWithItsCode() {
        Kubectl.Result hi = kubectl.run("exec", "shell", "--", "echo", "hi");
        assertThat(hi.exitCode()).as(hi.toString()).isZero();
        assertThat(hi.out()).isEqualTo("hi\n");

        Kubectl.Result both = kubectl.run("exec", "shell", "--", "sh", "-c", "echo out; echo err >&2");
        assertThat(both.out()).isEqualTo("out\n");
        assertThat(both.err()).contains("err\n");

        Kubectl.Result three = kubectl.run("exec", "shell", "--", "sh", "-c", "exit 3");
        assertThat(three.exitCode()).as(three.toString()).isEqualTo(3);
        assertThat(three.err()).contains("command terminated with exit code 3");
    }

    @Test
    void kubectlStreamsOverWebSocketWithoutFallingBackToSpdy() {
        // client-go logs its fallback to SPDY at verbosity 4.
        Kubectl.Result exec = kubectl.runWithInput("over websocket\n", "-v=4", "exec", "-i", "shell", "--", "cat");
        assertThat(exec.out()).isEqualTo("over websocket\n");
        assertThat(exec.err()).doesNotContainIgnoringCase("fallback");
    }

    @Test
    void execWithATerminalRunsTheCommandOnATtyOverWebSocket() throws Exception {
        // kubectl asks for a terminal only when its own standard input is one: script(1) runs it on a
        // pseudo-terminal, as a user's shell would.
        String command = String.join(" ", Kubectl.binary(), "--kubeconfig=" + kubectl.kubeconfig(), "-v=4",
                "exec", "-it", "shell", "--", "sh", "-c", "'tty; test -t 0 && echo stdin-is-a-tty; exit 4'");
        Process script = new ProcessBuilder("script", "-qec", command, "/dev/null").redirectErrorStream(true).start();
        assertThat(script.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("kubectl exec -it finished").isTrue();
        String out = new String(script.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(out).contains("/dev/pts/").contains("stdin-is-a-tty").doesNotContainIgnoringCase("fallback");
        assertThat(script.exitValue()).as(out).isEqualTo(4);
    }

    @Test
    void kubectlStillStreamsOverSpdyWhenToldTo() {
        Kubectl spdy = kubectl.withEnvironment(java.util.Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false"));
        Kubectl.Result cat = spdy.runWithInput("over spdy\n", "exec", "-i", "shell", "--", "cat");
        assertThat(cat.out()).as(cat.toString()).isEqualTo("over spdy\n");
        Kubectl.Result three = spdy.run("exec", "shell", "--", "sh", "-c", "exit 3");
        assertThat(three.exitCode()).isEqualTo(3);
    }

    @Test
    void execWithStdinEndsWhenTheInputEnds() {
        Kubectl.Result cat = kubectl.runWithInput("one\ntwo\n", "exec", "-i", "shell", "--", "cat");
        assertThat(cat.exitCode()).as(cat.toString()).isZero();
        assertThat(cat.out()).isEqualTo("one\ntwo\n");

        Kubectl.Result wc = kubectl.runWithInput("a b c\n", "exec", "-i", "shell", "--", "wc", "-w");
        assertThat(wc.out().trim()).isEqualTo("3");
    }

    @Test
    void debugRunsAnEphemeralContainerThatSeesItsTargetsProcesses() {
        // kubectl debug adds the container through pods/ephemeralcontainers, waits for it to run, and attaches. The
        // container's stdin stays open after kubectl's ends (stdinOnce is false), so containerd ends the attach there;
        // the shell reads the commands and its answers go to the container's log.
        Kubectl.Result debug = kubectl.runWithInput("ps -o pid,args\nexit 0\n", "debug", "shell", "-i", "--image=busybox:1.35",
                "--target=sh", "--container=debugger", "--", "sh");
        assertThat(debug.exitCode()).as(debug.toString()).isZero();
        assertThat(debug.out()).startsWith("Targeting container \"sh\".");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.ok("get", "pod", "shell", "-o",
                "jsonpath={.status.ephemeralContainerStatuses[0].name} {.status.ephemeralContainerStatuses[0].state.terminated.exitCode}"))
                .isEqualTo("debugger 0"));
        // The pod runs on, ready, and the ephemeral container is not started again.
        assertThat(kubectl.ok("get", "pod", "shell", "-o", "jsonpath={.status.phase} {.status.conditions[?(@.type==\"Ready\")].status} "
                + "{.status.containerStatuses[0].restartCount} {.status.ephemeralContainerStatuses[0].restartCount}"))
                .isEqualTo("Running True 0 0");
        assertThat(kubectl.ok("logs", "shell", "-c", "debugger")).as("the target's processes, in its namespace")
                .contains("sleep 3600");
        assertThat(kubectl.ok("get", "events", "--field-selector", "involvedObject.name=shell,reason=Started", "-o",
                "jsonpath={.items[*].involvedObject.fieldPath}")).contains("spec.ephemeralContainers{debugger}");
    }

    @Test
    void execIntoAMissingContainerOrPodIsAnError() {
        Kubectl.Result container = kubectl.run("exec", "shell", "-c", "nosuch", "--", "true");
        assertThat(container.exitCode()).isNotZero();
        assertThat(container.err()).contains("container nosuch is not valid for pod shell");
        Kubectl.Result pod = kubectl.run("exec", "nosuchpod", "--", "true");
        assertThat(pod.exitCode()).isNotZero();
        assertThat(pod.err()).contains("pods \"nosuchpod\" not found");
    }

    @Test
    void cpCopiesAFileIntoThePodAndBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("greeting.txt");
        Files.writeString(file, "hello from the host\n".repeat(1000));
        Kubectl.Result in = kubectl.run("cp", file.toString(), "default/shell:/tmp/greeting.txt");
        assertThat(in.exitCode()).as(in.toString()).isZero();
        assertThat(kubectl.ok("exec", "shell", "--", "wc", "-l", "/tmp/greeting.txt")).startsWith("1000 ");

        Path back = dir.resolve("back.txt");
        Kubectl.Result out = kubectl.run("cp", "default/shell:/tmp/greeting.txt", back.toString());
        assertThat(out.exitCode()).as(out.toString()).isZero();
        assertThat(Files.readString(back)).isEqualTo(Files.readString(file));
    }

    @Test
    void attachReachesTheMainProcessesStdinAndOutput() {
        create(new PodBuilder().withNewMetadata().withName("reader").endMetadata()
                .withNewSpec().withNodeName(cluster.nodeName).withRestartPolicy("Never")
                // stdinOnce: the runtime closes the container's stdin when the attached client ends its
                // input, and keeps the output flowing until the container exits (kubectl run -i's shape).
                .addNewContainer().withName("read").withImage("busybox:1.35").withStdin(true).withStdinOnce(true)
                .withCommand("sh", "-c", "read line; echo got $line").endContainer()
                .endSpec().build());
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client.pods().inNamespace("default").withName("reader").get(),
                p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        Kubectl.Result attached = kubectl.runWithInput("hello\n", "attach", "-i", "reader");
        assertThat(attached.out()).as(attached.toString()).contains("got hello");
        assertThat(attached.exitCode()).isZero();
    }

    @Test
    void portForwardReachesTheContainersPort() throws Exception {
        int local = ServerProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/kubectl", "--kubeconfig=" + cluster.kubeconfig,
                "port-forward", "pod/web", local + ":80").redirectErrorStream(true);
        builder.environment().put("HOME", cluster.kubeconfig.getParent().toString());
        Process forward = builder.start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8));
            String first = lines.readLine();
            assertThat(first).as("kubectl port-forward's first line").startsWith("Forwarding from 127.0.0.1:" + local);
            Thread.ofVirtual().start(() -> lines.lines().forEach(l -> { }));
            try (HttpClient http = HttpClient.newHttpClient()) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
                            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(page.statusCode()).isEqualTo(200);
                    assertThat(page.body()).contains("nginx");
                }
            }
        } finally {
            forward.destroy();
            forward.waitFor();
        }
    }
}
