package io.kube4j.gateway.http;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a request body into an object's JSON tree, whatever wire format the client used: JSON,
 * YAML or Kubernetes' protobuf envelope. Unknown formats are a 415.
 */
public final class BodyDecoder {

    /** Decodes protobuf bodies; the gateway's protobuf codec implements it. */
    public interface ProtobufDecoder {
        ObjectNode decode(byte[] body);
    }

    private final ProtobufDecoder protobuf;

    public BodyDecoder(ProtobufDecoder protobuf) {
        this.protobuf = protobuf;
    }

    public ObjectNode decode(byte[] body, String contentType) {
        String type = MediaTypes.base(contentType);
        return switch (type) {
            case MediaTypes.JSON, "*/*" -> Json.parseObject(body);
            case MediaTypes.YAML, "application/x-yaml", "text/yaml" -> Json.parseYamlObject(body);
            case MediaTypes.PROTOBUF -> protobuf.decode(body);
            default -> throw ApiException.unsupportedMediaType(contentType);
        };
    }
}
