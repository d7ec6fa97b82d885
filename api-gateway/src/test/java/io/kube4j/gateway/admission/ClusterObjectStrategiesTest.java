package io.kube4j.gateway.admission;

import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** Defaults of the configuration, storage, networking, RBAC and cluster kinds against Kubernetes 1.32's output. */
class ClusterObjectStrategiesTest {

    private final AdmissionContext context = new AdmissionContext(new MemoryStore(), false);

    record Defaulting(String name, KindStrategy strategy, String input, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Defaulting> defaulting() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T21:00:00.123Z"), ZoneOffset.UTC);
        return Stream.of(
                new Defaulting("secret stringData", new SecretStrategy(), """
                        metadata: {name: s}
                        data: {user: YWRtaW4=, password: b2xk}
                        stringData: {password: s3cr3t, host: db}
                        """, """
                        metadata: {name: s}
                        data: {user: YWRtaW4=, password: czNjcjN0, host: ZGI=}
                        type: Opaque
                        """),
                new Defaulting("namespace", new NamespaceStrategy(), "metadata: {name: dev}", """
                        metadata:
                          name: dev
                          labels: {kubernetes.io/metadata.name: dev}
                        spec:
                          finalizers: [kubernetes]
                        status:
                          phase: Active
                        """),
                new Defaulting("persistent volume", new PersistentVolumeStrategy(clock), """
                        metadata: {name: pv1}
                        spec:
                          capacity: {storage: 1024Mi}
                          accessModes: [ReadWriteOnce]
                          hostPath: {path: /data/pv1}
                        """, """
                        metadata: {name: pv1, finalizers: [kubernetes.io/pv-protection]}
                        spec:
                          accessModes: [ReadWriteOnce]
                          capacity: {storage: 1Gi}
                          hostPath: {path: /data/pv1, type: ""}
                          persistentVolumeReclaimPolicy: Retain
                          volumeMode: Filesystem
                        status:
                          lastPhaseTransitionTime: "2026-11-25T21:00:00Z"
                          phase: Pending
                        """),
                new Defaulting("persistent volume claim", new PersistentVolumeClaimStrategy(), """
                        metadata: {name: data}
                        spec:
                          accessModes: [ReadWriteOnce]
                          resources: {requests: {storage: 0.5Gi}}
                        """, """
                        metadata: {name: data, finalizers: [kubernetes.io/pvc-protection]}
                        spec:
                          accessModes: [ReadWriteOnce]
                          resources: {requests: {storage: 512Mi}}
                          volumeMode: Filesystem
                        status:
                          phase: Pending
                        """),
                new Defaulting("storage class", new StorageClassStrategy(), """
                        metadata: {name: local}
                        provisioner: kubernetes.io/no-provisioner
                        """, """
                        metadata: {name: local}
                        provisioner: kubernetes.io/no-provisioner
                        reclaimPolicy: Delete
                        volumeBindingMode: Immediate
                        """),
                new Defaulting("hpa without metrics", new HorizontalPodAutoscalerStrategy(), """
                        metadata: {name: web}
                        spec:
                          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                          maxReplicas: 10
                        """, """
                        metadata: {name: web}
                        spec:
                          maxReplicas: 10
                          metrics:
                          - resource:
                              name: cpu
                              target: {averageUtilization: 80, type: Utilization}
                            type: Resource
                          minReplicas: 1
                          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                        status:
                          currentMetrics: null
                          desiredReplicas: 0
                        """),
                new Defaulting("hpa behavior", new HorizontalPodAutoscalerStrategy(), """
                        metadata: {name: web}
                        spec:
                          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                          minReplicas: 2
                          maxReplicas: 10
                          metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}}]
                          behavior:
                            scaleDown: {stabilizationWindowSeconds: 60}
                        """, """
                        metadata: {name: web}
                        spec:
                          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                          minReplicas: 2
                          maxReplicas: 10
                          metrics: [{type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}}]
                          behavior:
                            scaleDown:
                              policies: [{periodSeconds: 15, type: Percent, value: 100}]
                              selectPolicy: Max
                              stabilizationWindowSeconds: 60
                            scaleUp:
                              policies:
                              - {periodSeconds: 15, type: Pods, value: 4}
                              - {periodSeconds: 15, type: Percent, value: 100}
                              selectPolicy: Max
                              stabilizationWindowSeconds: 0
                        status:
                          currentMetrics: null
                          desiredReplicas: 0
                        """),
                new Defaulting("network policy", new NetworkPolicyStrategy(), """
                        metadata: {name: db}
                        spec:
                          egress: [{ports: [{port: 53}]}]
                          ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]
                        """, """
                        metadata: {name: db}
                        spec:
                          egress: [{ports: [{port: 53, protocol: TCP}]}]
                          ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432, protocol: TCP}]}]
                          podSelector: {}
                          policyTypes: [Ingress, Egress]
                        """),
                new Defaulting("cluster role binding", new ClusterRoleBindingStrategy(), """
                        metadata: {name: admins}
                        roleRef: {kind: ClusterRole, name: cluster-admin}
                        subjects:
                        - {kind: Group, name: admins}
                        - {kind: ServiceAccount, name: deployer, namespace: ci}
                        """, """
                        metadata: {name: admins}
                        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                        subjects:
                        - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: admins}
                        - {kind: ServiceAccount, name: deployer, namespace: ci}
                        """),
                new Defaulting("endpoint slice", new EndpointSliceStrategy(), """
                        metadata: {name: web-abcde}
                        addressType: IPv4
                        endpoints: [{addresses: [10.244.1.5]}]
                        ports: [{port: 80}]
                        """, """
                        metadata: {name: web-abcde}
                        addressType: IPv4
                        endpoints: [{addresses: [10.244.1.5]}]
                        ports: [{name: "", port: 80, protocol: TCP}]
                        """),
                new Defaulting("event", new EventStrategy(), """
                        metadata: {name: web.1, namespace: default}
                        involvedObject: {kind: Pod, name: web, namespace: default}
                        reason: Started
                        message: Started container web
                        type: Normal
                        """, """
                        metadata: {name: web.1, namespace: default}
                        eventTime: null
                        firstTimestamp: null
                        involvedObject: {kind: Pod, name: web, namespace: default}
                        lastTimestamp: null
                        message: Started container web
                        reason: Started
                        reportingComponent: ""
                        reportingInstance: ""
                        source: {}
                        type: Normal
                        """),
                new Defaulting("node", new NodeStrategy(), """
                        metadata: {name: node-1}
                        status:
                          capacity: {cpu: "2", memory: 24Gi, pods: "110"}
                        """, """
                        metadata: {name: node-1}
                        spec: {}
                        status:
                          allocatable: {cpu: "2", memory: 24Gi, pods: "110"}
                          capacity: {cpu: "2", memory: 24Gi, pods: "110"}
                          daemonEndpoints:
                            kubeletEndpoint:
                              Port: 0
                          nodeInfo:
                            architecture: ""
                            bootID: ""
                            containerRuntimeVersion: ""
                            kernelVersion: ""
                            kubeProxyVersion: ""
                            kubeletVersion: ""
                            machineID: ""
                            operatingSystem: ""
                            osImage: ""
                            systemUUID: ""
                        """),
                new Defaulting("pod disruption budget", new PodDisruptionBudgetStrategy(), """
                        metadata: {name: web}
                        spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
                        """, """
                        metadata: {name: web}
                        spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
                        status: {currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0}
                        """),
                new Defaulting("ingress", new IngressStrategy(), """
                        metadata: {name: web}
                        spec:
                          rules:
                          - host: web.example.com
                            http:
                              paths:
                              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                        """, """
                        metadata: {name: web}
                        spec:
                          rules:
                          - host: web.example.com
                            http:
                              paths:
                              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
                        status: {loadBalancer: {}}
                        """),
                new Defaulting("priority class", new PriorityClassStrategy(), "metadata: {name: batch}\nvalue: 100",
                        "metadata: {name: batch}\nvalue: 100\npreemptionPolicy: PreemptLowerPriority"),
                new Defaulting("lease", new LeaseStrategy(), "metadata: {name: node-1}", "metadata: {name: node-1}\nspec: {}"));
    }

