package io.kube4j.node.runtime;

import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotCoalescerTest {

    /** A listing numbered by when it started: the snapshot holds one pod whose uid is that number. */
    private static RuntimeSnapshot numbered(int n) {
        return RuntimeSnapshot.of(List.of(new SandboxState("s" + n, String.valueOf(n), "p", "ns", 0, true, List.of(), Instant.EPOCH)), List.of());
    }

    private static int number(RuntimeSnapshot s) {
        return Integer.parseInt(s.pods().keySet().iterator().next());
    }

    /** A source whose first listing blocks until released, so callers can pile up behind it. */
    private static final class GatedSource implements Supplier<RuntimeSnapshot> {
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);

        @Override
        public RuntimeSnapshot get() {
            int n = started.incrementAndGet();
            if (n == 1) {
                firstEntered.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return numbered(n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 50})
    void callersArrivingDuringAListingShareOneFreshListing(int callers) throws Exception {
        GatedSource source = new GatedSource();
        SnapshotCoalescer coalescer = new SnapshotCoalescer(source);
        CompletableFuture<RuntimeSnapshot> first = CompletableFuture.supplyAsync(coalescer::get, r -> Thread.ofVirtual().start(r));
        source.firstEntered.await();

        List<CompletableFuture<RuntimeSnapshot>> late = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            CompletableFuture<RuntimeSnapshot> f = new CompletableFuture<>();
            threads.add(Thread.ofVirtual().start(() -> f.complete(coalescer.get())));
            late.add(f);
        }
        // Every late caller parked waiting for the listing after the running one.
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        }
        source.releaseFirst.countDown();

        assertThat(number(first.get())).isEqualTo(1);
        for (CompletableFuture<RuntimeSnapshot> f : late) {
            // Never the listing that was already running when the caller arrived.
            assertThat(number(f.get())).isGreaterThan(1);
        }
        assertThat(source.started.get()).isEqualTo(2);
    }

    @Test
    void sequentialCallersEachGetTheirOwnListing() {
        AtomicInteger n = new AtomicInteger();
        SnapshotCoalescer coalescer = new SnapshotCoalescer(() -> numbered(n.incrementAndGet()));
        assertThat(number(coalescer.get())).isEqualTo(1);
        assertThat(number(coalescer.get())).isEqualTo(2);
        assertThat(number(coalescer.get())).isEqualTo(3);
    }

    @Test
    void aFailedListingFailsItsCallersAndTheNextCallListsAgain() {
        AtomicInteger n = new AtomicInteger();
        SnapshotCoalescer coalescer = new SnapshotCoalescer(() -> {
            if (n.incrementAndGet() == 1) throw new ContainerRuntime.RuntimeError("ListPodSandbox: UNAVAILABLE", null);
            return numbered(n.get());
        });
        assertThatThrownBy(coalescer::get).isInstanceOf(ContainerRuntime.RuntimeError.class).hasMessageContaining("UNAVAILABLE");
        assertThat(number(coalescer.get())).isEqualTo(2);
    }
}
