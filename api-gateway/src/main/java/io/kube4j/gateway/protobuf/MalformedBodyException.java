package io.kube4j.gateway.protobuf;

/** A body, or an object to encode, that does not fit its protobuf type; the codec turns it into a Status. */
final class MalformedBodyException extends RuntimeException {
    MalformedBodyException(String message) {
        super(message);
    }
}
