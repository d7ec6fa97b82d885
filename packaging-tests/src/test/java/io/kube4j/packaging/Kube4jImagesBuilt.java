package io.kube4j.packaging;

import io.kube4j.testsupport.DockerDaemon;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Before a test class that runs kube4j's images: a Docker engine answers (one started here stops
 * when the test run ends) and {@code ./kube4j images} has built every image (a no-op when their
 * inputs did not change). Register it before {@code Kube4jExtension}.
 */
final class Kube4jImagesBuilt implements BeforeAllCallback {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(Kube4jImagesBuilt.class))
                .getOrComputeIfAbsent(DockerDaemon.class, key -> {
                    DockerDaemon docker = DockerDaemon.ensure();
                    DockerDaemon.ok(ROOT, Map.of(), Duration.ofMinutes(20), "./kube4j", "images");
                    return docker;
                }, DockerDaemon.class);
    }
}
