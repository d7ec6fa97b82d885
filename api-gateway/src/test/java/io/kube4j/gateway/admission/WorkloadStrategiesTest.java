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

/** StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job and CronJob against Kubernetes 1.32's output. */
class WorkloadStrategiesTest {

    private final AdmissionContext context = new AdmissionContext(new MemoryStore(), false);

    /** The pod template spec of a container named {@code NAME} with image {@code IMAGE}, as 1.32 defaults it. */
    private static String defaultedPodSpec(String restartPolicy) {
        return """
                      dnsPolicy: ClusterFirst
                      restartPolicy: %s
                      schedulerName: default-scheduler
                      securityContext: {}
                      terminationGracePeriodSeconds: 30
                """.formatted(restartPolicy);
    }

    private ObjectNode create(KindStrategy strategy, String yaml) {
        ObjectNode object = yaml(yaml);
        strategy.defaults(object);
        strategy.prepareForCreate(object, context);
        assertThat(Trees.rendered(strategy.validate(object, null))).isEmpty();
        return object;
    }

    @Test
    void statefulSet() {
        ObjectNode sts = create(new StatefulSetStrategy(), """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: web
                spec:
                  selector:
                    matchLabels:
                      app: nginx
                  serviceName: nginx
                  replicas: 3
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
                          name: web
                        volumeMounts:
                        - name: www
                          mountPath: /usr/share/nginx/html
                  volumeClaimTemplates:
                  - metadata:
                      name: www
                    spec:
                      accessModes: [ReadWriteOnce]
                      resources:
                        requests:
                          storage: 1024Mi
                """);
        assertThat(sts).isEqualTo(yaml("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: web
                spec:
                  persistentVolumeClaimRetentionPolicy:
                    whenDeleted: Retain
                    whenScaled: Retain
                  podManagementPolicy: OrderedReady
                  replicas: 3
                  revisionHistoryLimit: 10
                  selector:
                    matchLabels:
                      app: nginx
                  serviceName: nginx
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
                          name: web
                          protocol: TCP
                        resources: {}
                        terminationMessagePath: /dev/termination-log
                        terminationMessagePolicy: File
                        volumeMounts:
                        - mountPath: /usr/share/nginx/html
                          name: www
                """ + defaultedPodSpec("Always") + """
                  updateStrategy:
                    rollingUpdate:
                      partition: 0
                    type: RollingUpdate
                  volumeClaimTemplates:
                  - apiVersion: v1
                    kind: PersistentVolumeClaim
                    metadata:
                      creationTimestamp: null
                      name: www
                    spec:
                      accessModes:
                      - ReadWriteOnce
                      resources:
                        requests:
                          storage: 1Gi
                      volumeMode: Filesystem
                    status:
                      phase: Pending
                status:
                  availableReplicas: 0
                  replicas: 0
                """));

        ObjectNode scaled = sts.deepCopy();
        ((ObjectNode) scaled.get("spec")).put("replicas", 5);
        assertThat(new StatefulSetStrategy().validate(scaled, sts)).isEmpty();
        ObjectNode renamed = sts.deepCopy();
        ((ObjectNode) renamed.get("spec")).put("serviceName", "other");
        assertThat(Trees.rendered(new StatefulSetStrategy().validate(renamed, sts))).containsExactly(
                "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                        + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                        + "'minReadySeconds' are forbidden");
    }

    @Test
    void daemonSet() {
        ObjectNode ds = create(new DaemonSetStrategy(), """
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers: [{name: agent, image: "busybox:1.35"}]
                """);
        assertThat(ds.get("spec")).isEqualTo(yaml("""
                  revisionHistoryLimit: 10
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata:
                      creationTimestamp: null
                      labels: {app: agent}
                    spec:
                      containers:
                      - image: "busybox:1.35"
                        imagePullPolicy: IfNotPresent
                        name: agent
                        resources: {}
                        terminationMessagePath: /dev/termination-log
                        terminationMessagePolicy: File
                """ + defaultedPodSpec("Always") + """
                  updateStrategy:
                    rollingUpdate:
                      maxSurge: 0
                      maxUnavailable: 1
                    type: RollingUpdate
                """));
        assertThat(ds.get("status")).isEqualTo(yaml(
                "{currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0}"));
    }

    @Test
    void replicationControllerTakesItsSelectorAndLabelsFromTheTemplate() {
        ObjectNode rc = create(new ReplicationControllerStrategy(), """
                metadata: {name: nginx}
                spec:
                  template:
                    metadata: {labels: {app: nginx}}
                    spec:
                      containers: [{name: nginx, image: "nginx:1.22"}]
                """);
        assertThat(rc.at("/metadata/labels")).isEqualTo(yaml("app: nginx"));
        assertThat(rc.at("/spec/selector")).isEqualTo(yaml("app: nginx"));
        assertThat(rc.at("/spec/replicas").intValue()).isEqualTo(1);
        assertThat(rc.at("/status")).isEqualTo(yaml("replicas: 0"));
    }

    static final String UID = "0f9d3c1e-7d2b-4b7a-9f7e-1c2d3e4f5a6b";

    @Test
    void jobGetsItsGeneratedSelectorAndLabels() {
        ObjectNode job = create(new JobStrategy(), """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: pi
                  uid: %s
                spec:
                  template:
                    spec:
                      containers:
                      - name: pi
                        image: perl:5.34.0
                        command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
                      restartPolicy: Never
                  backoffLimit: 4
                """.formatted(UID));
        assertThat(job).isEqualTo(yaml("""
                apiVersion: batch/v1
                kind: Job
                metadata:
                  labels:
                    batch.kubernetes.io/controller-uid: %1$s
                    batch.kubernetes.io/job-name: pi
                    controller-uid: %1$s
                    job-name: pi
                  name: pi
                  uid: %1$s
                spec:
                  backoffLimit: 4
                  completionMode: NonIndexed
                  completions: 1
                  manualSelector: false
                  parallelism: 1
                  podReplacementPolicy: TerminatingOrFailed
                  selector:
                    matchLabels:
                      batch.kubernetes.io/controller-uid: %1$s
                  suspend: false
                  template:
                    metadata:
                      creationTimestamp: null
                      labels:
                        batch.kubernetes.io/controller-uid: %1$s
                        batch.kubernetes.io/job-name: pi
                        controller-uid: %1$s
                        job-name: pi
                    spec:
                      containers:
                      - command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]
                        image: perl:5.34.0
                        imagePullPolicy: IfNotPresent
                        name: pi
                        resources: {}
                        terminationMessagePath: /dev/termination-log
                        terminationMessagePolicy: File
                """.formatted(UID) + defaultedPodSpec("Never") + """
                status: {}
                """));
    }

    @Test
    void cronJobDefaultsItsJobTemplatesPodsOnly() {
        ObjectNode cronJob = create(new CronJobStrategy(), """
                apiVersion: batch/v1
                kind: CronJob
                metadata:
                  name: hello
                spec:
                  schedule: "* * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          containers:
                          - name: hello
                            image: busybox:1.28
                            imagePullPolicy: IfNotPresent
                            command: [/bin/sh, -c, date; echo Hello from the Kubernetes cluster]
                          restartPolicy: OnFailure
                """);
        assertThat(cronJob.get("spec")).isEqualTo(yaml("""
                concurrencyPolicy: Allow
                failedJobsHistoryLimit: 1
                jobTemplate:
                  metadata:
                    creationTimestamp: null
                  spec:
                    template:
                      metadata:
                        creationTimestamp: null
                      spec:
                        containers:
                        - command: [/bin/sh, -c, date; echo Hello from the Kubernetes cluster]
                          image: busybox:1.28
                          imagePullPolicy: IfNotPresent
                          name: hello
                          resources: {}
                          terminationMessagePath: /dev/termination-log
                          terminationMessagePolicy: File
                        dnsPolicy: ClusterFirst
                        restartPolicy: OnFailure
                        schedulerName: default-scheduler
                        securityContext: {}
                        terminationGracePeriodSeconds: 30
                schedule: '* * * * *'
                successfulJobsHistoryLimit: 3
                suspend: false
                """));
    }

    record Case(String name, KindStrategy strategy, String yaml, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String POD = "spec: {containers: [{name: c, image: busybox}]}";

    static Stream<Case> invalid() {
        return Stream.of(
                new Case("job restartPolicy Always", new JobStrategy(),
                        "metadata: {name: j, uid: u1}\nspec: {template: {" + POD + "}}",
                        List.of("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"")),
                new Case("job selector not generated", new JobStrategy(),
                        "metadata: {name: j, uid: u1}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}",
                        List.of("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\", "
                                + "\"batch.kubernetes.io/controller-uid\":\"u1\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
                                + "`selector` not auto-generated")),
                new Case("job manual selector mismatch", new JobStrategy(),
                        "metadata: {name: j, uid: u1}\nspec: {manualSelector: true, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: c}}, spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}",
                        List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"c\"}: `selector` does not match template `labels`")),
                new Case("job negative backoff", new JobStrategy(),
                        "metadata: {name: j, uid: u1}\nspec: {backoffLimit: -1, template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}",
                        List.of("spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0")),
                new Case("cron schedule", new CronJobStrategy(),
                        "metadata: {name: cj}\nspec: {schedule: 'every minute', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}}",
                        List.of("spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: [every minute]")),
                new Case("cron TZ", new CronJobStrategy(),
                        "metadata: {name: cj}\nspec: {schedule: 'TZ=UTC 0 0 * * *', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}}",
                        List.of("spec.schedule: Invalid value: \"TZ=UTC 0 0 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead")),
                new Case("cron name too long", new CronJobStrategy(),
                        "metadata: {name: a-very-long-cronjob-name-that-is-longer-than-fifty-two}\nspec: {schedule: '@hourly', jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}}",
                        List.of("metadata.name: Invalid value: \"a-very-long-cronjob-name-that-is-longer-than-fifty-two\": must be no more than 52 characters")),
                new Case("cron time zone", new CronJobStrategy(),
                        "metadata: {name: cj}\nspec: {schedule: '@daily', timeZone: Mars/Olympus, jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}}",
                        List.of("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus")),
                new Case("cron without schedule", new CronJobStrategy(),
                        "metadata: {name: cj}\nspec: {jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}}",
                        List.of("spec.schedule: Required value")),
                new Case("replica set mismatch", new ReplicaSetStrategy(),
                        "metadata: {name: rs}\nspec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: b}}, " + POD + "}}",
                        List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`")),
                new Case("daemon set both zero", new DaemonSetStrategy(),
                        "metadata: {name: ds}\nspec: {updateStrategy: {rollingUpdate: {maxUnavailable: 0}}, selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, " + POD + "}}",
                        List.of("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0")),
                new Case("stateful set policy", new StatefulSetStrategy(),
                        "metadata: {name: s}\nspec: {podManagementPolicy: Random, selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, " + POD + "}}",
                        List.of("spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'")),
                new Case("selector expression operator", new ReplicaSetStrategy(),
                        "metadata: {name: rs}\nspec: {selector: {matchExpressions: [{key: app, operator: Like, values: [a]}]}, template: {metadata: {labels: {app: a}}, " + POD + "}}",
                        List.of("spec.selector.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator",
                                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"a\"}: `selector` does not match template `labels`")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesWithKubernetesFieldsAndMessages(Case c) {
        ObjectNode object = yaml(c.yaml());
        c.strategy().defaults(object);
        c.strategy().prepareForCreate(object, context);
        assertThat(Trees.rendered(c.strategy().validate(object, null))).containsExactlyElementsOf(c.errors());
    }
}
