package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Cache and work-queue keys: {@code namespace/name}, or {@code name} without a namespace, as client-go's MetaNamespaceKeyFunc. */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    public static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public static String key(HasMetadata object) {
        return key(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The namespace of a key, empty for a cluster-scoped key. */
    public static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The name of a key. */
    public static String name(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** The resourceVersion of an object as a number, 0 when it has none or it is not numeric. */
    public static long revision(HasMetadata object) {
        String rv = object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
        if (rv == null) return 0;
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
