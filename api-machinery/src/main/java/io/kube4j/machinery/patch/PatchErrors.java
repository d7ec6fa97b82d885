package io.kube4j.machinery.patch;

import java.util.List;

import io.kube4j.machinery.errors.ApiException;

/** The Status errors kube-apiserver answers a bad patch with. */
final class PatchErrors {

    /** kube-apiserver hides why a JSON patch did not apply behind this fixed message; clients match on it. */
    static final String REJECTED = "the server rejected our request due to an error in our request";

    private PatchErrors() {}

    /**
     * 422 Invalid with kube-apiserver's fixed message and empty details; the specific reason travels only as the
     * exception's cause, for the server's log.
     */
    static ApiException rejected(String detail) {
        ApiException e = new ApiException(422, "Invalid", REJECTED, null, null, null, List.of());
        e.initCause(new IllegalArgumentException(detail));
        return e;
    }

    static ApiException badRequest(String message) {
        return ApiException.badRequest(message);
    }
}
