package io.kube4j.store;

/** Failures of {@link Store} operations. Expected outcomes (conflicts) are distinct subtypes. */
public sealed class StoreException extends RuntimeException {

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link Store#create} of a key that exists. */
    public static final class KeyExists extends StoreException {
        public KeyExists(String key) {
            super("key exists: " + key, null);
        }
    }

    /** The key is absent. */
    public static final class NotFound extends StoreException {
        public NotFound(String key) {
            super("key not found: " + key, null);
        }
    }

    /** A mod-revision precondition failed; {@link #current()} is the value found. */
    public static final class Conflict extends StoreException {
        private final Store.KeyValue current;

        public Conflict(String key, Store.KeyValue current) {
            super("revision mismatch on " + key + " (now at " + current.modRevision() + ")", null);
            this.current = current;
        }

        public Store.KeyValue current() {
            return current;
        }
    }

    /** The requested revision has been compacted away. */
    public static final class Compacted extends StoreException {
        private final long compactedRevision;

        public Compacted(long requested, long compactedRevision) {
            super("revision " + requested + " has been compacted; oldest available is " + (compactedRevision + 1), null);
            this.compactedRevision = compactedRevision;
        }

        public long compactedRevision() {
            return compactedRevision;
        }
    }

    /** The requested revision is newer than the store's. */
    public static final class FutureRevision extends StoreException {
        public FutureRevision(long requested, long current) {
            super("revision " + requested + " is newer than the current revision " + current, null);
        }
    }

    /** The store could not be reached or did not answer in time; the operation may be retried. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
