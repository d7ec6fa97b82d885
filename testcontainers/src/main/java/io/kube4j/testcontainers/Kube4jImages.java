package io.kube4j.testcontainers;

import java.util.Objects;

/**
 * The names of kube4j's images: {@code prefix + name + ":" + tag}, as {@code ./kube4j images},
 * docker-compose.yml and the helm chart name them (e.g. {@code kube4j/gateway:0.1.0}).
 *
 * @param prefix registry and repository prefix, e.g. {@code kube4j/} or {@code registry.example/kube4j/}
 * @param tag    the images' tag
 */
public record Kube4jImages(String prefix, String tag) {

    public static final String DEFAULT_PREFIX = "kube4j/";
    public static final String DEFAULT_TAG = "0.1.0";

    public Kube4jImages {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(tag, "tag");
    }

    /**
     * The names the environment gives: system properties {@code kube4j.image.prefix} and
     * {@code kube4j.image.tag}, else variables {@code KUBE4J_IMAGE_PREFIX} and
     * {@code KUBE4J_IMAGE_TAG} (the launcher's and compose's settings), else the defaults.
     */
    public static Kube4jImages fromEnvironment() {
        return new Kube4jImages(setting("kube4j.image.prefix", "KUBE4J_IMAGE_PREFIX", DEFAULT_PREFIX),
                setting("kube4j.image.tag", "KUBE4J_IMAGE_TAG", DEFAULT_TAG));
    }

    /** The full name of one image, e.g. {@code name("gateway")}. */
    public String name(String image) {
        return prefix + image + ":" + tag;
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null) value = System.getenv(variable);
        return value == null ? fallback : value;
    }
}
