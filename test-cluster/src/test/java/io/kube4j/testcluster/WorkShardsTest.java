package io.kube4j.testcluster;

import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.KafkaWorkShards;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.KafkaSource;
import io.kube4j.testsupport.KafkaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Controller replicas sharing work by Kafka's group protocol, on a real broker: while replicas
 * join and leave, no key is ever reconciled by two replicas at once, and when one replica is gone
 * the other owns every shard.
 */
class WorkShardsTest {

    static KafkaProcess kafka;

    @BeforeAll
    static void start() {
        kafka = KafkaProcess.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    void replicasNeverActOnOneKeyAtOnceAndASurvivorTakesEverything() throws Exception {
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "ns/obj-" + i).toList();
        Map<String, String> holder = new ConcurrentHashMap<>();
        Map<String, Integer> reconciledBy = new ConcurrentHashMap<>();
        AtomicBoolean overlap = new AtomicBoolean();
        KafkaSource source = new KafkaSource(kafka.bootstrapServers(), 6, null, null);

        record Replica(KafkaWorkShards shards, Controller controller) implements AutoCloseable {
            @Override
            public void close() {
                controller.close();
                shards.close();
            }
        }
        List<Replica> replicas = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            String me = "replica-" + r;
            int index = r;
            KafkaWorkShards shards = new KafkaWorkShards("test-controller", source, me, Duration.ofSeconds(6));
            Controller controller = new Controller("test-" + r, key -> {
                if (holder.putIfAbsent(key, me) != null) overlap.set(true);
                try {
                    Thread.sleep(2);
                    reconciledBy.merge(key, index, (a, b) -> b);
                } finally {
                    holder.remove(key);
                }
                return Result.requeueAfter(Duration.ofMillis(20));
            }, 4, shards, () -> keys);
            shards.start();
            controller.start();
            replicas.add(new Replica(shards, controller));
        }

        KafkaInformerTest.await(() -> replicas.get(0).shards().owned().size() + replicas.get(1).shards().owned().size() == 6
                && !replicas.get(0).shards().owned().isEmpty() && !replicas.get(1).shards().owned().isEmpty());
        Thread.sleep(2000);
        assertThat(overlap).as("two replicas reconciled one key at once").isFalse();
        TreeSet<Integer> both = new TreeSet<>(replicas.get(0).shards().owned());
        both.retainAll(replicas.get(1).shards().owned());
        assertThat(both).as("a shard owned twice").isEmpty();
        assertThat(reconciledBy.keySet()).containsAll(keys);

        // One replica goes away: the other takes its shards and its keys.
        replicas.get(0).close();
        KafkaInformerTest.await(() -> replicas.get(1).shards().owned().size() == 6);
        reconciledBy.clear();
        KafkaInformerTest.await(() -> reconciledBy.keySet().containsAll(keys));
        assertThat(reconciledBy.values()).containsOnly(1);
        assertThat(overlap).isFalse();
        replicas.get(1).close();
    }
}
