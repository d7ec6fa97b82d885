package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.BuiltInTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PodPrinterTest {

    /** A pod named {@code p}, created 5 minutes before {@link Printed#NOW}, with the given spec and status. */
    static String pod(String spec, String status) {
        return pod("", spec, status);
    }

    static String pod(String extraMetadata, String spec, String status) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default",%s
                 "creationTimestamp":"2026-11-25T11:55:00Z","resourceVersion":"7"},
                 "spec":%s,"status":%s}""".formatted(extraMetadata, spec, status);
    }

    static final String ONE = """
            {"containers":[{"name":"web","image":"nginx"}],"nodeName":"node-1"}""";
    static final String TWO = """
            {"containers":[{"name":"web","image":"nginx"},{"name":"log","image":"busybox"}],"nodeName":"node-1"}""";
    static final String WITH_INITS = """
            {"initContainers":[{"name":"init-a","image":"busybox"},{"name":"init-b","image":"busybox"}],
             "containers":[{"name":"web","image":"nginx"}],"nodeName":"node-1"}""";

    static String running(String name, boolean ready, int restarts) {
        return """
                {"name":"%s","ready":%s,"restartCount":%d,"started":true,
                 "state":{"running":{"startedAt":"2026-11-25T11:56:00Z"}}}""".formatted(name, ready, restarts);
    }

    static String waiting(String name, String reason, int restarts, String lastFinished) {
        String last = lastFinished == null ? "{}" : """
                {"terminated":{"exitCode":1,"reason":"Error","finishedAt":"%s"}}""".formatted(lastFinished);
        return """
                {"name":"%s","ready":false,"restartCount":%d,"state":{"waiting":{"reason":"%s"}},"lastState":%s}"""
                .formatted(name, restarts, reason, last);
    }

    static String terminated(String name, int exitCode, String reason, int signal) {
        String reasonField = reason == null ? "" : ",\"reason\":\"" + reason + "\"";
        String signalField = signal == 0 ? "" : ",\"signal\":" + signal;
        return """
                {"name":"%s","ready":false,"restartCount":0,
                 "state":{"terminated":{"exitCode":%d%s%s,"finishedAt":"2026-11-25T11:58:00Z"}}}"""
                .formatted(name, exitCode, reasonField, signalField);
    }

    static String status(String phase, String initStatuses, String statuses) {
        return """
                {"phase":"%s","podIP":"10.244.1.5","podIPs":[{"ip":"10.244.1.5"}],
                 "initContainerStatuses":[%s],"containerStatuses":[%s]}""".formatted(phase, initStatuses, statuses);
    }

    record Case(String title, String pod, String expected) {
        @Override
        public String toString() {
            return title;
        }
    }

    static Stream<Case> pods() {
        return Stream.of(
                new Case("running and ready", pod(ONE, status("Running", "", running("web", true, 0))),
                        "[\"p\",\"1/1\",\"Running\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("pending, not yet scheduled", pod("""
                                {"containers":[{"name":"web","image":"nginx"}]}""", """
                                {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable"}]}"""),
                        "[\"p\",\"0/1\",\"Pending\",\"0\",\"5m\",\"<none>\",\"<none>\",\"<none>\",\"<none>\"]"),
                new Case("scheduling gated", pod("""
                                {"containers":[{"name":"web","image":"nginx"}],"schedulingGates":[{"name":"g"}]}""", """
                                {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}"""),
                        "[\"p\",\"0/1\",\"SchedulingGated\",\"0\",\"5m\",\"<none>\",\"<none>\",\"<none>\",\"<none>\"]"),
                new Case("container creating", pod(ONE, status("Pending", "", waiting("web", "ContainerCreating", 0, null))),
                        "[\"p\",\"0/1\",\"ContainerCreating\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("crash loop, last restart 3m20s ago",
                        pod(ONE, status("Running", "", waiting("web", "CrashLoopBackOff", 5, "2026-11-25T11:56:40Z"))),
                        "[\"p\",\"0/1\",\"CrashLoopBackOff\",\"5 (3m20s ago)\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("image pull back-off", pod(ONE, status("Pending", "", waiting("web", "ImagePullBackOff", 0, null))),
                        "[\"p\",\"0/1\",\"ImagePullBackOff\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("err image pull", pod(ONE, status("Pending", "", waiting("web", "ErrImagePull", 0, null))),
                        "[\"p\",\"0/1\",\"ErrImagePull\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("restarts without a recorded last termination", pod(ONE, status("Running", "", running("web", true, 3))),
                        "[\"p\",\"1/1\",\"Running\",\"3\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("first init container running", pod(WITH_INITS, status("Pending",
                                running("init-a", false, 0) + "," + waiting("init-b", "PodInitializing", 0, null),
                                waiting("web", "PodInitializing", 0, null))),
                        "[\"p\",\"0/1\",\"Init:0/2\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("second init container running", pod(WITH_INITS, status("Pending",
                                terminated("init-a", 0, "Completed", 0) + "," + running("init-b", false, 0),
                                waiting("web", "PodInitializing", 0, null))),
                        "[\"p\",\"0/1\",\"Init:1/2\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("init container crash loop", pod(WITH_INITS, status("Pending",
                                waiting("init-a", "CrashLoopBackOff", 4, "2026-11-25T11:59:00Z") + "," + waiting("init-b", "PodInitializing", 0, null),
                                waiting("web", "PodInitializing", 0, null))),
                        "[\"p\",\"0/1\",\"Init:CrashLoopBackOff\",\"4 (60s ago)\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("init container failed", pod(WITH_INITS, status("Pending",
                                terminated("init-a", 1, "Error", 0), waiting("web", "PodInitializing", 0, null))),
                        "[\"p\",\"0/1\",\"Init:Error\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("init container failed without a reason", pod(WITH_INITS, status("Pending",
                                terminated("init-a", 2, null, 0), "")),
                        "[\"p\",\"0/1\",\"Init:ExitCode:2\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("init container killed by a signal", pod(WITH_INITS, status("Pending",
                                terminated("init-a", 137, null, 9), "")),
                        "[\"p\",\"0/1\",\"Init:Signal:9\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("completed", pod(ONE, status("Succeeded", "", terminated("web", 0, "Completed", 0))),
                        "[\"p\",\"0/1\",\"Completed\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("failed with an error", pod(ONE, status("Failed", "", terminated("web", 1, "Error", 0))),
                        "[\"p\",\"0/1\",\"Error\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("out of memory", pod(ONE, status("Running", "", terminated("web", 137, "OOMKilled", 0))),
                        "[\"p\",\"0/1\",\"OOMKilled\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("container exited without a reason", pod(ONE, status("Running", "", terminated("web", 3, null, 0))),
                        "[\"p\",\"0/1\",\"ExitCode:3\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("evicted", pod(ONE, """
                                {"phase":"Failed","reason":"Evicted","message":"The node was low on resource: memory."}"""),
                        "[\"p\",\"0/1\",\"Evicted\",\"0\",\"5m\",\"<none>\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("terminating", pod("\"deletionTimestamp\":\"2026-11-25T11:59:30Z\",", ONE,
                                status("Running", "", running("web", true, 0))),
                        "[\"p\",\"1/1\",\"Terminating\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("deleted after it completed", pod("\"deletionTimestamp\":\"2026-11-25T11:59:30Z\",", ONE,
                                status("Succeeded", "", terminated("web", 0, "Completed", 0))),
                        "[\"p\",\"0/1\",\"Completed\",\"0\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("deleted on a lost node", pod("\"deletionTimestamp\":\"2026-11-25T11:59:30Z\",", ONE, """
                                {"phase":"Running","reason":"NodeLost","containerStatuses":[%s]}""".formatted(running("web", true, 0))),
                        "[\"p\",\"1/1\",\"Unknown\",\"0\",\"5m\",\"<none>\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("one of two containers ready", pod(TWO, status("Running", "",
                                running("web", true, 0) + "," + running("log", false, 1))),
                        "[\"p\",\"1/2\",\"Running\",\"1\",\"5m\",\"10.244.1.5\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("one container completed, the other running, pod ready", pod(TWO, """
                                {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
                                 "containerStatuses":[%s,%s]}""".formatted(terminated("web", 0, "Completed", 0), running("log", true, 0))),
                        "[\"p\",\"1/2\",\"Running\",\"0\",\"5m\",\"<none>\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("one container completed, the other running, pod not ready", pod(TWO, """
                                {"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
                                 "containerStatuses":[%s,%s]}""".formatted(terminated("web", 0, "Completed", 0), running("log", true, 0))),
                        "[\"p\",\"1/2\",\"NotReady\",\"0\",\"5m\",\"<none>\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("sidecar started and ready counts as a container", pod("""
                                {"initContainers":[{"name":"proxy","image":"envoy","restartPolicy":"Always"}],
                                 "containers":[{"name":"web","image":"nginx"}],"nodeName":"node-1"}""", """
                                {"phase":"Running","conditions":[{"type":"Initialized","status":"True"}],
                                 "initContainerStatuses":[{"name":"proxy","ready":true,"started":true,"restartCount":2,
                                   "state":{"running":{}},"lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-25T11:58:00Z"}}}],
                                 "containerStatuses":[%s]}""".formatted(running("web", true, 1))),
                        "[\"p\",\"2/2\",\"Running\",\"3 (2m ago)\",\"5m\",\"<none>\",\"node-1\",\"<none>\",\"<none>\"]"),
                new Case("readiness gates and a nominated node", pod("""
                                {"containers":[{"name":"web","image":"nginx"}],
                                 "readinessGates":[{"conditionType":"example.com/lb"},{"conditionType":"example.com/dns"}]}""", """
                                {"phase":"Pending","nominatedNodeName":"node-2",
                                 "conditions":[{"type":"example.com/lb","status":"True"},{"type":"example.com/dns","status":"False"}]}"""),
                        "[\"p\",\"0/1\",\"Pending\",\"0\",\"5m\",\"<none>\",\"<none>\",\"node-2\",\"1/2\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void printsPodsAsKubernetesDoes(Case c) {
        assertThat(Printed.cells(BuiltInTypes.POD, c.pod())).isEqualTo(c.expected());
    }

    @Test
    void columnsAreKubectlsWithWideOnesMarked() {
        assertThat(Printed.headers(BuiltInTypes.POD)).containsExactly(
                "Name", "Ready", "Status", "Restarts", "Age", "IP*", "Node*", "Nominated Node*", "Readiness Gates*");
    }

    @Test
    void finishedPodsCarryTheCompletedRowCondition() {
        var succeeded = Printed.row(BuiltInTypes.POD, pod(ONE, status("Succeeded", "", terminated("web", 0, "Completed", 0))));
        assertThat(succeeded.get("conditions").toString()).isEqualTo(
                "[{\"type\":\"Completed\",\"status\":\"True\",\"reason\":\"Succeeded\",\"message\":\"The pod has completed successfully.\"}]");
        var failed = Printed.row(BuiltInTypes.POD, pod(ONE, status("Failed", "", terminated("web", 1, "Error", 0))));
        assertThat(failed.get("conditions").get(0).get("reason").asString()).isEqualTo("Failed");
        var running = Printed.row(BuiltInTypes.POD, pod(ONE, status("Running", "", running("web", true, 0))));
        assertThat(running.has("conditions")).isFalse();
    }

    @Test
    void summaryIgnoresMalformedFields() {
        String malformed = """
                {"metadata":{"name":"odd"},"spec":{"containers":"not-a-list"},"status":{"containerStatuses":[{"state":"x"}]}}""";
        assertThat(Printed.cells(BuiltInTypes.POD, malformed))
                .isEqualTo("[\"odd\",\"0/0\",\"\",\"0\",\"<unknown>\",\"<none>\",\"<none>\",\"<none>\",\"<none>\"]");
    }
}
