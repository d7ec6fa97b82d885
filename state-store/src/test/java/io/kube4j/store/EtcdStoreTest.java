package io.kube4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kube4j.store.Store.Event;
import io.kube4j.store.Store.KeyValue;
import io.kube4j.testsupport.EtcdProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real etcd (one per class), and what only a real server can do: die and come back. */
class EtcdStoreTest extends StoreContractTest {

    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) etcd.close();
    }

    @Override
    protected Store newStore() {
        return new EtcdStore(EtcdStoreProperties.of(etcd.endpoint()));
    }

    private static final Map<String, Consumer<Store>> CALLS = Map.of(
            "get", s -> s.get("/registry/x"),
            "list", s -> s.list("/registry/", 0, 10, null),
            "create", s -> s.create("/registry/new", new byte[] {1}),
            "update", s -> s.update("/registry/x", new byte[] {1}, 5),
            "delete", s -> s.delete("/registry/x", 0),
            "currentRevision", Store::currentRevision);

    @Test
    void callsFailWithUnavailableWithinTheTimeoutWhileEtcdIsDownAndWorkAfterItReturns() throws Exception {
        Duration timeout = Duration.ofMillis(800);
        try (Store shortTimeout = new EtcdStore(EtcdStoreProperties.of(etcd.endpoint()).withRequestTimeout(timeout))) {
            shortTimeout.currentRevision();
            etcd.kill();
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                Map<String, Future<Throwable>> outcomes = new TreeMap<>();
                CALLS.forEach((name, call) -> outcomes.put(name, callers.submit(() -> {
                    long started = System.nanoTime();
                    Throwable error = catchThrowable(() -> call.accept(shortTimeout));
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).as(name).isLessThan(timeout.plusSeconds(2));
                    return error;
                })));
                for (var outcome : outcomes.entrySet()) {
                    assertThat(outcome.getValue().get()).as(outcome.getKey()).isInstanceOf(StoreException.Unavailable.class);
                }
            } finally {
                etcd.restart();
            }
            KeyValue written = retryWhileUnavailable(() -> shortTimeout.create(p + "after-restart", new byte[] {1}));
            assertThat(shortTimeout.get(p + "after-restart").orElseThrow().modRevision()).isEqualTo(written.modRevision());
        }
    }

    @Test
    void aWatchOpenedBeforeARestartDeliversEveryLaterEventOnce() throws Exception {
        long from = store.currentRevision();
        try (Recorder recorder = new Recorder(); Store.Watch ignored = store.watch(p, from, recorder)) {
            KeyValue a = store.create(p + "a", bytes("before"));
            assertThat(recorder.next().revision()).isEqualTo(a.modRevision());

            etcd.kill();
            etcd.restart();

            // the first write waits for the client to reconnect; none of these can be lost or doubled
            KeyValue a2 = retryWhileUnavailable(() -> store.update(p + "a", bytes("after"), a.modRevision()));
            KeyValue b = store.create(p + "b", bytes("after"));
            KeyValue deleted = store.delete(p + "a", 0);

            List<Event> events = List.of(recorder.next(), recorder.next(), recorder.next());
            assertThat(events).extracting(Event::revision)
                    .containsExactly(a2.modRevision(), b.modRevision(), deleted.modRevision());
            assertThat(text(events.get(0).previous().value())).isEqualTo("before");
            assertThat(text(events.get(2).previous().value())).isEqualTo("after");
            recorder.assertNothingBefore(store, p + "sentinel");
            assertThat(recorder.errors).isEmpty();
            assertThat(recorder.threads).hasSize(1);
        }
    }

    /** Retries only failures before etcd applied anything: the call's guard makes a retry safe. */
    private static <T> T retryWhileUnavailable(java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StoreException.Unavailable e) {
                if (System.nanoTime() > deadline) throw e;
            }
        }
    }
}
