package io.kube4j.store.relay;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaChangePublisherTest {

    static Stream<Map<String, Object>> configured() {
        return Stream.of(
                Map.of(),
                Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1000),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx", ProducerConfig.RETRIES_CONFIG, 0));
    }

    @ParameterizedTest
    @MethodSource("configured")
    void theRelaysGuaranteesOverrideWhateverIsConfigured(Map<String, Object> configured) {
        Map<String, Object> config = KafkaChangePublisher.guaranteed(configured);
        assertThat(config)
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1)
                .containsEntry(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE)
                .doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    @ParameterizedTest
    @MethodSource("configured")
    void tuningThatDoesNotTouchTheGuaranteesIsKept(Map<String, Object> configured) {
        Map<String, Object> withTuning = new java.util.HashMap<>(configured);
        withTuning.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        withTuning.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        assertThat(KafkaChangePublisher.guaranteed(withTuning))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    }
}
