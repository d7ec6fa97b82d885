package io.kube4j.store.relay;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes to Kafka with an idempotent producer ({@code acks=all}), so retries neither duplicate
 * nor reorder records within a partition, and records of one key share a partition. Creates each
 * resource's topic on first use.
 *
 * <p>Two settings are stricter than idempotence alone needs, because order per key is the
 * relay's contract and the consumers' deduplication ("drop what is not newer than what I saw")
 * turns any reordering into a lost event:
 * <ul>
 * <li>one request in flight per broker: with more, the first batches to a just-created partition
 *     can fail with NOT_LEADER_OR_FOLLOWER while later ones succeed, and a broker that holds no
 *     state for the producer on that partition accepts the later ones first (measured with Kafka
 *     4.1: a new partition's log began at sequence 5);</li>
 * <li>no delivery timeout: a producer that gives up on a batch bumps its epoch and sends the
 *     batches after it, which would overtake the one the relay resends. A broker that stays away
 *     instead fills the buffer until {@code send} blocks past {@code max.block.ms}, which ends the
 *     session and restarts it from the checkpoint with a new producer.</li>
 * </ul>
 */
public final class KafkaChangePublisher implements ChangePublisher {

    private static final Logger log = LoggerFactory.getLogger(KafkaChangePublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final Set<String> topics = new HashSet<>();

    public KafkaChangePublisher(Map<String, Object> producerConfig, Map<String, Object> adminConfig,
                                int partitions, short replicationFactor) {
        this.producer = new KafkaProducer<>(guaranteed(producerConfig), new StringSerializer(), new ByteArraySerializer());
        this.admin = Admin.create(adminConfig);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** The producer settings the relay's guarantees rest on, over whatever {@code spring.kafka.producer.*} says. */
    static Map<String, Object> guaranteed(Map<String, Object> configured) {
        Map<String, Object> config = new HashMap<>(configured);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }

    @Override
    public void publish(RelayRecord record, Callback callback) {
        ensureTopic(record.topic());
        var producerRecord = new ProducerRecord<String, byte[]>(record.topic(), null, record.key(), record.value(),
                List.of(new RecordHeader(RelayRecord.REVISION_HEADER, Long.toString(record.revision()).getBytes(StandardCharsets.US_ASCII))));
        producer.send(producerRecord, (metadata, error) -> {
            if (error == null) callback.acknowledged();
            else callback.failed(error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error));
        });
    }

    private void ensureTopic(String topic) {
        if (topics.contains(topic)) return;
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions),
                replicationFactor < 1 ? Optional.empty() : Optional.of(replicationFactor));
        try {
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
            log.info("created topic {} with {} partitions", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
        topics.add(topic);
    }

    @Override
    public void flush(Duration timeout) {
        // KafkaProducer.flush has no timeout; a bounded close after it is this publisher's end anyway
        Thread flusher = Thread.ofVirtual().start(producer::flush);
        try {
            flusher.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ZERO);
        admin.close(Duration.ZERO);
    }
}
