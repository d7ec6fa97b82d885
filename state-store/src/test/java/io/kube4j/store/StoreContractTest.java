package io.kube4j.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kube4j.store.Store.Event;
import io.kube4j.store.Store.KeyValue;
import io.kube4j.store.Store.ListResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link Store} contract, run against every implementation. etcd is the reference: where an
 * in-memory store and etcd differ, the in-memory store is wrong.
 *
 * <p>Each test works under its own key prefix {@link #p}, so implementations that share one
 * server between tests (and so its revision counter and compactions) pass the same tests; every
 * revision a test uses is one it observed itself.
 */
abstract class StoreContractTest {

    private static final AtomicInteger TESTS = new AtomicInteger();

    /** A new, open store; closed after each test. */
    protected abstract Store newStore();

    protected Store store;
    /** This test's own key prefix. */
    protected String p;

    @BeforeEach
    void openStore() {
        store = newStore();
        p = "/registry/contract/t" + TESTS.incrementAndGet() + "/";
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // ------------------------------------------------------------ create, get

    @Test
    void createStoresTheValueAtANewRevision() {
        long before = store.currentRevision();
        KeyValue created = store.create(p + "a", bytes("one"));

        assertThat(created.modRevision()).isEqualTo(before + 1).isEqualTo(created.createRevision());
        assertThat(store.currentRevision()).isEqualTo(created.modRevision());
        KeyValue read = store.get(p + "a").orElseThrow();
        assertThat(text(read.value())).isEqualTo("one");
        assertThat(read.createRevision()).isEqualTo(created.createRevision());
        assertThat(read.modRevision()).isEqualTo(created.modRevision());
        assertThat(store.get(p + "missing")).isEmpty();
    }

    @Test
    void createOfAnExistingKeyFailsWithKeyExistsAndChangesNothing() {
        KeyValue first = store.create(p + "a", bytes("one"));

        assertThatThrownBy(() -> store.create(p + "a", bytes("two"))).isInstanceOf(StoreException.KeyExists.class);
        assertThat(store.currentRevision()).isEqualTo(first.modRevision());
        assertThat(text(store.get(p + "a").orElseThrow().value())).isEqualTo("one");
    }

    @Test
    void createAfterDeleteStartsANewLife() {
        store.create(p + "a", bytes("one"));
        store.delete(p + "a", 0);
        KeyValue again = store.create(p + "a", bytes("two"));

        assertThat(again.createRevision()).isEqualTo(again.modRevision());
        assertThat(store.get(p + "a").orElseThrow().createRevision()).isEqualTo(again.createRevision());
    }

    // ------------------------------------------------------------ update, delete

    @Test
    void updateAtTheCurrentRevisionReplacesTheValue() {
        KeyValue created = store.create(p + "a", bytes("one"));
        KeyValue updated = store.update(p + "a", bytes("two"), created.modRevision());

        assertThat(updated.modRevision()).isEqualTo(created.modRevision() + 1);
        assertThat(updated.createRevision()).isEqualTo(created.createRevision());
        KeyValue read = store.get(p + "a").orElseThrow();
        assertThat(text(read.value())).isEqualTo("two");
        assertThat(read.modRevision()).isEqualTo(updated.modRevision());
        assertThat(read.createRevision()).isEqualTo(created.createRevision());
    }

    enum Write {
        UPDATE {
            KeyValue apply(Store store, String key, long expected) {
                return store.update(key, bytes("written"), expected);
            }
        },
        DELETE {
            KeyValue apply(Store store, String key, long expected) {
                return store.delete(key, expected);
            }
        };

        abstract KeyValue apply(Store store, String key, long expected);
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void aStaleRevisionConflictsWithTheCurrentValueAndChangesNothing(Write write) {
        KeyValue first = store.create(p + "a", bytes("one"));
        KeyValue second = store.update(p + "a", bytes("two"), first.modRevision());

        StoreException.Conflict conflict = catchThrowableOfType(StoreException.Conflict.class,
                () -> write.apply(store, p + "a", first.modRevision()));

        assertThat(conflict.current().modRevision()).isEqualTo(second.modRevision());
        assertThat(conflict.current().createRevision()).isEqualTo(first.createRevision());
        assertThat(text(conflict.current().value())).isEqualTo("two");
        assertThat(store.currentRevision()).isEqualTo(second.modRevision());
        assertThat(text(store.get(p + "a").orElseThrow().value())).isEqualTo("two");
    }

    @Test
    void updateExpectingRevisionZeroConflictsWithAnExistingKey() {
        KeyValue created = store.create(p + "a", bytes("one"));

        StoreException.Conflict conflict = catchThrowableOfType(StoreException.Conflict.class,
                () -> store.update(p + "a", bytes("two"), 0));
        assertThat(conflict.current().modRevision()).isEqualTo(created.modRevision());
    }

    static Stream<Arguments> writesOfAMissingKey() {
        return Stream.of(
                Arguments.of(Write.UPDATE, 0L),
                Arguments.of(Write.UPDATE, 1L),
                Arguments.of(Write.DELETE, 0L),
                Arguments.of(Write.DELETE, 1L));
    }

    @ParameterizedTest
    @MethodSource("writesOfAMissingKey")
    void writesOfAMissingKeyFailWithNotFoundAndCreateNothing(Write write, long expected) {
        long before = store.currentRevision();

        assertThatThrownBy(() -> write.apply(store, p + "missing", expected)).isInstanceOf(StoreException.NotFound.class);
        assertThat(store.get(p + "missing")).isEmpty();
        assertThat(store.currentRevision()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void deleteReturnsTheLastValueAtTheRevisionOfTheDeletion(boolean conditional) {
        KeyValue created = store.create(p + "a", bytes("one"));
        KeyValue updated = store.update(p + "a", bytes("two"), created.modRevision());

        KeyValue deleted = store.delete(p + "a", conditional ? updated.modRevision() : 0);

        assertThat(text(deleted.value())).isEqualTo("two");
        assertThat(deleted.createRevision()).isEqualTo(created.createRevision());
        assertThat(deleted.modRevision()).isEqualTo(updated.modRevision() + 1).isEqualTo(store.currentRevision());
        assertThat(store.get(p + "a")).isEmpty();
    }

    // ------------------------------------------------------------ list

    @Test
    void listReturnsTheKeysUnderThePrefixInKeyOrder() {
        String parent = p.substring(0, p.length() - 1);
        // neighbours that sort just before and just after the prefix
        store.create(parent + "+x", bytes("before"));
        store.create(parent + "0x", bytes("after"));
        for (String key : List.of("b", "c/d", "a", "a/b")) store.create(p + key, bytes(key));

        ListResult list = store.list(p, 0, 0, null);

        assertThat(list.items()).extracting(KeyValue::key).containsExactly(p + "a", p + "a/b", p + "b", p + "c/d");
        assertThat(list.items()).extracting(kv -> text(kv.value())).containsExactly("a", "a/b", "b", "c/d");
        assertThat(list.more()).isFalse();
        assertThat(list.remaining()).isZero();
        assertThat(list.revision()).isEqualTo(store.currentRevision());
        assertThat(store.list(p + "nothing/", 0, 0, null).items()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 25, 40})
    void pagesWithLimitAndStartKeyCoverEveryKeyOnceAtOneRevision(int limit) {
        int total = 25;
        List<String> expected = IntStream.range(0, total).mapToObj(i -> p + "k%02d".formatted(i)).toList();
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(limit));
        for (String key : shuffled) store.create(key, bytes(key));

        ListResult page = store.list(p, 0, limit, null);
        long revision = page.revision();
        List<String> seen = new ArrayList<>();
        while (true) {
            page.items().forEach(kv -> seen.add(kv.key()));
            assertThat(page.revision()).isEqualTo(revision);
            assertThat(page.items()).hasSize(Math.min(limit, total - (seen.size() - page.items().size())));
            assertThat(page.remaining()).isEqualTo(total - seen.size());
            assertThat(page.more()).isEqualTo(seen.size() < total);
            if (!page.more()) break;
            // writes between pages are invisible to pages read at the first page's revision
            store.create(p + "k99-" + seen.size(), bytes("late"));
            store.delete(expected.getLast(), 0);
            store.create(expected.getLast(), bytes("again"));
            page = store.list(p, revision, limit, seen.getLast() + "\0");
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void listAtAnOlderRevisionSeesTheOldState() {
        KeyValue a = store.create(p + "a", bytes("a1"));
        KeyValue b = store.create(p + "b", bytes("b1"));
        long then = b.modRevision();
        store.update(p + "a", bytes("a2"), a.modRevision());
        store.delete(p + "b", 0);
        store.create(p + "c", bytes("c1"));

        ListResult old = store.list(p, then, 0, null);

        assertThat(old.revision()).isEqualTo(then);
        assertThat(old.items()).extracting(KeyValue::key).containsExactly(p + "a", p + "b");
        assertThat(old.items()).extracting(kv -> text(kv.value())).containsExactly("a1", "b1");
        assertThat(old.items()).extracting(KeyValue::modRevision).containsExactly(a.modRevision(), b.modRevision());
        assertThat(store.list(p, 0, 0, null).items()).extracting(kv -> text(kv.value())).containsExactly("a2", "c1");
    }

    @Test
    void compactionKeepsTheStateAtItsRevisionAndDiscardsOlderOnes() {
        KeyValue v1 = store.create(p + "a", bytes("v1"));
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision());
        KeyValue v3 = store.update(p + "a", bytes("v3"), v2.modRevision());

        store.compact(v2.modRevision());

        assertThat(store.compactedRevision()).isEqualTo(v2.modRevision());
        StoreException.Compacted compacted = catchThrowableOfType(StoreException.Compacted.class,
                () -> store.list(p, v1.modRevision(), 0, null));
        assertThat(compacted.compactedRevision()).isEqualTo(v2.modRevision());
        assertThat(store.list(p, v2.modRevision(), 0, null).items()).extracting(kv -> text(kv.value())).containsExactly("v2");
        assertThat(store.list(p, v3.modRevision(), 0, null).items()).extracting(kv -> text(kv.value())).containsExactly("v3");
    }

    @Test
    void compactingAtOrBelowTheCompactedRevisionIsReportedAsCompacted() {
        KeyValue v1 = store.create(p + "a", bytes("v1"));
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision());
        store.compact(v2.modRevision());

        assertThatThrownBy(() -> store.compact(v2.modRevision())).isInstanceOf(StoreException.Compacted.class);
        assertThatThrownBy(() -> store.compact(v1.modRevision())).isInstanceOf(StoreException.Compacted.class);
        assertThatThrownBy(() -> store.compact(store.currentRevision() + 10)).isInstanceOf(StoreException.FutureRevision.class);
        assertThat(store.compactedRevision()).isEqualTo(v2.modRevision());
    }

    @Test
    void readsBeyondTheCurrentRevisionFailWithFutureRevision() {
        store.create(p + "a", bytes("v1"));

        assertThatThrownBy(() -> store.list(p, store.currentRevision() + 100, 0, null))
                .isInstanceOf(StoreException.FutureRevision.class);
    }

    @Test
    void aStartKeyOutsideThePrefixIsRejected() {
        assertThatThrownBy(() -> store.list(p, 0, 0, "/registry/elsewhere"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ watch

    @Test
    void watchReplaysTheHistoryAfterItsRevisionThenFollowsInOrder() throws Exception {
        long from = store.currentRevision();
        KeyValue a1 = store.create(p + "a", bytes("a1"));
        store.create(p.substring(0, p.length() - 1) + "0other", bytes("outside"));
        KeyValue a2 = store.update(p + "a", bytes("a2"), a1.modRevision());

        try (Recorder recorder = new Recorder(); Store.Watch ignored = store.watch(p, from, recorder)) {
            Event created = recorder.next();
            assertThat(created.type()).isEqualTo(Event.Type.PUT);
            assertThat(created.isCreate()).isTrue();
            assertThat(created.revision()).isEqualTo(a1.modRevision());
            assertThat(text(created.current().value())).isEqualTo("a1");

            Event modified = recorder.next();
            assertThat(modified.isCreate()).isFalse();
            assertThat(modified.revision()).isEqualTo(a2.modRevision());
            assertThat(modified.current().createRevision()).isEqualTo(a1.createRevision());
            assertThat(text(modified.current().value())).isEqualTo("a2");
            assertThat(text(modified.previous().value())).isEqualTo("a1");
            assertThat(modified.previous().modRevision()).isEqualTo(a1.modRevision());

            KeyValue deleted = store.delete(p + "a", 0);
            KeyValue b = store.create(p + "b", bytes("b1"));

            Event deletion = recorder.next();
            assertThat(deletion.type()).isEqualTo(Event.Type.DELETE);
            assertThat(deletion.current().key()).isEqualTo(p + "a");
            assertThat(deletion.revision()).isEqualTo(deleted.modRevision());
            assertThat(text(deletion.previous().value())).isEqualTo("a2");
            assertThat(deletion.previous().modRevision()).isEqualTo(a2.modRevision());

            Event next = recorder.next();
            assertThat(next.current().key()).isEqualTo(p + "b");
            assertThat(next.revision()).isEqualTo(b.modRevision());

            recorder.assertNothingBefore(store, p + "sentinel");
            assertThat(recorder.threads).hasSize(1);
            assertThat(recorder.errors).isEmpty();
        }
    }

    @Test
    void watchFromARevisionStartsRightAfterIt() throws Exception {
        KeyValue a1 = store.create(p + "a", bytes("a1"));
        KeyValue a2 = store.update(p + "a", bytes("a2"), a1.modRevision());
        KeyValue a3 = store.update(p + "a", bytes("a3"), a2.modRevision());

        try (Recorder recorder = new Recorder(); Store.Watch ignored = store.watch(p, a2.modRevision(), recorder)) {
            assertThat(recorder.next().revision()).isEqualTo(a3.modRevision());
            recorder.assertNothingBefore(store, p + "sentinel");
        }
    }

    @Test
    void watchFromTheFutureWaitsForIt() throws Exception {
        long now = store.currentRevision();
        try (Recorder recorder = new Recorder(); Store.Watch ignored = store.watch(p, now + 1, recorder)) {
            store.create(p + "a", bytes("skipped"));
            KeyValue b = store.create(p + "b", bytes("seen"));
            assertThat(recorder.next().revision()).isEqualTo(b.modRevision());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 1})
    void watchFromBelowTheCompactedRevisionEndsWithCompacted(int revisionsBelow) throws Exception {
        KeyValue v1 = store.create(p + "a", bytes("v1"));
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision());
        KeyValue v3 = store.update(p + "a", bytes("v3"), v2.modRevision());
        store.compact(v3.modRevision());

        try (Recorder recorder = new Recorder();
             Store.Watch ignored = store.watch(p, v3.modRevision() - revisionsBelow, recorder)) {
            StoreException error = recorder.errors.poll(10, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(StoreException.Compacted.class);
            assertThat(((StoreException.Compacted) error).compactedRevision()).isEqualTo(v3.modRevision());
            assertThat(recorder.events).isEmpty();
        }
    }

    @Test
    void watchFromTheCompactedRevisionWorks() throws Exception {
        KeyValue v1 = store.create(p + "a", bytes("v1"));
        KeyValue v2 = store.update(p + "a", bytes("v2"), v1.modRevision());
        store.compact(v2.modRevision());

        try (Recorder recorder = new Recorder(); Store.Watch ignored = store.watch(p, v2.modRevision(), recorder)) {
            KeyValue v3 = store.update(p + "a", bytes("v3"), v2.modRevision());
            Event event = recorder.next();
            assertThat(event.revision()).isEqualTo(v3.modRevision());
            assertThat(text(event.previous().value())).isEqualTo("v2");
        }
    }

    @Test
    void closedWatchesAreIdempotentAndTheOthersGoOn() throws Exception {
        long from = store.currentRevision();
        try (Recorder kept = new Recorder(); Recorder dropped = new Recorder();
             Store.Watch keptWatch = store.watch(p, from, kept)) {
            Store.Watch droppedWatch = store.watch(p, from, dropped);
            droppedWatch.close();
            droppedWatch.close();
            KeyValue a = store.create(p + "a", bytes("a"));
            assertThat(kept.next().revision()).isEqualTo(a.modRevision());
        }
    }

    // ------------------------------------------------------------ concurrency

    @Test
    void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                String value = "thread-" + i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        store.create(p + "contended", bytes(value));
                        return value;
                    } catch (StoreException.KeyExists lost) {
                        return null;
                    }
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                String winner = outcome.get(30, TimeUnit.SECONDS);
                if (winner != null) winners.add(winner);
            }
            assertThat(winners).hasSize(1);
            assertThat(text(store.get(p + "contended").orElseThrow().value())).isEqualTo(winners.getFirst());
        }
    }

    @Test
    void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        int threads = 8;
        int increments = 20;
        KeyValue start = store.create(p + "counter", bytes("0"));
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    KeyValue seen = store.get(p + "counter").orElseThrow();
                    for (int i = 0; i < increments; ) {
                        int next = Integer.parseInt(text(seen.value())) + 1;
                        try {
                            seen = store.update(p + "counter", bytes(Integer.toString(next)), seen.modRevision());
                            i++;
                        } catch (StoreException.Conflict conflict) {
                            conflicts.incrementAndGet();
                            seen = conflict.current();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        }
        KeyValue end = store.get(p + "counter").orElseThrow();
        assertThat(text(end.value())).isEqualTo(Integer.toString(threads * increments));
        assertThat(end.createRevision()).isEqualTo(start.createRevision());
    }

    // ------------------------------------------------------------ helpers

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }

    /** Records what a watch delivers. */
    static final class Recorder implements Store.WatchListener, AutoCloseable {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final BlockingQueue<StoreException> errors = new LinkedBlockingQueue<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void onEvent(Event event) {
            threads.add(Thread.currentThread());
            events.add(event);
        }

        @Override
        public void onError(StoreException error) {
            errors.add(error);
        }

        Event next() throws InterruptedException {
            Event event = events.poll(15, TimeUnit.SECONDS);
            assertThat(event).as("an event within 15 s (errors: %s)", errors).isNotNull();
            return event;
        }

        /** Writes a sentinel key and checks it is the next event: nothing else was pending. */
        void assertNothingBefore(Store store, String sentinel) throws InterruptedException {
            KeyValue written = store.create(sentinel, bytes("sentinel"));
            Event event = next();
            assertThat(event.current().key()).isEqualTo(sentinel);
            assertThat(event.revision()).isEqualTo(written.modRevision());
        }

        @Override
        public void close() {}
    }
}
