package io.kube4j.gateway.storage;

/**
 * A delete request's options, as in Kubernetes' DeleteOptions.
 *
 * @param gracePeriodSeconds      override of the object's grace period, or null
 * @param propagationPolicy       Orphan, Background or Foreground, or null for the kind's default
 * @param preconditionUid         the uid the object must have, or null
 * @param preconditionVersion     the resourceVersion the object must have, or null
 * @param dryRun                  whether nothing may be persisted
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionVersion, boolean dryRun) {

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null, false);
    }
}
