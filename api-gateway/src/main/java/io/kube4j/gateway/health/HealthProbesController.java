package io.kube4j.gateway.health;

import io.kube4j.gateway.health.HealthCheck.Probe;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * kube-apiserver's probe endpoints {@code /healthz}, {@code /livez} and {@code /readyz}: plain
 * text {@code ok} with 200 when every check passes, 500 with the failed checks otherwise;
 * {@code ?verbose} lists each check ({@code [+]ping ok}), {@code ?exclude=name} skips one, and
 * {@code /readyz/<check>} runs one check. Reasons are withheld, as kube-apiserver does for
 * unauthenticated callers. They need no credentials (see
 * {@link io.kube4j.gateway.security.PublicPaths}); Spring's actuator stays at
 * {@code /actuator/**}.
 *
 * <p>Built-in checks: {@code ping} (always passes), {@code liveness} (Spring's liveness state,
 * all probes) and {@code readiness} (Spring's readiness state: false until the application has
 * started and while it shuts down; {@code /readyz} only).
 */
@RestController
public class HealthProbesController {

    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final List<HealthCheck> checks;

    public HealthProbesController(ApplicationAvailability availability, List<HealthCheck> extraChecks) {
        List<HealthCheck> all = new ArrayList<>();
        all.add(HealthCheck.of("ping", EnumSet.allOf(Probe.class), () -> true));
        all.add(HealthCheck.of("liveness", EnumSet.allOf(Probe.class),
                () -> availability.getLivenessState() == LivenessState.CORRECT));
        all.add(HealthCheck.of("readiness", EnumSet.of(Probe.READYZ),
                () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC));
        all.addAll(extraChecks);
        this.checks = List.copyOf(all);
    }

    @GetMapping("/{probe:healthz|livez|readyz}")
    public ResponseEntity<String> probe(@PathVariable("probe") String path, HttpServletRequest request,
                                        @RequestParam(required = false) Set<String> exclude) {
        Probe probe = Probe.valueOf(path.toUpperCase(Locale.ROOT));
        boolean verbose = hasParameter(request.getQueryString(), "verbose");
        boolean passed = true;
        StringBuilder details = new StringBuilder();
        for (HealthCheck check : checks) {
            if (!check.probes().contains(probe)) continue;
            if (exclude != null && exclude.contains(check.name())) {
                details.append("[+]").append(check.name()).append(" excluded: ok\n");
                continue;
            }
            if (check.passes()) {
                details.append("[+]").append(check.name()).append(" ok\n");
            } else {
                passed = false;
                details.append("[-]").append(check.name()).append(" failed: reason withheld\n");
            }
        }
        String name = probe.name().toLowerCase(Locale.ROOT);
        if (passed) {
            return text(HttpStatus.OK, verbose ? details + name + " check passed\n" : "ok");
        }
        return text(HttpStatus.INTERNAL_SERVER_ERROR, details + name + " check failed\n");
    }

    @GetMapping("/{probe:healthz|livez|readyz}/{check}")
    public ResponseEntity<String> single(@PathVariable String probe, @PathVariable String check) {
        Probe kind = Probe.valueOf(probe.toUpperCase(Locale.ROOT));
        for (HealthCheck candidate : checks) {
            if (candidate.name().equals(check) && candidate.probes().contains(kind)) {
                return candidate.passes()
                        ? text(HttpStatus.OK, "ok")
                        : text(HttpStatus.INTERNAL_SERVER_ERROR, "internal server error: " + check + " check failed\n");
            }
        }
        return text(HttpStatus.NOT_FOUND, "404 page not found\n");
    }

    /** Whether the query names the parameter, with or without a value ({@code ?verbose}). */
    private static boolean hasParameter(String query, String name) {
        if (query == null) return false;
        for (String pair : query.split("&")) {
            if (pair.equals(name) || pair.startsWith(name + "=")) return true;
        }
        return false;
    }

    private static ResponseEntity<String> text(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(TEXT).header("X-Content-Type-Options", "nosniff").body(body);
    }
}
