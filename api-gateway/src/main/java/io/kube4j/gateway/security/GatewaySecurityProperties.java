package io.kube4j.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the gateway keeps its cluster CA, serving certificate and static token file, and whether
 * it serves HTTPS.
 *
 * @param pkiDir directory of {@code ca.crt}, {@code ca.key}, {@code apiserver.crt},
 *               {@code apiserver.key} and {@code tokens.csv}; created on first start
 * @param tls    serving over HTTPS
 */
@ConfigurationProperties("kube4j.gateway")
public record GatewaySecurityProperties(@DefaultValue("./pki") Path pkiDir, @DefaultValue Tls tls) {

    /**
     * @param enabled   serve HTTPS with a certificate from the cluster CA; {@code false} serves
     *                  plain HTTP and creates no files (tests)
     * @param extraSans subject alternative names besides the built-in ones: DNS names or IP
     *                  literals, e.g. a load balancer's address
     */
    public record Tls(@DefaultValue("true") boolean enabled, @DefaultValue List<String> extraSans) {}

    public PkiFiles files() {
        return new PkiFiles(pkiDir.toAbsolutePath().normalize());
    }
}
