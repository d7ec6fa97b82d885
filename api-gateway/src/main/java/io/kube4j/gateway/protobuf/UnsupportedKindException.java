package io.kube4j.gateway.protobuf;

import io.kube4j.machinery.errors.ApiException;

import java.util.List;

/**
 * A kind with no protobuf form (a custom resource, or an unknown kind): a body of it cannot be read
 * (415 UnsupportedMediaType) nor an answer written (406 NotAcceptable) as protobuf. The gateway
 * should check {@link ProtobufCodec#supports} first and fall back to JSON where the client accepts it.
 */
public final class UnsupportedKindException extends ApiException {

    private final String apiVersion;
    private final String objectKind;

    private UnsupportedKindException(int code, String reason, String message, String apiVersion, String kind) {
        super(code, reason, message, null, null, null, List.of());
        this.apiVersion = apiVersion;
        this.objectKind = kind;
    }

    static UnsupportedKindException forDecode(String apiVersion, String kind) {
        return new UnsupportedKindException(415, "UnsupportedMediaType",
                "the body of the request was in an unknown format - no protobuf form is known for kind \""
                        + kind + "\" in version \"" + apiVersion + "\"; send it as application/json",
                apiVersion, kind);
    }

    static UnsupportedKindException forEncode(String apiVersion, String kind) {
        return new UnsupportedKindException(406, "NotAcceptable",
                "the server cannot encode kind \"" + kind + "\" in version \"" + apiVersion
                        + "\" as application/vnd.kubernetes.protobuf; accept application/json",
                apiVersion, kind);
    }

    /** The apiVersion of the object without a protobuf form. */
    public String apiVersion() { return apiVersion; }

    /** The kind of the object without a protobuf form. */
    public String objectKind() { return objectKind; }
}
