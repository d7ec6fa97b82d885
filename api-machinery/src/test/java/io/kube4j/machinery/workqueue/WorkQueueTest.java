package io.kube4j.machinery.workqueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {

    private final AtomicLong now = new AtomicLong();
    private final WorkQueue<String> queue = new WorkQueue<>(Duration.ofMillis(5), Duration.ofSeconds(1), now::get);

    @Test
    void aKeyAddedTwiceIsQueuedOnce() throws Exception {
        queue.add("a");
        queue.add("a");
        queue.add("b");
        assertThat(queue.length()).isEqualTo(2);
        assertThat(queue.take(Duration.ZERO)).contains("a");
        assertThat(queue.take(Duration.ZERO)).contains("b");
        assertThat(queue.take(Duration.ZERO)).isEmpty();
    }

    @Test
    void aKeyAddedWhileProcessingWaitsForDone() throws Exception {
        queue.add("a");
        assertThat(queue.take(Duration.ZERO)).contains("a");
        queue.add("a");
        assertThat(queue.take(Duration.ZERO)).as("not handed to a second worker").isEmpty();
        assertThat(queue.isProcessing("a")).isTrue();
        queue.done("a");
        assertThat(queue.take(Duration.ZERO)).contains("a");
        queue.done("a");
        assertThat(queue.take(Duration.ZERO)).as("done without a new add leaves nothing").isEmpty();
    }

    @Test
    void delayedKeysWaitForTheirTime() throws Exception {
        queue.addAfter("later", Duration.ofSeconds(2));
        queue.addAfter("sooner", Duration.ofSeconds(1));
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(queue.take(Duration.ZERO)).contains("sooner");
        assertThat(queue.take(Duration.ZERO)).isEmpty();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(queue.take(Duration.ZERO)).contains("later");
    }

    @ParameterizedTest
    @CsvSource({"2000,1000,1000", "1000,2000,1000", "1000,1000,1000"})
    void aKeyDelayedAgainWhileWaitingWaitsOnceForTheEarlierTime(long firstMillis, long secondMillis, long readyMillis) throws Exception {
        queue.addAfter("k", Duration.ofMillis(firstMillis));
        queue.addAfter("k", Duration.ofMillis(secondMillis));
        assertThat(queue.delayedLength()).isEqualTo(1);
        now.addAndGet(Duration.ofMillis(readyMillis).toNanos() - 1);
        assertThat(queue.take(Duration.ZERO)).as("not before %d ms", readyMillis).isEmpty();
        now.addAndGet(1);
        assertThat(queue.take(Duration.ZERO)).contains("k");
        queue.done("k");
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(queue.take(Duration.ZERO)).as("the later time left no second entry").isEmpty();
        assertThat(queue.delayedLength()).isZero();
    }

    @Test
    void aKeyDueAgainAfterItsDelayWaitsAgain() throws Exception {
        queue.addAfter("k", Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(queue.take(Duration.ZERO)).contains("k");
        queue.addAfter("k", Duration.ofSeconds(1));
        queue.done("k");
        assertThat(queue.take(Duration.ZERO)).as("delayed, not re-queued by done").isEmpty();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(queue.take(Duration.ZERO)).contains("k");
    }

    /** The ways a controller re-adds a key. */
    enum ReAdd {
        ADD {
            @Override
            void apply(WorkQueue<String> queue, String key) {
                queue.add(key);
            }
        },
        ADD_AFTER {
            @Override
            void apply(WorkQueue<String> queue, String key) {
                queue.addAfter(key, Duration.ofSeconds(1));
            }
        },
        ADD_RATE_LIMITED {
            @Override
            void apply(WorkQueue<String> queue, String key) {
                queue.addRateLimited(key);
            }
        };

        abstract void apply(WorkQueue<String> queue, String key);
    }

    @ParameterizedTest
    @EnumSource(ReAdd.class)
    void aKeyReAddedWhileAWorkerHoldsItIsHandedOutAgainAfterDoneOnly(ReAdd reAdd) throws Exception {
        queue.add("k");
        assertThat(queue.take(Duration.ZERO)).contains("k");
        reAdd.apply(queue, "k");
        now.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(queue.take(Duration.ZERO)).as("never to a second worker while held").isEmpty();
        assertThat(queue.length()).isZero();
        queue.done("k");
        assertThat(queue.take(Duration.ZERO)).as("the re-add survives the worker's done").contains("k");
        queue.done("k");
        assertThat(queue.take(Duration.ZERO)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1,5", "2,10", "3,20", "8,640", "9,1000", "20,1000"})
    void rateLimitedRetriesBackOffExponentiallyToTheCap(int failures, long expectedMillis) throws Exception {
        for (int i = 1; i < failures; i++) queue.addRateLimited("k");
        now.addAndGet(Duration.ofHours(1).toNanos());
        while (queue.take(Duration.ZERO).isPresent()) queue.done("k");
        queue.addRateLimited("k");
        now.addAndGet(Duration.ofMillis(expectedMillis).toNanos() - 1);
        assertThat(queue.take(Duration.ZERO)).as("not before %d ms", expectedMillis).isEmpty();
        now.addAndGet(1);
        assertThat(queue.take(Duration.ZERO)).contains("k");
    }

    @Test
    void forgetResetsTheBackoff() throws Exception {
        queue.addRateLimited("k");
        queue.addRateLimited("k");
        assertThat(queue.failures("k")).isEqualTo(2);
        queue.forget("k");
        assertThat(queue.failures("k")).isZero();
    }

    @Test
    void shutDownEndsTakeOnceEmpty() throws Exception {
        queue.add("a");
        queue.shutDown();
        queue.add("b");
        assertThat(queue.take(Duration.ofSeconds(5))).contains("a");
        assertThat(queue.take(Duration.ofSeconds(5))).isEmpty();
    }
}
