package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.ArrayList;
import java.util.List;

/** Controller owner references: who controls an object, and the reference a controller puts on what it makes. */
public final class Owners {

    private Owners() {}

    /** The owner reference with {@code controller: true}, or null. */
    public static OwnerReference controllerOf(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null) return null;
        for (OwnerReference ref : refs) {
            if (Boolean.TRUE.equals(ref.getController())) return ref;
        }
        return null;
    }

    /** Whether {@code object}'s controller is {@code owner} (by uid). */
    public static boolean isControlledBy(HasMetadata object, HasMetadata owner) {
        OwnerReference ref = controllerOf(object);
        return ref != null && ref.getUid() != null && ref.getUid().equals(owner.getMetadata().getUid());
    }

    /** The reference a controller puts on what it creates or adopts: controller and blockOwnerDeletion true. */
    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true)
                .build();
    }

    /** A copy of {@code object} that {@code owner} controls (its other references kept). */
    public static <T extends HasMetadata> T adopted(T object, HasMetadata owner) {
        T copy = Copies.deep(object);
        List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences() == null ? List.of() : copy.getMetadata().getOwnerReferences());
        refs.add(controllerRef(owner));
        copy.getMetadata().setOwnerReferences(refs);
        return copy;
    }

    /** A copy of {@code object} without the reference to {@code owner}. */
    public static <T extends HasMetadata> T released(T object, HasMetadata owner) {
        T copy = Copies.deep(object);
        List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences());
        refs.removeIf(r -> owner.getMetadata().getUid().equals(r.getUid()));
        copy.getMetadata().setOwnerReferences(refs);
        return copy;
    }
}
