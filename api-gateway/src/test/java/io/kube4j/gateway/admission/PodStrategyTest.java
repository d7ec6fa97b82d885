package io.kube4j.gateway.admission;

import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.stream.Stream;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class PodStrategyTest {

    private final PodStrategy strategy = new PodStrategy();
    private final AdmissionContext context = new AdmissionContext(new MemoryStore(), false);

    private ObjectNode create(String yaml) {
        ObjectNode pod = yaml(yaml);
        strategy.defaults(pod);
        strategy.prepareForCreate(pod, context);
        return pod;
    }

    @Test
    void defaultsAPodAsKubeApiserverAndItsAdmissionPluginsDo() {
        ObjectNode pod = create("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                """);
        // `kubectl run nginx --image=nginx` then `kubectl get pod nginx -o yaml` on 1.32, without the node and
        // the fields the gateway and the kubelet own; the token volume's name ends in five random letters.
        String volume = pod.at("/spec/volumes/0/name").asString();
        assertThat(volume).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(pod).isEqualTo(yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: nginx
                spec:
                  containers:
                  - image: nginx
                    imagePullPolicy: Always
                    name: nginx
                    resources: {}
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: File
                    volumeMounts:
                    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                      name: VOLUME
                      readOnly: true
                  dnsPolicy: ClusterFirst
                  enableServiceLinks: true
                  preemptionPolicy: PreemptLowerPriority
                  priority: 0
                  restartPolicy: Always
                  schedulerName: default-scheduler
                  securityContext: {}
                  serviceAccount: default
                  serviceAccountName: default
                  terminationGracePeriodSeconds: 30
                  tolerations:
                  - effect: NoExecute
                    key: node.kubernetes.io/not-ready
                    operator: Exists
                    tolerationSeconds: 300
                  - effect: NoExecute
                    key: node.kubernetes.io/unreachable
                    operator: Exists
                    tolerationSeconds: 300
                  volumes:
                  - name: VOLUME
                    projected:
                      defaultMode: 420
                      sources:
                      - serviceAccountToken:
                          expirationSeconds: 3607
                          path: token
                      - configMap:
                          items:
                          - key: ca.crt
                            path: ca.crt
                          name: kube-root-ca.crt
                      - downwardAPI:
                          items:
                          - fieldRef:
                              apiVersion: v1
                              fieldPath: metadata.namespace
                            path: namespace
                status:
                  phase: Pending
                  qosClass: BestEffort
                """.replace("VOLUME", volume)));
        assertThat(strategy.validate(pod, null)).isEmpty();
    }

    @Test
    void defaultsContainerDetailsVolumesAndProbes() {
        ObjectNode pod = create("""
                metadata: {name: web}
                spec:
                  serviceAccountName: builder
                  tolerations:
                  - key: node.kubernetes.io/unreachable
                    operator: Exists
                    effect: NoExecute
                    tolerationSeconds: 60
                  containers:
                  - name: web
                    image: registry.local:5000/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                    ports:
                    - containerPort: 8080
                      name: http
                    env:
                    - name: POD_NAME
                      valueFrom:
                        fieldRef: {fieldPath: metadata.name}
                    - name: LIMIT
                      valueFrom:
                        resourceFieldRef: {resource: limits.memory}
                    resources:
                      limits: {cpu: "0.5", memory: 1024Mi}
                    livenessProbe:
                      httpGet: {port: http}
                    readinessProbe:
                      grpc: {port: 9000}
                    volumeMounts:
                    - {name: config, mountPath: /etc/web}
                    - {name: cache, mountPath: /cache}
                    - {name: host, mountPath: /host}
                  volumes:
                  - name: config
                    configMap: {name: web}
                  - name: cache
                  - name: host
                    hostPath: {path: /var/log}
                  - name: token
                    projected:
                      sources:
                      - serviceAccountToken: {path: token}
                """);
        withoutTokenVolume(pod);
        assertThat(pod.get("spec")).isEqualTo(yaml("""
                serviceAccount: builder
                serviceAccountName: builder
                tolerations:
                - key: node.kubernetes.io/unreachable
                  operator: Exists
                  effect: NoExecute
                  tolerationSeconds: 60
                - effect: NoExecute
                  key: node.kubernetes.io/not-ready
                  operator: Exists
                  tolerationSeconds: 300
                containers:
                - name: web
                  image: registry.local:5000/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                  imagePullPolicy: IfNotPresent
                  ports:
                  - containerPort: 8080
                    name: http
                    protocol: TCP
                  env:
                  - name: POD_NAME
                    valueFrom:
                      fieldRef: {apiVersion: v1, fieldPath: metadata.name}
                  - name: LIMIT
                    valueFrom:
                      resourceFieldRef: {divisor: "0", resource: limits.memory}
                  resources:
                    limits: {cpu: 500m, memory: 1Gi}
                    requests: {cpu: 500m, memory: 1Gi}
                  livenessProbe:
                    httpGet: {path: /, port: http, scheme: HTTP}
                    failureThreshold: 3
                    periodSeconds: 10
                    successThreshold: 1
                    timeoutSeconds: 1
                  readinessProbe:
                    grpc: {port: 9000, service: ""}
                    failureThreshold: 3
                    periodSeconds: 10
                    successThreshold: 1
                    timeoutSeconds: 1
                  terminationMessagePath: /dev/termination-log
                  terminationMessagePolicy: File
                  volumeMounts:
                  - {name: config, mountPath: /etc/web}
                  - {name: cache, mountPath: /cache}
                  - {name: host, mountPath: /host}
                volumes:
                - name: config
                  configMap: {name: web, defaultMode: 420}
                - name: cache
                  emptyDir: {}
                - name: host
                  hostPath: {path: /var/log, type: ""}
                - name: token
                  projected:
                    defaultMode: 420
                    sources:
                    - serviceAccountToken: {path: token, expirationSeconds: 3600}
                dnsPolicy: ClusterFirst
                enableServiceLinks: true
                preemptionPolicy: PreemptLowerPriority
                priority: 0
                restartPolicy: Always
                schedulerName: default-scheduler
                securityContext: {}
                terminationGracePeriodSeconds: 30
                """));
        assertThat(pod.get("status").get("qosClass").stringValue()).isEqualTo("Guaranteed");
        assertThat(strategy.validate(pod, null)).isEmpty();
    }

    record Image(String image, String pullPolicy) {}

    static Stream<Image> images() {
        return Stream.of(new Image("nginx", "Always"), new Image("nginx:latest", "Always"),
                new Image("nginx:1.22", "IfNotPresent"), new Image("localhost:5000/nginx", "Always"),
                new Image("localhost:5000/nginx:1.22", "IfNotPresent"), new Image("nginx@sha256:abc", "IfNotPresent"),
                new Image("nginx:latest@sha256:abc", "Always"));
    }

    @ParameterizedTest
    @MethodSource("images")
    void pullsAlwaysOnlyForLatestOrNoTag(Image c) {
        ObjectNode pod = yaml("spec: {containers: [{name: c, image: \"" + c.image() + "\"}]}");
        strategy.defaults(pod);
        assertThat(pod.at("/spec/containers/0/imagePullPolicy").stringValue()).isEqualTo(c.pullPolicy());
    }

    record Qos(String resources, String qosClass) {}

    static Stream<Qos> qosClasses() {
        return Stream.of(
                new Qos("{}", "BestEffort"),
                new Qos("{requests: {cpu: 100m}}", "Burstable"),
                new Qos("{limits: {cpu: 100m, memory: 64Mi}}", "Guaranteed"),
                new Qos("{limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 50m}}", "Burstable"),
                new Qos("{limits: {cpu: 100m}}", "Burstable"),
                new Qos("{requests: {cpu: \"0\"}}", "BestEffort"),
                new Qos("{limits: {cpu: \"1\", memory: 1Gi}, requests: {cpu: 1000m, memory: 1024Mi}}", "Guaranteed"));
    }

    @ParameterizedTest
    @MethodSource("qosClasses")
    void computesTheQosClass(Qos c) {
        ObjectNode pod = create("spec: {containers: [{name: c, image: busybox, resources: " + c.resources() + "}]}");
        assertThat(pod.at("/status/qosClass").stringValue()).isEqualTo(c.qosClass());
    }

    record Case(String name, String spec, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("no containers", "{containers: []}", List.of("spec.containers: Required value")),
                new Case("no image", "{containers: [{name: a}]}", List.of("spec.containers[0].image: Required value")),
                new Case("duplicate names", "{containers: [{name: a, image: x}, {name: a, image: y}]}",
                        List.of("spec.containers[1].name: Duplicate value: \"a\"")),
                new Case("port out of range", "{containers: [{name: a, image: x, ports: [{containerPort: 70000}]}]}",
                        List.of("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")),
                new Case("port missing", "{containers: [{name: a, image: x, ports: [{name: http}]}]}",
                        List.of("spec.containers[0].ports[0].containerPort: Required value")),
                new Case("restart policy", "{restartPolicy: Sometimes, containers: [{name: a, image: x}]}",
                        List.of("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")),
                new Case("duplicate volumes", "{containers: [{name: a, image: x}], volumes: [{name: v}, {name: v}]}",
                        List.of("spec.volumes[1].name: Duplicate value: \"v\"")),
                new Case("two volume sources", "{containers: [{name: a, image: x}], volumes: [{name: v, emptyDir: {}, configMap: {name: c}}]}",
                        List.of("spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type")),
                new Case("mount of unknown volume", "{containers: [{name: a, image: x, volumeMounts: [{name: data, mountPath: /d}]}]}",
                        List.of("spec.containers[0].volumeMounts[0].name: Not found: \"data\"")),
                new Case("requests above limits", "{containers: [{name: a, image: x, resources: {requests: {cpu: 200m}, limits: {cpu: 100m}}}]}",
                        List.of("spec.containers[0].resources.requests: Invalid value: \"200m\": must be less than or equal to cpu limit of 100m")),
                new Case("bad quantity", "{containers: [{name: a, image: x, resources: {limits: {memory: lots}}}]}",
                        List.of("spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": quantities must match "
                                + "the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")),
                new Case("probe without handler", "{containers: [{name: a, image: x, livenessProbe: {periodSeconds: 5}}]}",
                        List.of("spec.containers[0].livenessProbe: Required value: must specify a handler type")),
                new Case("liveness success threshold", "{containers: [{name: a, image: x, livenessProbe: {exec: {command: [true]}, successThreshold: 2}}]}",
                        List.of("spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1")),
                new Case("env without name", "{containers: [{name: a, image: x, env: [{value: v}]}]}",
                        List.of("spec.containers[0].env[0].name: Required value")),
                new Case("toleration Exists with value", "{containers: [{name: a, image: x}], tolerations: [{key: k, operator: Exists, value: v}]}",
                        List.of("spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithKubernetesFieldsAndMessages(Case c) {
        ObjectNode pod = yaml("metadata: {name: p}\nspec: " + c.spec());
        assertThat(Trees.createErrors(strategy, pod)).containsExactlyElementsOf(c.errors());
    }

    /** Takes the ServiceAccount admission's token volume and its mounts out of a created pod. */
    private static void withoutTokenVolume(ObjectNode pod) {
        var volumes = (tools.jackson.databind.node.ArrayNode) pod.at("/spec/volumes");
        for (int i = volumes.size() - 1; i >= 0; i--) {
            if (volumes.get(i).path("name").asString().startsWith("kube-api-access-")) volumes.remove(i);
        }
        if (volumes.isEmpty()) ((ObjectNode) pod.get("spec")).remove("volumes");
        for (var container : pod.at("/spec/containers")) {
            var mounts = (tools.jackson.databind.node.ArrayNode) container.get("volumeMounts");
            for (int i = mounts.size() - 1; i >= 0; i--) {
                if (mounts.get(i).path("name").asString().startsWith("kube-api-access-")) mounts.remove(i);
            }
            if (mounts.isEmpty()) ((ObjectNode) container).remove("volumeMounts");
        }
    }

    @Test
    void theTokenVolumeIsLeftOutWhenThePodSaysSoOrAContainerHasItsOwnThere() {
        ObjectNode optedOut = create("metadata: {name: p}\nspec: {automountServiceAccountToken: false, containers: [{name: a, image: x}]}");
        assertThat(optedOut.at("/spec/volumes").isMissingNode()).isTrue();
        ObjectNode own = create("""
                metadata: {name: p}
                spec:
                  containers:
                  - name: a
                    image: x
                    volumeMounts: [{name: mine, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]
                  - name: b
                    image: x
                  volumes: [{name: mine, emptyDir: {}}]
                """);
        assertThat(own.at("/spec/containers/0/volumeMounts")).hasSize(1);
        assertThat(own.at("/spec/containers/1/volumeMounts/0/name").asString()).startsWith("kube-api-access-");
        assertThat(own.at("/spec/volumes")).hasSize(2);
    }

    @Test
    void updatesMayChangeImagesAndAddTolerationsOnly() {
        ObjectNode old = create("metadata: {name: p}\nspec: {containers: [{name: a, image: 'nginx:1.22'}]}");
        ObjectNode newImage = old.deepCopy();
        ((ObjectNode) newImage.at("/spec/containers/0")).put("image", "nginx:1.23");
        assertThat(strategy.validate(newImage, old)).isEmpty();

        ObjectNode replaced = yaml("metadata: {name: p}\nspec: {containers: [{name: a, image: 'nginx:1.22'}]}");
        strategy.defaults(replaced);
        strategy.prepareForUpdate(replaced, old, context);
        assertThat(strategy.validate(replaced, old)).isEmpty();

        ObjectNode newPort = old.deepCopy();
        ((ObjectNode) newPort.at("/spec/containers/0")).putArray("ports").addObject().put("containerPort", 80).put("protocol", "TCP");
        assertThat(Trees.rendered(strategy.validate(newPort, old))).singleElement().asString()
                .startsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`");
    }

    @Test
    void ephemeralContainersAreNeitherExposedNorProbedAndHaveNamesOfTheirOwn() {
        ObjectNode old = create("metadata: {name: p}\nspec: {containers: [{name: a, image: x}]}");
        ObjectNode debugged = old.deepCopy();
        ((ObjectNode) debugged.get("spec")).set("ephemeralContainers", yaml("""
                list:
                - {name: a, image: x}
                - {name: d, image: x, ports: [{containerPort: 80}], readinessProbe: {exec: {command: [true]}}}
                - {name: e, image: x, targetContainerName: a, resources: {}}
                """).get("list"));
        strategy.defaults(debugged);
        assertThat(Trees.rendered(strategy.validate(debugged, old))).containsExactly(
                "spec.ephemeralContainers[0].name: Duplicate value: \"a\"",
                "spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[1].readinessProbe: Forbidden: cannot be set for an Ephemeral Container");
    }

    @Test
    void templatesHaveNoEphemeralContainersAndTokenProjectionsLiveTenMinutesAtLeast() {
        Causes causes = new Causes();
        PodSpecValidation.validateTemplate(yaml("""
                spec:
                  containers: [{name: a, image: x, imagePullPolicy: Always, terminationMessagePolicy: File}]
                  ephemeralContainers: [{name: d, image: x, imagePullPolicy: Always, terminationMessagePolicy: File}]
                  restartPolicy: Always
                  dnsPolicy: ClusterFirst
                  volumes:
                  - name: t
                    projected:
                      sources:
                      - serviceAccountToken: {expirationSeconds: 60}
                """), FieldPath.of("spec", "template"), causes, null);
        assertThat(Trees.rendered(causes.list())).contains(
                "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
                "spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.path: Required value",
                "spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: "
                        + "may not specify a duration less than 10 minutes");
    }

    @Test
    void hostNetworkPodsPublishTheirContainerPortsOnTheHost() {
        ObjectNode pod = create("spec: {hostNetwork: true, containers: [{name: a, image: x, ports: [{containerPort: 8080}]}]}");
        assertThat(pod.at("/spec/containers/0/ports/0")).isEqualTo(yaml("{containerPort: 8080, hostPort: 8080, protocol: TCP}"));
        ObjectNode deployment = yaml(DeploymentStrategyTest.NGINX);
        ((ObjectNode) deployment.at("/spec/template/spec")).put("hostNetwork", true);
        new DeploymentStrategy().defaults(deployment);
        assertThat(deployment.at("/spec/template/spec/containers/0/ports/0/hostPort").isMissingNode())
                .as("templates keep their ports as written").isTrue();
    }

    @Test
    void priorityClassesOfTheSystemGetTheirPriority() {
        ObjectNode pod = create("spec: {priorityClassName: system-node-critical, containers: [{name: a, image: x}]}");
        assertThat(pod.at("/spec/priority").intValue()).isEqualTo(2000001000);
    }
}
