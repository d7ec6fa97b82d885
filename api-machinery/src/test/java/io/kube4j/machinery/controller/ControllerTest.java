package io.kube4j.machinery.controller;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ControllerTest {

    @Test
    void anEventArrivingWhileItsKeyIsReconciledGetsAPassOfItsOwn() throws Exception {
        ConcurrentLinkedQueue<String> passes = new ConcurrentLinkedQueue<>();
        CountDownLatch second = new CountDownLatch(2);
        Controller[] self = new Controller[1];
        Reconciler reconciler = key -> {
            passes.add(key);
            // The event that would have changed this pass's outcome lands while the pass runs.
            if (passes.size() == 1) self[0].enqueue(key);
            second.countDown();
            return Result.DONE;
        };
        try (Controller controller = new Controller("test", reconciler, 4, WorkShards.ALL, List::of)) {
            self[0] = controller;
            controller.start();
            controller.enqueue("ns/a");
            assertThat(second.await(30, TimeUnit.SECONDS)).as("a second pass").isTrue();
        }
        assertThat(passes).containsExactly("ns/a", "ns/a");
    }

    @Test
    void keysEnqueuedWhileTheirShardIsAwayAreReconciledWhenItComesBack() throws Exception {
        MovableShards shards = new MovableShards();
        CountDownLatch reconciled = new CountDownLatch(1);
        List<String> primary = List.of("ns/a");
        try (Controller controller = new Controller("test", key -> {
            reconciled.countDown();
            return Result.DONE;
        }, 1, shards, () -> primary)) {
            shards.owned = false;
            controller.start();
            controller.enqueue("ns/a");
            assertThat(controller.queue().length()).as("not this replica's key now").isZero();
            shards.owned = true;
            shards.listeners.forEach(l -> l.assigned(Set.of(0)));
            assertThat(reconciled.await(30, TimeUnit.SECONDS)).as("reconciled after the shard came back").isTrue();
        }
    }

    /** One shard that a test gives and takes. */
    static final class MovableShards implements WorkShards {
        volatile boolean owned = true;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();

        @Override
        public int shardCount() {
            return 1;
        }

        @Override
        public boolean owns(int shard) {
            return owned;
        }

        @Override
        public void addListener(Listener listener) {
            listeners.add(listener);
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }
}
