package io.kube4j.gateway.protobuf;

import io.kube4j.gateway.http.BodyDecoder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The protobuf wire format, for request bodies of clients that send it (kubectl's typed commands). */
@Configuration(proxyBeanMethods = false)
public class ProtobufConfiguration {

    static {
        // The Kubernetes message classes predate protobuf 22 and warn at first use; bodies are
        // size-limited before they are parsed (the gateway's 3 MiB), which is what the warning asks for.
        System.setProperty("com.google.protobuf.use_unsafe_pre22_gencode", "true");
    }

    @Bean
    public ProtobufCodec protobufCodec() {
        return new ProtobufCodec();
    }

    @Bean
    public BodyDecoder.ProtobufDecoder protobufDecoder(ProtobufCodec codec) {
        return codec::decode;
    }
}
