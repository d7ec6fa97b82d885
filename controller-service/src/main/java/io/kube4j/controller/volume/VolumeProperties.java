package io.kube4j.controller.volume;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Settings of the PersistentVolume controller, under {@code kube4j.controllers.volumes}.
 *
 * @param localPathDir     where on a node the {@code local-path} provisioner puts its volumes
 * @param defaultClass     whether to create the default StorageClass {@code local-path} when it is missing
 * @param cleanupImage     the image of the pod that deletes a {@code local-path} volume's data (it runs {@code rm -rf})
 * @param cleanupNamespace the namespace of those pods
 */
@ConfigurationProperties("kube4j.controllers.volumes")
public record VolumeProperties(Path localPathDir, Boolean defaultClass, String cleanupImage, String cleanupNamespace) {

    public VolumeProperties {
        localPathDir = localPathDir == null ? Path.of("/var/lib/kube4j/local-path") : localPathDir;
        defaultClass = defaultClass == null || defaultClass;
        cleanupImage = cleanupImage == null || cleanupImage.isBlank() ? "busybox:1.35" : cleanupImage;
        cleanupNamespace = cleanupNamespace == null || cleanupNamespace.isBlank() ? "kube-system" : cleanupNamespace;
    }
}
