package io.kube4j.gateway.security;

import io.kube4j.gateway.GatewayApplication;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PKI is prepared for the gateway application only: another application with the gateway's
 * jar on its class path gets no files and keeps its own server settings.
 */
class GatewayTlsEnvironmentPostProcessorTest {

    /** Some other module's application. */
    static class OtherApplication {}

    record Case(String name, Class<?> source, String tlsEnabled, boolean prepares) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("the gateway, TLS by default", GatewayApplication.class, null, true),
                new Case("the gateway, TLS on", GatewayApplication.class, "true", true),
                new Case("the gateway, TLS off", GatewayApplication.class, "false", false),
                new Case("another application", OtherApplication.class, null, false),
                new Case("another application, TLS off", OtherApplication.class, "false", false),
                new Case("another application asking for the gateway's TLS", OtherApplication.class, "true", true)
        ).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void preparesThePkiOnlyForTheGateway(Case c, @TempDir Path dir) {
        Path pki = dir.resolve("pki");
        MockEnvironment environment = new MockEnvironment().withProperty("kube4j.gateway.pki-dir", pki.toString());
        if (c.tlsEnabled() != null) environment.setProperty("kube4j.gateway.tls.enabled", c.tlsEnabled());

        new GatewayTlsEnvironmentPostProcessor(new DeferredLogs())
                .postProcessEnvironment(environment, new SpringApplication(c.source()));

        assertThat(Files.exists(pki.resolve("ca.crt"))).isEqualTo(c.prepares());
        assertThat(Files.exists(pki.resolve("tokens.csv"))).isEqualTo(c.prepares());
        assertThat(environment.getPropertySources().contains(GatewayTlsEnvironmentPostProcessor.PROPERTY_SOURCE))
                .isEqualTo(c.prepares());
        assertThat(environment.getProperty("server.ssl.bundle"))
                .isEqualTo(c.prepares() ? GatewayTlsEnvironmentPostProcessor.BUNDLE : null);
    }
}
