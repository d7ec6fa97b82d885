package io.kube4j.machinery.controller;

import io.kube4j.machinery.informer.KafkaSource;
import io.kube4j.machinery.informer.KafkaTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * {@link WorkShards} through a Kafka consumer group: the shards are the partitions of a
 * coordination topic {@code kube4j.shards.{group}}, which carries no records; Kafka's group
 * protocol gives each partition to one member and, with the cooperative assignor, revokes a
 * partition from its old owner (which waits in {@link Listener#revoked}) before a later
 * rebalance hands it to another. A member that dies stops heartbeating and loses its shards
 * after the session timeout.
 */
public final class KafkaWorkShards implements WorkShards {

    private static final Logger log = LoggerFactory.getLogger(KafkaWorkShards.class);

    private final String group;
    private final KafkaSource kafka;
    private final String memberId;
    private final Duration sessionTimeout;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /**
     * @param group          the controller's name; replicas with the same name share the work
     * @param memberId       this replica's name in logs
     * @param sessionTimeout how long a silent replica keeps its shards
     */
    public KafkaWorkShards(String group, KafkaSource kafka, String memberId, Duration sessionTimeout) {
        this.group = group;
        this.kafka = kafka;
        this.memberId = memberId;
        this.sessionTimeout = sessionTimeout;
    }

    public String topic() {
        return "kube4j.shards." + group;
    }

    @Override
    public int shardCount() {
        return kafka.partitions();
    }

    @Override
    public boolean owns(int shard) {
        return owned.contains(shard);
    }

    /** The shards owned now, for logs and tests. */
    public Set<Integer> owned() {
        return new TreeSet<>(owned);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void start() {
        if (thread != null) return;
        running = true;
        thread = Thread.ofPlatform().name("shards-" + group).daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = newConsumer()) {
                consumer = c;
                KafkaTopics.ensure(kafka, topic());
                c.subscribe(List.of(topic()), new Rebalance());
                while (running) {
                    // The topic carries no records: paused partitions are never fetched, and poll
                    // still runs the group's heartbeats and rebalances.
                    c.pause(c.assignment());
                    c.poll(Duration.ofMillis(500));
                }
            } catch (WakeupException e) {
                if (running) log.warn("shard membership of {} woken up while running", group);
            } catch (RuntimeException e) {
                if (!running) break;
                log.warn("shard membership of {} failed; joining again", group, e);
                dropAll();
                sleep(1000);
            } finally {
                consumer = null;
            }
        }
        dropAll();
    }

    private void dropAll() {
        if (owned.isEmpty()) return;
        Set<Integer> lost = new TreeSet<>(owned);
        owned.clear();
        listeners.forEach(l -> l.revoked(lost));
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<Integer> shards = shards(partitions);
            if (shards.isEmpty()) return;
            owned.removeAll(shards);
            listeners.forEach(l -> l.revoked(shards));
            log.info("{} gave up shards {} of {}; owns {}", memberId, shards, group, owned());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<Integer> shards = shards(partitions);
            if (shards.isEmpty()) return;
            owned.addAll(shards);
            log.info("{} took shards {} of {}; owns {}", memberId, shards, group, owned());
            listeners.forEach(l -> l.assigned(shards));
        }

        private Set<Integer> shards(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kube4j-shards-" + group);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(CooperativeStickyAssignor.class.getName()));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 4));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "shards-" + group + "-" + memberId);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) c.wakeup();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
