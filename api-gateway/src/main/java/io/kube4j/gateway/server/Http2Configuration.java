package io.kube4j.gateway.server;

import org.apache.coyote.http2.Http2Protocol;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds HTTP/2 to the gateway's Tomcat connector, as kube-apiserver serves it: kubectl and client
 * libraries negotiate h2 by ALPN and multiplex requests and watches over one connection.
 *
 * <p>Tomcat's own limits suit browsers, not API clients: it allows 100 open streams per connection
 * and runs only 20 of them at a time, queueing the rest. A watch occupies its stream (and its
 * request thread) for its whole life, so with those limits the 21st watch on a connection would
 * never see its response start. Both limits are therefore raised to
 * {@link Http2Properties#maxConcurrentStreams()}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Http2Properties.class)
public class Http2Configuration {

    @Bean
    TomcatConnectorCustomizer http2ConnectorCustomizer(Http2Properties properties) {
        return connector -> {
            if (properties.enabled()) connector.addUpgradeProtocol(http2(properties));
        };
    }

    /** Tomcat's HTTP/2 protocol set up for {@code properties}; pure apart from creating the object. */
    static Http2Protocol http2(Http2Properties properties) {
        Http2Protocol http2 = new Http2Protocol();
        http2.setMaxConcurrentStreams(properties.maxConcurrentStreams());
        http2.setMaxConcurrentStreamExecution(properties.maxConcurrentStreams());
        http2.setKeepAliveTimeout(properties.idleTimeout().toMillis());
        return http2;
    }
}
