package io.kube4j.controller.pods;

import io.kube4j.machinery.object.Json;

/** Deep copies of model objects: cached objects are shared and never changed in place. */
public final class Copies {

    private Copies() {}

    @SuppressWarnings("unchecked")
    public static <T> T deep(T object) {
        return (T) Json.MAPPER.convertValue(object, object.getClass());
    }
}
