package io.kube4j.gateway.protobuf;

import io.kube4j.gateway.http.BodyDecoder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The protobuf wire format, for request bodies of clients that send it (kubectl's typed commands). */
@Configuration(proxyBeanMethods = false)
public class ProtobufConfiguration {

    @Bean
    public ProtobufCodec protobufCodec() {
        return new ProtobufCodec();
    }

    @Bean
    public BodyDecoder.ProtobufDecoder protobufDecoder(ProtobufCodec codec) {
        return codec::decode;
    }
}
