package io.kube4j.gateway.admission;

import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class DeploymentStrategyTest {

    private final DeploymentStrategy strategy = new DeploymentStrategy();

    /** The seed's nginx Deployment (scenarios/nginx-deployment.yaml). */
    static final String NGINX = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: nginx-deployment
              labels:
                app: nginx
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: nginx
              template:
                metadata:
                  labels:
                    app: nginx
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.22
                    ports:
                    - containerPort: 80
            """;

    @Test
    void defaultsTheSeedDeploymentAsKubernetes132ShowsIt() {
        ObjectNode deployment = yaml(NGINX);
        strategy.defaults(deployment);
        strategy.prepareForCreate(deployment, new AdmissionContext(new MemoryStore(), false));

        // What `kubectl get deploy nginx-deployment -o yaml` shows on Kubernetes 1.32 right after
        // creation, without the fields the gateway and the controllers own.
        assertThat(deployment).isEqualTo(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  labels:
                    app: nginx
                  name: nginx-deployment
                spec:
                  progressDeadlineSeconds: 600
                  replicas: 1
                  revisionHistoryLimit: 10
                  selector:
                    matchLabels:
                      app: nginx
                  strategy:
                    rollingUpdate:
                      maxSurge: 25%
                      maxUnavailable: 25%
                    type: RollingUpdate
                  template:
                    metadata:
                      creationTimestamp: null
                      labels:
                        app: nginx
                    spec:
                      containers:
                      - image: nginx:1.22
                        imagePullPolicy: IfNotPresent
                        name: nginx
                        ports:
                        - containerPort: 80
                          protocol: TCP
                        resources: {}
                        terminationMessagePath: /dev/termination-log
                        terminationMessagePolicy: File
                      dnsPolicy: ClusterFirst
                      restartPolicy: Always
                      schedulerName: default-scheduler
                      securityContext: {}
                      terminationGracePeriodSeconds: 30
                status: {}
                """));
        assertThat(strategy.validate(deployment, null)).isEmpty();
    }

    @Test
    void defaultingIsIdempotent() {
        ObjectNode once = yaml(NGINX);
        strategy.defaults(once);
        ObjectNode twice = once.deepCopy();
        strategy.defaults(twice);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void recreateGetsNoRollingUpdateDefaults() {
        ObjectNode deployment = yaml(NGINX);
        ((ObjectNode) deployment.get("spec")).putObject("strategy").put("type", "Recreate");
        strategy.defaults(deployment);
        assertThat(deployment.get("spec").get("strategy")).isEqualTo(yaml("type: Recreate"));
    }

    record Case(String name, Consumer<ObjectNode> change, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ObjectNode spec(ObjectNode d) {
        return (ObjectNode) d.get("spec");
    }

    static ObjectNode container(ObjectNode d) {
        return (ObjectNode) d.get("spec").get("template").get("spec").get("containers").get(0);
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("negative replicas", d -> spec(d).put("replicas", -1),
                        List.of("spec.replicas: Invalid value: -1: must be greater than or equal to 0")),
                new Case("selector does not match", d -> spec(d).withObjectProperty("selector")
                        .withObjectProperty("matchLabels").put("app", "web"),
                        List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: "
                                + "`selector` does not match template `labels`")),
                new Case("no selector", d -> spec(d).remove("selector"), List.of("spec.selector: Required value")),
                new Case("empty selector", d -> spec(d).putObject("selector"), List.of(
                        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment")),
                new Case("no image", d -> container(d).remove("image"),
                        List.of("spec.template.spec.containers[0].image: Required value")),
                new Case("restartPolicy Never", d -> spec(d).withObjectProperty("template").withObjectProperty("spec")
                        .put("restartPolicy", "Never"),
                        List.of("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"")),
                new Case("both zero", d -> spec(d).withObjectProperty("strategy").withObjectProperty("rollingUpdate")
                        .put("maxSurge", 0).put("maxUnavailable", 0),
                        List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
                                + "intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0")),
                new Case("maxUnavailable over 100%", d -> spec(d).withObjectProperty("strategy")
                        .withObjectProperty("rollingUpdate").put("maxUnavailable", "120%"),
                        List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
                                + "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%")),
                new Case("bad percent", d -> spec(d).withObjectProperty("strategy")
                        .withObjectProperty("rollingUpdate").put("maxSurge", "abc"),
                        List.of("spec.strategy.rollingUpdate.maxSurge: Invalid value: "
                                + "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"abc\"}: a valid percent string must be a "
                                + "numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
                                + "validation is '[0-9]+%')")),
                new Case("unknown strategy", d -> spec(d).putObject("strategy").put("type", "BlueGreen"),
                        List.of("spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"")),
                new Case("Recreate with rollingUpdate", d -> spec(d).withObjectProperty("strategy").put("type", "Recreate"),
                        List.of("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'")),
                new Case("pods with a deadline", d -> spec(d).withObjectProperty("template").withObjectProperty("spec")
                        .put("activeDeadlineSeconds", 60),
                        List.of("spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported")),
                new Case("deadline not above minReady", d -> spec(d).put("minReadySeconds", 700),
                        List.of("spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds")),
                new Case("bad container name", d -> container(d).put("name", "Nginx_1"),
                        List.of("spec.template.spec.containers[0].name: Invalid value: \"Nginx_1\": a lowercase RFC 1123 "
                                + "label must consist of lower case alphanumeric characters or '-', and must start and end "
                                + "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation "
                                + "is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithKubernetesFieldsAndMessages(Case c) {
        ObjectNode deployment = yaml(NGINX);
        strategy.defaults(deployment);
        c.change().accept(deployment);
        assertThat(Trees.rendered(strategy.validate(deployment, null))).containsExactlyElementsOf(c.errors());
    }

    @Test
    void selectorIsImmutable() {
        ObjectNode old = yaml(NGINX);
        strategy.defaults(old);
        ObjectNode updated = old.deepCopy();
        spec(updated).withObjectProperty("selector").withObjectProperty("matchLabels").put("tier", "web");
        spec(updated).withObjectProperty("template").withObjectProperty("metadata").withObjectProperty("labels").put("tier", "web");
        assertThat(Trees.rendered(strategy.validate(updated, old))).containsExactly(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"nginx\", "
                        + "\"tier\":\"web\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        ObjectNode scaled = old.deepCopy();
        spec(scaled).put("replicas", 4);
        assertThat(strategy.validate(scaled, old)).isEmpty();
    }
}
