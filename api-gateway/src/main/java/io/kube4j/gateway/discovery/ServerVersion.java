package io.kube4j.gateway.discovery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What {@code GET /version} reports, as Kubernetes' {@code version.Info}. kube4j answers as the
 * Kubernetes minor version whose API it serves, so clients pick the matching behaviour.
 *
 * @param major        Kubernetes major version, {@code 1}
 * @param minor        Kubernetes minor version, {@code 32}
 * @param gitVersion   the full version, e.g. {@code v1.32.0-kube4j}
 * @param gitCommit    the commit the gateway was built from, if known
 * @param gitTreeState {@code clean} or {@code dirty}
 * @param buildDate    build time, RFC 3339
 */
@ConfigurationProperties("kube4j.version")
public record ServerVersion(
        @DefaultValue("1") String major,
        @DefaultValue("32") String minor,
        @DefaultValue("v1.32.0-kube4j") String gitVersion,
        @DefaultValue("") String gitCommit,
        @DefaultValue("clean") String gitTreeState,
        @DefaultValue("1970-01-01T00:00:00Z") String buildDate) {

    public static ServerVersion defaults() {
        return new ServerVersion("1", "32", "v1.32.0-kube4j", "", "clean", "1970-01-01T00:00:00Z");
    }
}
