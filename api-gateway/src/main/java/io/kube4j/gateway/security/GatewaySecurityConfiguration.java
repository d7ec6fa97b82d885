package io.kube4j.gateway.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The authentication pieces: the static token authenticator over {@code <pki-dir>/tokens.csv}
 * and the key that signs ServiceAccount tokens.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewaySecurityProperties.class)
public class GatewaySecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewaySecurityConfiguration.class);

    /**
     * Reads the token file once at start. Without the file (TLS disabled and none provided) every
     * token is refused, which is safe: nothing authenticates by accident.
     */
    @Bean
    public TokenAuthenticator tokenAuthenticator(GatewaySecurityProperties properties) throws IOException {
        Path file = properties.files().tokens();
        if (!Files.exists(file)) {
            log.warn("no token file {}: bearer tokens are refused", file);
            return new TokenAuthenticator(Map.of());
        }
        var tokens = StaticTokenFile.read(file);
        log.info("{} token(s) from {}", tokens.size(), file);
        return new TokenAuthenticator(tokens);
    }

    /**
     * The ServiceAccount token signer over {@code <pki-dir>/sa.key}, created on first start. A
     * gateway without TLS writes no files, so it signs with a key of its own that ends with it.
     */
    @Bean
    public ServiceAccountTokens serviceAccountTokens(GatewaySecurityProperties properties) throws IOException {
        if (!properties.tls().enabled()) {
            return new ServiceAccountTokens(ServiceAccountTokens.newKey());
        }
        return new ServiceAccountTokens(ServiceAccountKey.loadOrCreate(properties.files()));
    }
}
