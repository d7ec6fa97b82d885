package io.kube4j.gateway.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Priority admission plugin on a real gateway, whose PriorityClasses come from its watch
 * cache: a class is usable the moment its create is answered, a missing or deleted one is refused,
 * and a global default reaches the pods created after the watch delivered it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriorityAdmissionEndToEndTest {

    private GatewayCluster cluster;
    private ApiHttp api;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start();
        api = new ApiHttp(cluster.url(), cluster.caPem, cluster.token);
        assertThat(api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"prio\"}}").status()).isEqualTo(201);
        // A first pod lists the classes (none yet) into the gateway's memory.
        assertThat(createPod("first", "").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    private ApiHttp.Response createPod(String name, String priorityClassName) {
        String className = priorityClassName.isEmpty() ? "" : "\"priorityClassName\":\"" + priorityClassName + "\",";
        return api.post("/api/v1/namespaces/prio/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
                + name + "\"},\"spec\":{" + className + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
    }

    private ApiHttp.Response createClass(String name, int value, boolean globalDefault) {
        return api.post("/apis/scheduling.k8s.io/v1/priorityclasses", "{\"apiVersion\":\"scheduling.k8s.io/v1\","
                + "\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + name + "\"},\"value\":" + value
                + ",\"globalDefault\":" + globalDefault + ",\"preemptionPolicy\":\"Never\"}");
    }

    @Test
    void aClassIsUsableAsSoonAsItsCreateIsAnsweredAndRefusedOnceDeleted() {
        assertThat(createClass("batch", 100, false).status()).isEqualTo(201);
        ApiHttp.Response pod = createPod("batch-pod", "batch");
        assertThat(pod.status()).isEqualTo(201);
        assertThat(pod.body().at("/spec/priority").intValue()).isEqualTo(100);
        assertThat(pod.body().at("/spec/preemptionPolicy").asString()).isEqualTo("Never");

        ApiHttp.Response missing = createPod("gold-pod", "gold");
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body().path("message").asString())
                .isEqualTo("pods \"gold-pod\" is forbidden: no PriorityClass with name gold was found");

        assertThat(api.delete("/apis/scheduling.k8s.io/v1/priorityclasses/batch").status()).isEqualTo(200);
        ApiHttp.Response afterDelete = untilStatus(() -> createPod("late-pod", "batch"), 403);
        assertThat(afterDelete.body().path("message").asString())
                .isEqualTo("pods \"late-pod\" is forbidden: no PriorityClass with name batch was found");
    }

    @Test
    void aGlobalDefaultReachesThePodsCreatedAfterIt() {
        assertThat(createClass("everyone", 7, true).status()).isEqualTo(201);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        ApiHttp.Response pod;
        int i = 0;
        do {
            pod = createPod("default-" + i++, "");
            assertThat(pod.status()).isEqualTo(201);
        } while (pod.body().at("/spec/priority").intValue() != 7 && Instant.now().isBefore(deadline));
        assertThat(pod.body().at("/spec/priorityClassName").asString()).isEqualTo("everyone");
        assertThat(pod.body().at("/spec/priority").intValue()).isEqualTo(7);
        assertThat(api.delete("/apis/scheduling.k8s.io/v1/priorityclasses/everyone").status()).isEqualTo(200);
    }

    /** The first answer with {@code status} within 10 s: the gateway's memory learns of a deletion by its watch. */
    private static ApiHttp.Response untilStatus(java.util.function.Supplier<ApiHttp.Response> call, int status) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        ApiHttp.Response response = call.get();
        while (response.status() != status && Instant.now().isBefore(deadline)) {
            if (response.status() == 201) throw new AssertionError("a pod was admitted: " + response.body());
            response = call.get();
        }
        return response;
    }
}
