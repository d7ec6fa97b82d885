package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generators of {@code kubectl create}, {@code run} and {@code expose}: kubectl builds the
 * object itself and sends it (as protobuf for the built-in kinds); the gateway must store exactly
 * what was built. Each case names the command, what kubectl prints, and a field read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlCreateCommandsTest {

    private static final String NS = "made";

    private GatewayCluster cluster;
    private Kubectl kubectl;
    private Path files;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        cluster = GatewayCluster.start();
        kubectl = cluster.kubectl;
        files = Files.createDirectories(cluster.dir.resolve("files"));
        Files.writeString(files.resolve("greeting.txt"), "hello");
        Files.writeString(files.resolve("app.env"), "# settings\nMODE=prod\nLEVEL=3\n\n");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", files.resolve("tls.key").toString(), "-out", files.resolve("tls.crt").toString(),
                "-days", "1", "-subj", "/CN=shop.example.com")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a certificate").isTrue();
        kubectl.ok("create", "namespace", NS);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    /**
     * One generator: {@code args} after {@code kubectl create} ({@code -n made} is added), the line
     * kubectl prints, the object to read back and a jsonpath with its expected value.
     */
    record Case(String title, List<String> args, String printed, String object, String jsonPath, String expected,
                String refusedAgain) {
        @Override
        public String toString() {
            return title;
        }

        /** The same case whose second run is refused with another error than AlreadyExists. */
        Case refusedAgainWith(String error) {
            return new Case(title, args, printed, object, jsonPath, expected, error);
        }
    }

    private static Case create(String title, String printed, String object, String jsonPath, String expected, String... args) {
        return new Case(title, List.of(args), printed, object, jsonPath, expected, "already exists");
    }

    static List<Case> generators() {
        return List.of(
                create("configmap from files", "configmap/from-files created", "configmap/from-files",
                        "{.data.greeting\\.txt}/{.data.custom}", "hello/hello",
                        "configmap", "from-files", "--from-file=@files/greeting.txt", "--from-file=custom=@files/greeting.txt"),
                create("configmap from an env file", "configmap/from-env created", "configmap/from-env",
                        "{.data}", "{\"LEVEL\":\"3\",\"MODE\":\"prod\"}",
                        "configmap", "from-env", "--from-env-file=@files/app.env"),
                create("secret from a file", "secret/secret-file created", "secret/secret-file",
                        "{.data.greeting\\.txt}", base64("hello"),
                        "secret", "generic", "secret-file", "--from-file=@files/greeting.txt"),
                create("secret from an env file", "secret/secret-env created", "secret/secret-env",
                        "{.data.MODE} {.data.LEVEL}", base64("prod") + " " + base64("3"),
                        "secret", "generic", "secret-env", "--from-env-file=@files/app.env"),
                create("docker-registry secret", "secret/regcred created", "secret/regcred",
                        "{.type} {.data.\\.dockerconfigjson}", "kubernetes.io/dockerconfigjson " + base64(
                                "{\"auths\":{\"registry.example.com\":{\"username\":\"robot\",\"password\":\"s3cret\","
                                        + "\"email\":\"robot@example.com\",\"auth\":\"" + base64("robot:s3cret") + "\"}}}"),
                        "secret", "docker-registry", "regcred", "--docker-server=registry.example.com",
                        "--docker-username=robot", "--docker-password=s3cret", "--docker-email=robot@example.com"),
                create("deployment with a command", "deployment.apps/api created", "deployment/api",
                        "{.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} "
                                + "{.spec.template.spec.containers[0].command} {.spec.template.spec.containers[0].ports[0].containerPort}",
                        "3 api busybox:1.36 [\"sleep\",\"3600\"] 8080",
                        "deployment", "api", "--image=busybox:1.36", "--replicas=3", "--port=8080", "--", "sleep", "3600"),
                create("job", "job.batch/once created", "job/once",
                        "{.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].command}",
                        "Never [\"echo\",\"hi\"]",
                        "job", "once", "--image=busybox:1.36", "--", "echo", "hi"),
                create("cronjob", "cronjob.batch/tick created", "cronjob/tick",
                        "{.spec.schedule}|{.spec.jobTemplate.spec.template.spec.restartPolicy}", "*/5 * * * *|OnFailure",
                        "cronjob", "tick", "--image=busybox:1.36", "--schedule=*/5 * * * *", "--", "date"),
                create("clusterip service", "service/api-svc created", "service/api-svc",
                        "{.spec.type} {.spec.ports[0].name} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.selector.app}",
                        "ClusterIP 80-8080 80 8080 api-svc",
                        "service", "clusterip", "api-svc", "--tcp=80:8080"),
                create("nodeport service", "service/np-svc created", "service/np-svc",
                        "{.spec.type} {.spec.ports[0].nodePort}", "NodePort 30080",
                        "service", "nodeport", "np-svc", "--tcp=80:8080", "--node-port=30080")
                        // The port is allocated before the name is checked, as kube-apiserver does.
                        .refusedAgainWith("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
                create("serviceaccount", "serviceaccount/robot created", "serviceaccount/robot",
                        "{.metadata.name}", "robot",
                        "serviceaccount", "robot"),
                create("role", "role.rbac.authorization.k8s.io/reader created", "role/reader",
                        "{.rules}", "[{\"apiGroups\":[\"\"],\"resources\":[\"pods\",\"configmaps\"],\"verbs\":[\"get\",\"list\",\"watch\"]},"
                                + "{\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]",
                        "role", "reader", "--verb=get,list,watch", "--resource=pods,configmaps,deployments.apps"),
                create("rolebinding", "rolebinding.rbac.authorization.k8s.io/reader-binding created", "rolebinding/reader-binding",
                        "{.roleRef.kind}/{.roleRef.name} {.subjects[0].kind} {.subjects[0].namespace}/{.subjects[0].name}",
                        "Role/reader ServiceAccount made/robot",
                        "rolebinding", "reader-binding", "--role=reader", "--serviceaccount=made:robot"),
                create("clusterrole", "clusterrole.rbac.authorization.k8s.io/node-reader created", "clusterrole/node-reader",
                        "{.rules[0].resources} {.rules[0].verbs}", "[\"nodes\"] [\"get\",\"list\"]",
                        "clusterrole", "node-reader", "--verb=get,list", "--resource=nodes"),
                create("clusterrolebinding", "clusterrolebinding.rbac.authorization.k8s.io/node-reader-binding created",
                        "clusterrolebinding/node-reader-binding",
                        "{.roleRef.name} {.subjects}", "node-reader [{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"alice\"}]",
                        "clusterrolebinding", "node-reader-binding", "--clusterrole=node-reader", "--user=alice"),
                create("quota", "resourcequota/counts created", "resourcequota/counts",
                        "{.spec.hard.pods} {.spec.hard.requests\\.cpu}", "10 2",
                        "quota", "counts", "--hard=pods=10,requests.cpu=2"),
                create("priorityclass", "priorityclass.scheduling.k8s.io/high created", "priorityclass/high",
                        "{.value}|{.description}", "1000|for the checkout",
                        "priorityclass", "high", "--value=1000", "--description=for the checkout"),
                create("ingress", "ingress.networking.k8s.io/shop created", "ingress/shop",
                        "{.spec.rules[0].host} {.spec.rules[0].http.paths[0].path} {.spec.rules[0].http.paths[0].pathType} "
                                + "{.spec.rules[0].http.paths[0].backend.service.name}:{.spec.rules[0].http.paths[0].backend.service.port.number}",
                        "shop.example.com / Prefix api-svc:80",
                        "ingress", "shop", "--rule=shop.example.com/*=api-svc:80"),
                create("poddisruptionbudget", "poddisruptionbudget.policy/api-pdb created", "pdb/api-pdb",
                        "{.spec.minAvailable} {.spec.selector.matchLabels.app}", "1 api",
                        "pdb", "api-pdb", "--selector=app=api", "--min-available=1"));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private String[] withFiles(List<String> args, String... extra) {
        List<String> out = new ArrayList<>();
        for (String arg : args) out.add(arg.replace("@files/", files + "/"));
        out.addAll(List.of(extra));
        return out.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generators")
    void createGenerator(Case c) {
        List<String> args = new ArrayList<>(List.of("create"));
        args.addAll(c.args());
        int dashes = args.indexOf("--");
        args.addAll(dashes < 0 ? args.size() : dashes, List.of("-n", NS));
        assertThat(kubectl.ok(withFiles(args))).isEqualTo(c.printed() + "\n");
        assertThat(kubectl.ok("get", c.object(), "-n", NS, "-o", "jsonpath=" + c.jsonPath())).isEqualTo(c.expected());
        Kubectl.Result again = kubectl.run(withFiles(args));
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains(c.refusedAgain());
    }

    @Test
    void tlsSecretCarriesTheCertificateAndKey() throws IOException {
        assertThat(kubectl.ok("create", "secret", "tls", "shop-tls", "-n", NS,
                "--cert=" + files.resolve("tls.crt"), "--key=" + files.resolve("tls.key")))
                .isEqualTo("secret/shop-tls created\n");
        assertThat(kubectl.ok("get", "secret", "shop-tls", "-n", NS, "-o", "jsonpath={.type}")).isEqualTo("kubernetes.io/tls");
        String crt = kubectl.ok("get", "secret", "shop-tls", "-n", NS, "-o", "jsonpath={.data.tls\\.crt}");
        String key = kubectl.ok("get", "secret", "shop-tls", "-n", NS, "-o", "jsonpath={.data.tls\\.key}");
        assertThat(new String(Base64.getDecoder().decode(crt), StandardCharsets.UTF_8)).isEqualTo(Files.readString(files.resolve("tls.crt")));
        assertThat(new String(Base64.getDecoder().decode(key), StandardCharsets.UTF_8)).isEqualTo(Files.readString(files.resolve("tls.key")));
        PrintedTable secrets = PrintedTable.parse(kubectl.ok("get", "secret", "shop-tls", "-n", NS));
        assertThat(secrets.row("shop-tls")).containsEntry("TYPE", "kubernetes.io/tls").containsEntry("DATA", "2");
    }

    @Test
    void jobFromACronJob() {
        kubectl.ok("create", "cronjob", "nightly", "-n", NS, "--image=busybox:1.36", "--schedule=0 3 * * *", "--", "date");
        assertThat(kubectl.ok("create", "job", "nightly-now", "-n", NS, "--from=cronjob/nightly"))
                .isEqualTo("job.batch/nightly-now created\n");
        assertThat(kubectl.ok("get", "job", "nightly-now", "-n", NS, "-o",
                "jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} "
                        + "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.spec.template.spec.containers[0].command}"))
                .isEqualTo("CronJob/nightly manual [\"date\"]");
    }

    @Test
    void runAndExpose() {
        assertThat(kubectl.ok("run", "solo", "-n", NS, "--image=nginx:1.25", "--labels=app=solo,tier=web", "--port=80"))
                .isEqualTo("pod/solo created\n");
        assertThat(kubectl.ok("get", "pod", "solo", "-n", NS, "-o",
                "jsonpath={.spec.containers[0].name} {.spec.containers[0].image} {.spec.containers[0].ports[0].containerPort} {.metadata.labels}"))
                .isEqualTo("solo nginx:1.25 80 {\"app\":\"solo\",\"tier\":\"web\"}");
        assertThat(kubectl.ok("expose", "pod", "solo", "-n", NS, "--port=8080", "--target-port=80"))
                .isEqualTo("service/solo exposed\n");
        assertThat(kubectl.ok("get", "service", "solo", "-n", NS, "-o",
                "jsonpath={.spec.selector} {.spec.ports[0].port}->{.spec.ports[0].targetPort}"))
                .isEqualTo("{\"app\":\"solo\",\"tier\":\"web\"} 8080->80");

        kubectl.ok("create", "deployment", "shop-front", "-n", NS, "--image=nginx:1.25");
        assertThat(kubectl.ok("expose", "deployment", "shop-front", "-n", NS, "--port=80", "--type=NodePort", "--name=front"))
                .isEqualTo("service/front exposed\n");
        assertThat(kubectl.ok("get", "service", "front", "-n", NS, "-o", "jsonpath={.spec.type} {.spec.selector.app}"))
                .isEqualTo("NodePort shop-front");

        Kubectl.Result nothingToExpose = kubectl.run("expose", "deployment", "missing", "-n", NS, "--port=80");
        assertThat(nothingToExpose.err()).contains("Error from server (NotFound): deployments.apps \"missing\" not found");
    }

    @Test
    void runWithDryRunServerStoresNothing() {
        assertThat(kubectl.ok("run", "ghost", "-n", NS, "--image=nginx:1.25", "--dry-run=server"))
                .isEqualTo("pod/ghost created (server dry run)\n");
        assertThat(kubectl.run("get", "pod", "ghost", "-n", NS).err())
                .contains("Error from server (NotFound): pods \"ghost\" not found");
    }
}
