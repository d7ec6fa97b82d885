package io.kube4j.machinery.client;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Optional;

/**
 * The writes a controller makes, all through the gateway and all guarded: an update carries the
 * object's {@code metadata.resourceVersion} as a precondition, so a controller acting on a stale
 * cache gets a conflict instead of overwriting someone else's change.
 *
 * <p>Errors are the gateway's: {@link io.fabric8.kubernetes.client.KubernetesClientException}
 * with the Status code (404, 409, 422, …); {@link #isConflict} and {@link #isNotFound} classify
 * them. Implementations are thread-safe. {@link FakeObjectClient} is the in-memory one for
 * tests of reconcilers.
 */
public interface ObjectClient {

    /** Creates {@code object} (its namespace in metadata); {@code generateName} is honoured. Returns the stored object. */
    <T extends HasMetadata> T create(T object);

    /** Replaces {@code object}'s main part if its resourceVersion is still current; 409 otherwise. */
    <T extends HasMetadata> T update(T object);

    /** Replaces {@code object}'s status through the {@code /status} subresource, with the same precondition. */
    <T extends HasMetadata> T updateStatus(T object);

    /** Reads the current object from the gateway (not a cache), or empty when it does not exist. */
    <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name);

    /**
     * Deletes the object; {@code preconditionUid}, when not null, guards against deleting a newer
     * object of the same name. {@code propagation} is {@code Background}, {@code Foreground} or
     * {@code Orphan}, or null for the kind's default. Deleting what is already gone is not an error.
     *
     * @return false when the object was already gone: a caller that counts on its informer reporting
     *         the deletion (expectations) must count it itself, since that report may have come and gone
     */
    <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, String preconditionUid, String propagation);

    /** Whether {@code e} is the gateway's 409 Conflict (a stale resourceVersion or an existing name). */
    static boolean isConflict(Throwable e) {
        return code(e) == 409;
    }

    /** Whether {@code e} is the gateway's 404 Not Found. */
    static boolean isNotFound(Throwable e) {
        return code(e) == 404;
    }

    private static int code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k) return k.getCode();
        }
        return -1;
    }
}
