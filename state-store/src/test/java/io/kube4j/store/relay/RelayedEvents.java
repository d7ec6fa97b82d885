package io.kube4j.store.relay;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads what the relay published, from the beginning of every partition of some topics, and judges it. */
final class RelayedEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One record as a consumer sees it. */
    record Event(String topic, int partition, long offset, String key, long headerRevision, String type, JsonNode object) {
        String resourceVersion() {
            return object.path("metadata").path("resourceVersion").asString();
        }
    }

    private RelayedEvents() {
    }

    /** Reads until {@code done} holds for everything read so far, or the timeout passes; returns all read. */
    static List<Event> readUntil(String bootstrapServers, List<String> topics, Predicate<List<Event>> done, Duration timeout) {
        List<Event> events = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            Set<String> assigned = new HashSet<>();
            List<TopicPartition> partitions = new ArrayList<>();
            while (Instant.now().isBefore(deadline)) {
                if (assigned.size() < topics.size()) {
                    Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(5));
                    boolean grew = false;
                    for (String topic : topics) {
                        if (!assigned.contains(topic) && existing.containsKey(topic)) {
                            existing.get(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                            assigned.add(topic);
                            grew = true;
                        }
                    }
                    if (grew) {
                        // re-reading from the beginning keeps this simple; restart the collection with it
                        events.clear();
                        consumer.assign(partitions);
                        consumer.seekToBeginning(partitions);
                    }
                }
                if (!partitions.isEmpty()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        events.add(toEvent(record));
                    }
                } else {
                    RelayProcess.sleep(200);
                }
                if (assigned.size() == topics.size() && done.test(events)) return events;
            }
        }
        return events;
    }

    private static Event toEvent(ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(RelayRecord.REVISION_HEADER);
        long headerRevision = header == null ? -1 : Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
        JsonNode event = JSON.readTree(record.value());
        return new Event(record.topic(), record.partition(), record.offset(), record.key(), headerRevision,
                event.path("type").asString(), event.path("object"));
    }

    /** Whether every confirmed write is among the events. */
    static boolean containsAll(List<Event> events, List<RegistryWriter.Written> written) {
        Set<String> seen = new HashSet<>();
        for (Event e : events) seen.add(e.topic() + "|" + e.key() + "|" + e.headerRevision());
        for (RegistryWriter.Written w : written) {
            if (!seen.contains(w.topic() + "|" + w.recordKey() + "|" + w.revision())) return false;
        }
        return true;
    }

    /**
     * The relay's contract as a consumer relies on it: every confirmed write is present with its
     * type; each record's header equals its object's resourceVersion; and per key, once exact
     * repeats are dropped, revisions strictly increase (a crash may repeat, never reorder or lose).
     */
    static void assertNoLossAndOrderPerKey(List<Event> events, List<RegistryWriter.Written> written) {
        Map<String, List<Event>> byKey = new LinkedHashMap<>();
        for (Event e : events) {
            assertThat(e.resourceVersion()).as("resourceVersion of %s", e).isEqualTo(Long.toString(e.headerRevision()));
            byKey.computeIfAbsent(e.topic() + "|" + e.key(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Event> unique = new HashMap<>();
        byKey.forEach((key, keyEvents) -> {
            Set<Long> seen = new HashSet<>();
            long last = 0;
            for (Event e : keyEvents) {
                if (!seen.add(e.headerRevision())) continue;
                assertThat(e.headerRevision()).as("revision order of %s after %d", key, last).isGreaterThan(last);
                last = e.headerRevision();
                unique.put(key + "|" + e.headerRevision(), e);
            }
        });
        for (RegistryWriter.Written w : written) {
            Event e = unique.get(w.topic() + "|" + w.recordKey() + "|" + w.revision());
            assertThat(e).as("relayed event for %s", w).isNotNull();
            assertThat(e.type()).as("type of %s", w).isEqualTo(w.type());
        }
    }
}
