package io.kube4j.gateway.security;

import io.kube4j.gateway.GatewayApplication;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Prepares the gateway's PKI and admin token before the web server exists, then points Spring
 * Boot's SSL at it: a PEM SSL bundle {@value #BUNDLE} with the serving certificate, used by
 * {@code server.ssl.bundle}. The properties are added with the lowest precedence, so any
 * explicit {@code server.ssl.*} configuration wins.
 *
 * <p>It acts only for the gateway application itself, one whose sources include
 * {@link GatewayApplication}, or for an application that asks for it explicitly with
 * {@code kube4j.gateway.tls.enabled=true} (a slice of the gateway in a test): Spring Boot runs every {@code EnvironmentPostProcessor} on its class
 * path in every application, and another application that merely has the gateway's jar on its
 * class path (a test of another module, a cluster assembled in one process) must neither get a
 * PKI directory written into its working directory nor have its own server switched to HTTPS.
 *
 * <p>With {@code kube4j.gateway.tls.enabled=false} it does nothing: the gateway serves plain
 * HTTP and writes no files. Runs once per application start, under a file lock in the PKI
 * directory so that gateways sharing the directory do not create two CAs.
 */
public class GatewayTlsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String BUNDLE = "kube4j-gateway";
    static final String PROPERTY_SOURCE = "kube4jGatewayTls";
    private static final String ENABLED = "kube4j.gateway.tls.enabled";

    private final Log log;

    public GatewayTlsEnvironmentPostProcessor(DeferredLogFactory logs) {
        this.log = logs.getLog(GatewayTlsEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        // after the config data (application.properties, profiles) has been loaded
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!isGateway(application) && !environment.getProperty(ENABLED, Boolean.class, false)) {
            return;
        }
        GatewaySecurityProperties properties = Binder.get(environment)
                .bindOrCreate("kube4j.gateway", GatewaySecurityProperties.class);
        if (!properties.tls().enabled()) {
            log.info("TLS disabled (kube4j.gateway.tls.enabled=false): serving plain HTTP");
            return;
        }
        PkiFiles files = properties.files();
        // Pods reach the API at the kubernetes Service's address, the first of the cluster IP range.
        var ranges = Binder.get(environment).bindOrCreate("kube4j.services",
                io.kube4j.gateway.admission.allocation.ServiceRangesProperties.class);
        java.util.List<String> extras = new java.util.ArrayList<>(properties.tls().extraSans());
        extras.add(io.kube4j.gateway.admission.allocation.IpRange.parse(ranges.clusterIpRange()).valueAt(0));
        Set<SubjectAltName> names = SubjectAltName.forGateway(SubjectAltName.localHostName(), extras);
        ClusterPki.Result result;
        boolean tokensCreated;
        try {
            Files.createDirectories(files.dir());
            try (FileChannel channel = FileChannel.open(files.dir().resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                result = ClusterPki.ensure(files, names, Instant.now());
                tokensCreated = StaticTokenFile.ensureAdmin(files.tokens());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the gateway PKI in " + files.dir(), e);
        }
        log.info("cluster CA " + files.caCertificate() + ": " + result.authority().name().toLowerCase()
                + "; serving certificate " + files.servingCertificate() + ": " + result.serving().name().toLowerCase()
                + result.servingReason().map(reason -> " (" + reason + ")").orElse("")
                + " for " + names);
        if (tokensCreated) {
            log.info("admin token written to " + files.tokens());
        }
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                "spring.ssl.bundle.pem." + BUNDLE + ".keystore.certificate", "file:" + files.servingCertificate(),
                "spring.ssl.bundle.pem." + BUNDLE + ".keystore.private-key", "file:" + files.servingKey(),
                "server.ssl.bundle", BUNDLE,
                "server.ssl.enabled", "true")));
    }

    /** Whether {@code application} is the gateway: {@link GatewayApplication} is one of its sources. */
    static boolean isGateway(SpringApplication application) {
        return application != null && application.getAllSources().contains(GatewayApplication.class);
    }
}
