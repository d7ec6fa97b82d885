package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.selection.LabelSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * kube's ControllerRefManager: of the candidates in an owner's namespace, the ones the owner
 * controls after adopting orphans its selector matches and releasing what it controls but no
 * longer matches. Objects controlled by someone else are left alone, as are objects being
 * deleted (never adopted). Adoption and release are updates guarded by resourceVersion; a
 * conflict propagates (the caller retries on a fresher cache); an object already gone is skipped.
 */
public final class Claims {

    private Claims() {}

    /**
     * @param canAdopt checked once, before the first adoption: kube re-reads the owner from the
     *                 gateway so that an owner deleted meanwhile adopts nothing
     */
    public static <T extends HasMetadata> List<T> claim(HasMetadata owner, LabelSelector selector, List<T> candidates,
                                                        ObjectClient objects, BooleanSupplier canAdopt) {
        List<T> claimed = new ArrayList<>();
        boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
        Boolean adoptionAllowed = null;
        for (T object : candidates) {
            OwnerReference ref = Owners.controllerOf(object);
            boolean matches = Selectors.matches(selector, object.getMetadata().getLabels());
            if (ref != null) {
                if (!owner.getMetadata().getUid().equals(ref.getUid())) continue;
                if (matches) {
                    claimed.add(object);
                } else if (!ownerDeleting) {
                    update(objects, Owners.released(object, owner));
                }
                continue;
            }
            if (!matches || ownerDeleting || object.getMetadata().getDeletionTimestamp() != null) continue;
            if (adoptionAllowed == null) adoptionAllowed = canAdopt.getAsBoolean();
            if (!adoptionAllowed) continue;
            T adopted = update(objects, Owners.adopted(object, owner));
            if (adopted != null) claimed.add(adopted);
        }
        return claimed;
    }

    private static <T extends HasMetadata> T update(ObjectClient objects, T object) {
        try {
            return objects.update(object);
        } catch (RuntimeException e) {
            if (ObjectClient.isNotFound(e)) return null;
            throw e;
        }
    }

    /** The check kube makes before adopting: the owner, read fresh, is the same object and not being deleted. */
    public static <T extends HasMetadata> BooleanSupplier ownerStillCurrent(ObjectClient objects, T owner) {
        return () -> {
            @SuppressWarnings("unchecked")
            Class<T> type = (Class<T>) owner.getClass();
            return objects.get(type, owner.getMetadata().getNamespace(), owner.getMetadata().getName())
                    .filter(fresh -> owner.getMetadata().getUid().equals(fresh.getMetadata().getUid()))
                    .filter(fresh -> fresh.getMetadata().getDeletionTimestamp() == null)
                    .isPresent();
        };
    }
}
