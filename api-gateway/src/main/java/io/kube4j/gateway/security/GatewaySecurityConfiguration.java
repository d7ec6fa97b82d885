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

/** The authentication pieces: the static token authenticator over {@code <pki-dir>/tokens.csv}. */
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
}
