package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.kube4j.machinery.registry.ResourceType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The resource type a CustomResourceDefinition adds, as controllers read and write it. Pure functions. */
public final class CustomResourceTypes {

    private CustomResourceTypes() {
    }

    /**
     * The type of {@code crd}'s objects at its storage version (else its first served one), or
     * empty for a definition with no usable version.
     */
    public static Optional<ResourceType> of(CustomResourceDefinition crd) {
        var spec = crd.getSpec();
        if (spec == null || spec.getVersions() == null || spec.getNames() == null) return Optional.empty();
        Optional<String> version = spec.getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage()))
                .map(CustomResourceDefinitionVersion::getName).findFirst()
                .or(() -> spec.getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getServed()))
                        .map(CustomResourceDefinitionVersion::getName).findFirst());
        return version.map(v -> new ResourceType(spec.getGroup(), v, spec.getNames().getKind(), spec.getNames().getPlural(),
                spec.getNames().getSingular(), !"Cluster".equals(spec.getScope()), List.of(), List.of(), Set.of()));
    }
}