    @ParameterizedTest
    @MethodSource("defaulting")
    void defaultsAsKubernetesDoes(Defaulting c) {
        ObjectNode object = yaml(c.input());
        c.strategy().defaults(object);
        c.strategy().prepareForCreate(object, context);
        assertThat(object).isEqualTo(yaml(c.expected()));
        assertThat(Trees.rendered(c.strategy().validate(object, null))).isEmpty();
        ObjectNode again = object.deepCopy();
        c.strategy().defaults(again);
        assertThat(again).as("defaulting is idempotent").isEqualTo(object);
    }

    record Case(String name, KindStrategy strategy, String yaml, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("secret key", new SecretStrategy(), "metadata: {name: s}\nstringData: {'bad key': v}", List.of(
                        "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric "
                                + "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex "
                                + "used for validation is '[-._a-zA-Z0-9]+')")),
                new Case("tls secret", new SecretStrategy(), "metadata: {name: s}\ntype: kubernetes.io/tls\nstringData: {tls.crt: c}",
                        List.of("data[tls.key]: Required value")),
                new Case("dockerconfigjson secret", new SecretStrategy(), "metadata: {name: s}\ntype: kubernetes.io/dockerconfigjson",
                        List.of("data[.dockerconfigjson]: Required value")),
                new Case("basic-auth secret", new SecretStrategy(), "metadata: {name: s}\ntype: kubernetes.io/basic-auth",
                        List.of("data[username]: Required value", "data[password]: Required value")),
                new Case("ssh-auth secret", new SecretStrategy(), "metadata: {name: s}\ntype: kubernetes.io/ssh-auth",
                        List.of("data[ssh-privatekey]: Required value")),
                new Case("service account token", new SecretStrategy(), "metadata: {name: s}\ntype: kubernetes.io/service-account-token",
                        List.of("metadata.annotations[kubernetes.io/service-account.name]: Required value")),
                new Case("config map overlap", new ConfigMapStrategy(), "metadata: {name: c}\ndata: {a: x}\nbinaryData: {a: eA==}",
                        List.of("binaryData: Invalid value: \"a\": duplicate of key present in data")),
                new Case("config map size", new ConfigMapStrategy(), "metadata: {name: c}\ndata: {a: " + "x".repeat(1024 * 1024 + 1) + "}",
                        List.of("[]: Too long: may not be more than 1048576 bytes")),
                new Case("pvc without modes", new PersistentVolumeClaimStrategy(), "metadata: {name: p}\nspec: {resources: {requests: {storage: 1Gi}}}",
                        List.of("spec.accessModes: Required value: at least 1 access mode is required")),
                new Case("pvc without storage", new PersistentVolumeClaimStrategy(), "metadata: {name: p}\nspec: {accessModes: [ReadWriteOnce]}",
                        List.of("spec.resources[storage]: Required value")),
                new Case("pvc access mode", new PersistentVolumeClaimStrategy(), "metadata: {name: p}\nspec: {accessModes: [ReadWriteSometimes], resources: {requests: {storage: 1Gi}}}",
                        List.of("spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"")),
                new Case("pv without source", new PersistentVolumeStrategy(), "metadata: {name: p}\nspec: {accessModes: [ReadWriteOnce], capacity: {storage: 1Gi}}",
                        List.of("spec: Required value: must specify a volume type")),
                new Case("storage class binding mode", new StorageClassStrategy(), "metadata: {name: s}\nprovisioner: x.io/p\nvolumeBindingMode: Later",
                        List.of("volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"")),
                new Case("hpa replicas", new HorizontalPodAutoscalerStrategy(), "metadata: {name: h}\nspec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 5, maxReplicas: 2}",
                        List.of("spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`")),
                new Case("hpa target", new HorizontalPodAutoscalerStrategy(), "metadata: {name: h}\nspec: {scaleTargetRef: {kind: Deployment}, maxReplicas: 2}",
                        List.of("spec.scaleTargetRef.name: Required value")),
                new Case("ingress path type", new IngressStrategy(), "metadata: {name: i}\nspec: {rules: [{http: {paths: [{path: /, backend: {service: {name: web, port: {number: 80}}}}]}}]}",
                        List.of("spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")),
                new Case("ingress relative path", new IngressStrategy(), "metadata: {name: i}\nspec: {rules: [{http: {paths: [{path: web, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}",
                        List.of("spec.rules[0].http.paths[0].path: Invalid value: \"web\": must be an absolute path")),
                new Case("network policy cidr", new NetworkPolicyStrategy(), "metadata: {name: n}\nspec: {ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]}]}",
                        List.of("spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must be a strict subset of `cidr`")),
                new Case("role without verbs", new RoleStrategy(), "metadata: {name: r}\nrules: [{apiGroups: [''], resources: [pods]}]",
                        List.of("rules[0].verbs: Required value: verbs must contain at least one value")),
                new Case("role with urls", new RoleStrategy(), "metadata: {name: r}\nrules: [{verbs: [get], nonResourceURLs: [/healthz]}]",
                        List.of("rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs")),
                new Case("role binding kind", new RoleBindingStrategy(), "metadata: {name: b}\nroleRef: {kind: Policy, name: p}\nsubjects: [{kind: User, name: jane}]",
                        List.of("roleRef.kind: Unsupported value: \"Policy\": supported values: \"Role\", \"ClusterRole\"")),
                new Case("cluster binding SA namespace", new ClusterRoleBindingStrategy(), "metadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: sa}]",
                        List.of("subjects[0].namespace: Required value")),
                new Case("slice address", new EndpointSliceStrategy(), "metadata: {name: e}\naddressType: IPv4\nendpoints: [{addresses: ['fd00::1']}]",
                        List.of("endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address")),
                new Case("lease duration", new LeaseStrategy(), "metadata: {name: l}\nspec: {leaseDurationSeconds: 0}",
                        List.of("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")),
                new Case("pdb both", new PodDisruptionBudgetStrategy(), "metadata: {name: p}\nspec: {minAvailable: 1, maxUnavailable: 1}",
                        List.of("spec: Invalid value: {\"minAvailable\":1,\"maxUnavailable\":1}: minAvailable and maxUnavailable cannot be both set")),
                new Case("namespace name", new NamespaceStrategy(), "metadata: {name: Dev}",
                        List.of("metadata.name: Invalid value: \"Dev\": a lowercase RFC 1123 label must consist of lower case "
                                + "alphanumeric characters or '-', and must start and end with an alphanumeric character "
                                + "(e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")),
                new Case("priority class value", new PriorityClassStrategy(), "metadata: {name: top}\nvalue: 2000000000",
                        List.of("value: Invalid value: 2000000000: maximum allowed value of a user defined priority is 1000000000")),
                new Case("priority class name", new PriorityClassStrategy(), "metadata: {name: system-mine}\nvalue: 1",
                        List.of("metadata.name: Invalid value: \"system-mine\": priority class names with 'system-' prefix are reserved")),
                new Case("node taint", new NodeStrategy(), "metadata: {name: n}\nspec: {taints: [{key: k, effect: Never}]}",
                        List.of("spec.taints[0].effect: Unsupported value: \"Never\": supported values: \"NoExecute\", \"NoSchedule\", \"PreferNoSchedule\"")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithKubernetesFieldsAndMessages(Case c) {
        assertThat(Trees.createErrors(c.strategy(), yaml(c.yaml()))).containsExactlyElementsOf(c.errors());
    }

    @Test
    void immutableSecretsAndConfigMapsStaySo() {
        SecretStrategy secrets = new SecretStrategy();
        ObjectNode old = yaml("metadata: {name: s}\nimmutable: true\ndata: {a: eA==}");
        secrets.defaults(old);
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("data")).put("a", "eQ==");
        assertThat(Trees.rendered(secrets.validate(changed, old)))
                .containsExactly("data: Forbidden: field is immutable when `immutable` is set");
        ObjectNode unlocked = old.deepCopy().put("immutable", false);
        assertThat(Trees.rendered(secrets.validate(unlocked, old)))
                .containsExactly("immutable: Forbidden: field is immutable when `immutable` is set");
    }

    @Test
    void roleRefMayNotChange() {
        RoleBindingStrategy bindings = new RoleBindingStrategy();
        ObjectNode old = yaml("metadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: jane}]");
        bindings.defaults(old);
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.get("roleRef")).put("name", "edit");
        assertThat(Trees.rendered(bindings.validate(changed, old))).containsExactly(
                "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", "
                        + "Name:\"edit\"}: cannot change roleRef");
    }

    @Test
    void boundClaimsMayOnlyGrow() {
        PersistentVolumeClaimStrategy claims = new PersistentVolumeClaimStrategy();
        ObjectNode old = yaml("metadata: {name: p}\nspec: {accessModes: [ReadWriteOnce], volumeName: pv1, resources: {requests: {storage: 2Gi}}}\nstatus: {phase: Bound}");
        claims.defaults(old);
        ObjectNode grown = old.deepCopy();
        ((ObjectNode) grown.at("/spec/resources/requests")).put("storage", "4Gi");
        assertThat(claims.validate(grown, old)).isEmpty();
        ObjectNode shrunk = old.deepCopy();
        ((ObjectNode) shrunk.at("/spec/resources/requests")).put("storage", "1Gi");
        assertThat(Trees.rendered(claims.validate(shrunk, old)))
                .containsExactly("spec.resources.requests.storage: Forbidden: field can not be less than previous value");
        ObjectNode remoded = old.deepCopy();
        ((ObjectNode) remoded.get("spec")).putArray("accessModes").add("ReadWriteMany");
        assertThat(Trees.rendered(claims.validate(remoded, old))).containsExactly("spec: Forbidden: spec is immutable "
                + "after creation except resources.requests and volumeAttributesClassName for bound claims");
    }

    @Test
    void namespaceFinalizersChangeOnlyThroughFinalize() {
        NamespaceStrategy namespaces = new NamespaceStrategy();
        ObjectNode old = yaml("metadata: {name: dev}");
        namespaces.defaults(old);
        namespaces.prepareForCreate(old, context);
        ObjectNode updated = yaml("metadata: {name: dev, labels: {team: a}}\nspec: {finalizers: []}");
        namespaces.defaults(updated);
        namespaces.prepareForUpdate(updated, old, context);
        assertThat(updated.at("/spec/finalizers")).isEqualTo(yaml("finalizers: [kubernetes]").get("finalizers"));
        assertThat(updated.at("/metadata/labels")).isEqualTo(yaml("{team: a, kubernetes.io/metadata.name: dev}"));
    }
}
