package io.kube4j.packaging;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workload kinds on the cluster of {@code ./kube4j up}, with real busybox and nginx pods on the
 * real node (containerd), driven by the real kubectl: a StatefulSet's ordered start, the resolv.conf
 * its pods get and their DNS names in the cluster DNS, a Job's retries up to BackoffLimitExceeded and another's
 * DeadlineExceeded, a CronJob firing on a one-minute schedule, a claimed volume keeping its data
 * across pod deletion and going with its claim (its directory removed on the node), an HPA scaling a Deployment up under CPU load and back down, a DaemonSet's
 * pod on the node and its {@code rollout restart}.
 *
 * <p>Everything is applied at once and checked in turn, so that the slow parts (the CronJob's
 * minute, the Job's backoff, the HPA's sync periods) overlap.
 */
@ExtendWith(LauncherCluster.Extension.class)
class WorkloadsOnRealNodeTest {

    private LauncherCluster cluster;
    private Kubectl kubectl;

    @BeforeEach
    void cluster(LauncherCluster cluster) {
        this.cluster = cluster;
        this.kubectl = cluster.kubectl();
    }

    private static final String STATEFULSET = """
            apiVersion: v1
            kind: Service
            metadata: {name: nginx, labels: {app: web}}
            spec:
              clusterIP: None
              selector: {app: web}
              ports: [{name: http, port: 80}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: web}
            spec:
              serviceName: nginx
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.22
                    ports: [{containerPort: 80, name: http}]
                    readinessProbe:
                      httpGet: {path: /, port: 80}
                      periodSeconds: 1
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: dns-client}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: shell
                image: busybox:1.35
                command: [sleep, "3600"]
            """;

