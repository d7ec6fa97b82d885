package io.kube4j.gateway.health;

import io.kube4j.gateway.health.HealthCheck.Probe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

class HealthProbesControllerTest {

    /** The application's state, one request, and what kube-apiserver would answer. */
    record Case(String description, List<AvailabilityState> states, boolean etcdUp, String uri,
                int status, String body) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final List<AvailabilityState> SERVING =
            List.of(LivenessState.CORRECT, ReadinessState.ACCEPTING_TRAFFIC);
    private static final List<AvailabilityState> STARTING_OR_STOPPING =
            List.of(LivenessState.CORRECT, ReadinessState.REFUSING_TRAFFIC);

    static Stream<Case> cases() {
        return Stream.of(
                new Case("healthz ok", SERVING, true, "/healthz", 200, "ok"),
                new Case("livez ok", SERVING, true, "/livez", 200, "ok"),
                new Case("readyz ok", SERVING, true, "/readyz", 200, "ok"),
                new Case("readyz verbose", SERVING, true, "/readyz?verbose", 200,
                        "[+]ping ok\n[+]liveness ok\n[+]readiness ok\n[+]etcd ok\nreadyz check passed\n"),
                new Case("livez verbose has no readiness check", SERVING, true, "/livez?verbose", 200,
                        "[+]ping ok\n[+]liveness ok\nlivez check passed\n"),
                new Case("readyz while refusing traffic", STARTING_OR_STOPPING, true, "/readyz", 500,
                        "[+]ping ok\n[+]liveness ok\n[-]readiness failed: reason withheld\n[+]etcd ok\nreadyz check failed\n"),
                new Case("livez while refusing traffic", STARTING_OR_STOPPING, true, "/livez", 200, "ok"),
                new Case("readyz with a failing extra check", SERVING, false, "/readyz", 500,
                        "[+]ping ok\n[+]liveness ok\n[+]readiness ok\n[-]etcd failed: reason withheld\nreadyz check failed\n"),
                new Case("failing check excluded", SERVING, false, "/readyz?exclude=etcd", 200, "ok"),
                new Case("failing check excluded, verbose", SERVING, false, "/readyz?exclude=etcd&verbose", 200,
                        "[+]ping ok\n[+]liveness ok\n[+]readiness ok\n[+]etcd excluded: ok\nreadyz check passed\n"),
                new Case("one check", SERVING, true, "/readyz/ping", 200, "ok"),
                new Case("one failing check", SERVING, false, "/readyz/etcd", 500,
                        "internal server error: etcd check failed\n"),
                new Case("a check of another probe", SERVING, true, "/livez/readiness", 404, "404 page not found\n"),
                new Case("an unknown check", SERVING, true, "/healthz/nope", 404, "404 page not found\n"),
                new Case("liveness broken", List.of(LivenessState.BROKEN, ReadinessState.ACCEPTING_TRAFFIC), true,
                        "/livez", 500, "[+]ping ok\n[-]liveness failed: reason withheld\nlivez check failed\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersLikeKubeApiserver(Case c) throws Exception {
        ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
        c.states().forEach(state -> availability.onApplicationEvent(new AvailabilityChangeEvent<>(this, state)));
        HealthCheck etcd = HealthCheck.of("etcd", EnumSet.of(Probe.HEALTHZ, Probe.READYZ), c::etcdUp);
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new HealthProbesController(availability, List.of(etcd))).build();

        MockHttpServletResponse response = mvc.perform(get(c.uri())).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(c.status());
        assertThat(response.getContentAsString()).isEqualTo(c.body());
        assertThat(response.getContentType()).startsWith("text/plain");
    }
}
