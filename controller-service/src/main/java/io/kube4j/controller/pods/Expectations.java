package io.kube4j.controller.pods;

import io.kube4j.machinery.client.ObjectClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What a controller has asked for and not yet seen in its cache, per controller key — kube's
 * (UID-tracking) ControllerExpectations. Before creating n pods a controller expects n creations;
 * each pod's arrival in the informer lowers the count; before deleting it names the pods it
 * expects gone. While anything is outstanding the controller does not add or remove pods again,
 * because its cache would make it count wrongly; an expectation older than {@code timeout}
 * (five minutes in kube) is given up, so a lost event cannot stall a controller for ever.
 *
 * <p>Thread-safe: informer handlers lower expectations while workers raise them. Held only in
 * memory — after a restart the informer's fresh list is the truth, so there is nothing to expect.
 */
public final class Expectations {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration timeout;

    public Expectations(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    public Expectations() {
        this(Clock.systemUTC(), DEFAULT_TIMEOUT);
    }

    private static final class Record {
        int adds;
        final Set<String> deletes = new HashSet<>();
        final Instant since;

        Record(Instant since) {
            this.since = since;
        }
    }

    /** Whether the controller {@code key} may act on its cache: nothing outstanding, or it waited too long. */
    public boolean satisfied(String key) {
        Record r = records.get(key);
        if (r == null) return true;
        synchronized (r) {
            return (r.adds <= 0 && r.deletes.isEmpty()) || clock.instant().isAfter(r.since.plus(timeout));
        }
    }

    /**
     * How long until {@code key}'s outstanding expectations lapse ({@link #satisfied} turns true
     * without their events), at least a millisecond; null when nothing is outstanding. A controller
     * waiting on them asks to look again then, since no event will wake it.
     */
    public Duration untilLapsed(String key) {
        Record r = records.get(key);
        if (r == null) return null;
        synchronized (r) {
            if (r.adds <= 0 && r.deletes.isEmpty()) return null;
            Duration left = Duration.between(clock.instant(), r.since.plus(timeout));
            return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
        }
    }

    /** Expects {@code count} pods to be created by {@code key}, replacing what was expected before. */
    public void expectCreations(String key, int count) {
        Record r = new Record(clock.instant());
        r.adds = count;
        records.put(key, r);
    }

    /** Expects the pods {@code podKeys} to be deleted (or marked for deletion), replacing what was expected before. */
    public void expectDeletions(String key, Set<String> podKeys) {
        Record r = new Record(clock.instant());
        r.deletes.addAll(podKeys);
        records.put(key, r);
    }

    /** Expects {@code adds} creations and the deletions of {@code podKeys} at once, replacing what was expected before. */
    public void expect(String key, int adds, Set<String> podKeys) {
        Record r = new Record(clock.instant());
        r.adds = adds;
        r.deletes.addAll(podKeys);
        records.put(key, r);
    }

    /** A pod of {@code key}'s arrived (or its creation failed or was skipped). */
    public void creationObserved(String key) {
        Record r = records.get(key);
        if (r == null) return;
        synchronized (r) {
            r.adds--;
        }
    }

    /** The pod {@code podKey} of {@code key}'s is gone or going (or its deletion failed). */
    public void deletionObserved(String key, String podKey) {
        Record r = records.get(key);
        if (r == null) return;
        synchronized (r) {
            r.deletes.remove(podKey);
        }
    }

    /**
     * Runs {@code delete}, the deletion of {@code podKey} that {@code key} expects (true: it deleted
     * the pod, false: the pod was already gone), and answers whether it deleted the pod. A pod
     * already gone, or a delete that failed, brings no deletion event this pass can wait for (a
     * gone pod's may have come before the expectation), so it counts as observed; a failure other
     * than NotFound is rethrown.
     */
    public boolean delete(String key, String podKey, BooleanSupplier delete) {
        boolean deleted;
        try {
            deleted = delete.getAsBoolean();
        } catch (RuntimeException e) {
            deletionObserved(key, podKey);
            if (ObjectClient.isNotFound(e)) return false;
            throw e;
        }
        if (!deleted) deletionObserved(key, podKey);
        return deleted;
    }

    /** Forgets {@code key} (its controller is gone). */
    public void forget(String key) {
        records.remove(key);
    }

    /** Outstanding creations and deletions of {@code key}, for tests and logs: {@code "adds=2 deletes=0"}. */
    public String describe(String key) {
        Record r = records.get(key);
        if (r == null) return "none";
        synchronized (r) {
            return "adds=" + r.adds + " deletes=" + r.deletes.size();
        }
    }
}