    private static final String JOBS = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: fails}
            spec:
              backoffLimit: 1
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: fail
                    image: busybox:1.35
                    command: [sh, -c, "echo failing; exit 3"]
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: too-slow}
            spec:
              activeDeadlineSeconds: 8
              template:
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: sleep
                    image: busybox:1.35
                    command: [sleep, "600"]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: every-minute}
            spec:
              schedule: "*/1 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers:
                      - name: hello
                        image: busybox:1.35
                        command: [sh, -c, "date; echo hello from the cron job"]
            """;

    private static final String CLAIM = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 64Mi}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: writer}
            spec:
              restartPolicy: Never
              volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
              containers:
              - name: write
                image: busybox:1.35
                command: [sh, -c, "echo kept-across-pods > /data/message"]
                volumeMounts: [{name: data, mountPath: /data}]
            """;

    private static final String READER = """
            apiVersion: v1
            kind: Pod
            metadata: {name: reader}
            spec:
              restartPolicy: Never
              volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
              containers:
              - name: read
                image: busybox:1.35
                command: [cat, /data/message]
                volumeMounts: [{name: data, mountPath: /data}]
            """;

    /** Busy while the host file {@code <switch>/idle} is absent; the CPU limit keeps the load small. */
    private static final String AUTOSCALED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: burner}
            spec:
              replicas: 1
              selector: {matchLabels: {app: burner}}
              template:
                metadata: {labels: {app: burner}}
                spec:
                  terminationGracePeriodSeconds: 1
                  volumes: [{name: switch, hostPath: {path: %s, type: Directory}}]
                  containers:
                  - name: burn
                    image: busybox:1.35
                    command: [sh, -c, "while [ ! -e /switch/idle ]; do :; done; exec sleep 3600"]
                    resources: {requests: {cpu: 20m}, limits: {cpu: 100m}}
                    volumeMounts: [{name: switch, mountPath: /switch}]
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: burner}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burner}
              minReplicas: 1
              maxReplicas: 3
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
              behavior:
                scaleDown: {stabilizationWindowSeconds: 0}
            """;

    /** The seed's DaemonSet example (with the image this machine has). */
    private static final String DAEMONSET = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: node-logger
              labels: {controller: daemonset}
            spec:
              revisionHistoryLimit: 3
              updateStrategy:
                type: RollingUpdate
                rollingUpdate: {maxUnavailable: 1}
              selector:
                matchLabels: {app: node-logger}
                matchExpressions:
                - {key: app, operator: In, values: [node-logger]}
              template:
                metadata: {labels: {app: node-logger}}
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.22
                    ports: [{containerPort: 80}]
            """;

    @Test
    void workloadsRunOnTheRealNode() throws Exception {
        Instant start = Instant.now();
        Path hpaSwitch = Files.createDirectories(cluster.home().resolve("hpa-switch"));
        for (String manifest : List.of(JOBS, STATEFULSET, CLAIM, AUTOSCALED.formatted(hpaSwitch), DAEMONSET)) {
            Kubectl.Result applied = kubectl.runWithInput(manifest, "apply", "-f", "-");
            assertThat(applied.ok()).as(applied.toString()).isTrue();
        }

        // StatefulSet: OrderedReady — web-1 is made only once web-0 is Ready.
        kubectl.ok("rollout", "status", "statefulset/web", "--timeout=120s");
        Instant web0Ready = Instant.parse(kubectl.ok("get", "pod", "web-0", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].lastTransitionTime}").trim());
        Instant web1Created = Instant.parse(kubectl.ok("get", "pod", "web-1", "-o", "jsonpath={.metadata.creationTimestamp}").trim());
        assertThat(web1Created).as("web-1 is created after web-0 is Ready").isAfterOrEqualTo(web0Ready);

        // Their DNS names, from another pod through the cluster DNS its resolv.conf names.
        kubectl.ok("wait", "--for=condition=Ready", "pod/dns-client", "--timeout=60s");
        String resolvConf = kubectl.ok("exec", "dns-client", "--", "cat", "/etc/resolv.conf");
        assertThat(resolvConf).contains("nameserver 10.96.0.10")
                .contains("search default.svc.cluster.local svc.cluster.local cluster.local").contains("ndots:5");
        // Their DNS names, from the cluster DNS the kube-dns Service fronts (asked on its node port).
        for (String pod : List.of("web-0", "web-1")) {
            String ip = kubectl.ok("get", "pod", pod, "-o", "jsonpath={.status.podIP}").trim();
            String name = pod + ".nginx.default.svc.cluster.local";
            eventually(Duration.ofSeconds(30), () -> lookUp(name), ip::equals);
            // And from a pod, through the kube-dns Service IP its resolv.conf names.
            assertThat(eventually(Duration.ofSeconds(30), () -> kubectl.run("exec", "dns-client", "--", "nslookup", name),
                    r -> r.ok() && r.out().contains(ip)).out()).contains(ip);
        }
        assertThat(eventually(Duration.ofSeconds(30), () -> kubectl.run("exec", "dns-client", "--", "timeout", "5", "wget", "-q",
                "-O", "-", "http://web-1.nginx"), Kubectl.Result::ok).out()).as("a short name through the search path").contains("nginx");

        // DaemonSet: its pod on the node, then a rollout restart replaces it.
        kubectl.ok("rollout", "status", "daemonset/node-logger", "--timeout=90s");
        String node = kubectl.ok("get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").trim();
        String daemonPod = kubectl.ok("get", "pods", "-l", "app=node-logger", "-o", "jsonpath={.items[0].metadata.name}").trim();
        assertThat(kubectl.ok("get", "pod", daemonPod, "-o", "jsonpath={.spec.nodeName}").trim()).isEqualTo(node);
        kubectl.ok("rollout", "restart", "daemonset/node-logger");
        kubectl.ok("rollout", "status", "daemonset/node-logger", "--timeout=90s");
        assertThat(kubectl.ok("rollout", "history", "daemonset/node-logger")).containsPattern("(?m)^2\\s");
        eventually(Duration.ofSeconds(60), () -> kubectl.run("get", "pods", "-l", "app=node-logger", "-o", "name"),
                r -> r.ok() && r.out().lines().count() == 1 && !r.out().contains(daemonPod));

        // A claimed volume keeps its data across pod deletion.
        kubectl.ok("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/writer", "--timeout=90s");
        assertThat(kubectl.ok("get", "pvc", "data", "-o", "jsonpath={.status.phase}")).isEqualTo("Bound");
        kubectl.ok("delete", "pod", "writer", "--wait=true", "--timeout=60s");
        kubectl.runWithInput(READER, "apply", "-f", "-");
        kubectl.ok("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/reader", "--timeout=60s");
        assertThat(kubectl.ok("logs", "reader")).contains("kept-across-pods");
        // Once the claim goes, its volume (reclaim policy Delete) takes the data on the node with it.
        String volume = kubectl.ok("get", "pvc", "data", "-o", "jsonpath={.spec.volumeName}").trim();
        Path volumeDir = Path.of(kubectl.ok("get", "pv", volume, "-o", "jsonpath={.spec.hostPath.path}").trim());
        assertThat(volumeDir.resolve("message")).as("the data on the node").exists();
        kubectl.ok("delete", "pod", "reader", "--wait=true", "--timeout=60s");
        kubectl.ok("delete", "pvc", "data", "--timeout=60s");
        eventually(Duration.ofSeconds(60), () -> kubectl.run("get", "pv", volume), r -> !r.ok() && r.err().contains("NotFound"));
        assertThat(volumeDir).as("removed from the node by the volume's cleanup pod").doesNotExist();

        // Jobs: retries up to the backoff limit, and a deadline.
        kubectl.ok("wait", "--for=condition=Failed", "job/fails", "--timeout=90s");
        assertThat(kubectl.ok("get", "job", "fails", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}"))
                .isEqualTo("BackoffLimitExceeded");
        assertThat(kubectl.ok("get", "job", "fails", "-o", "jsonpath={.status.failed}")).isEqualTo("2");
        kubectl.ok("wait", "--for=condition=Failed", "job/too-slow", "--timeout=60s");
        assertThat(kubectl.ok("get", "job", "too-slow", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}"))
                .isEqualTo("DeadlineExceeded");
        eventually(Duration.ofSeconds(30), () -> kubectl.run("get", "pods", "-l", "job-name=too-slow", "-o", "name"),
                r -> r.ok() && r.out().isBlank());

        // HPA: up under CPU load, down once the load stops.
        eventually(Duration.ofSeconds(120), () -> kubectl.run("get", "deployment", "burner", "-o", "jsonpath={.spec.replicas}"),
                r -> r.ok() && !r.out().isBlank() && Integer.parseInt(r.out().trim()) > 1);
        assertThat(kubectl.ok("get", "hpa", "burner")).containsPattern("cpu: \\d+%/50%");
        Files.createFile(hpaSwitch.resolve("idle"));
        eventually(Duration.ofSeconds(120), () -> kubectl.run("get", "deployment", "burner", "-o", "jsonpath={.spec.replicas}"),
                r -> r.ok() && "1".equals(r.out().trim()));

        // CronJob: fired within its first minute and the job it made completed.
        eventually(Duration.ofSeconds(90), () -> kubectl.run("get", "cronjob", "every-minute", "-o",
                "jsonpath={.status.lastSuccessfulTime}"), r -> r.ok() && !r.out().isBlank());
        String cronJobName = kubectl.ok("get", "jobs", "-o",
                "jsonpath={.items[?(@.metadata.ownerReferences[0].name==\"every-minute\")].metadata.name}").trim().split(" ")[0];
        assertThat(kubectl.ok("logs", "job/" + cronJobName)).contains("hello from the cron job");

        System.out.println("WorkloadsOnRealNodeTest: checks took " + Duration.between(start, Instant.now()).toSeconds() + " s");
    }

    /** The A record of {@code name} from the proxy agent's DNS server, or "" when it has none. */
    private String lookUp(String name) {
        var env = new java.util.Hashtable<String, String>();
        env.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(javax.naming.Context.PROVIDER_URL, "dns://127.0.0.1:" + cluster.setting("KUBE4J_DNS_PORT"));
        try {
            var context = new javax.naming.directory.InitialDirContext(env);
            try {
                var record = context.getAttributes(name, new String[]{"A"}).get("A");
                return record == null ? "" : record.get().toString();
            } finally {
                context.close();
            }
        } catch (javax.naming.NamingException e) {
            return "";
        }
    }

    /** Calls {@code call} every second until {@code done} holds for its result, which it returns; fails after {@code timeout}. */
    static <T> T eventually(Duration timeout, java.util.function.Supplier<T> call, Predicate<T> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        T last = call.get();
        while (!done.test(last)) {
            assertThat(Instant.now()).as("waited %s; last: %s", timeout, last).isBefore(deadline);
            Thread.sleep(1000);
            last = call.get();
        }
        return last;
    }
}
