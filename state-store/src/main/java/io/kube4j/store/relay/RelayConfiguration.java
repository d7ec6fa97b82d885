package io.kube4j.store.relay;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Wires the relay: one jetcd client, the election, the checkpoint, the Kafka publisher per session. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RelayProperties.class)
class RelayConfiguration {

    @Bean(destroyMethod = "close")
    Client etcdClient(RelayProperties properties) {
        return Client.builder()
                .endpoints(properties.etcdEndpoints().toArray(String[]::new))
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry) {
        return new RelayMetrics(registry);
    }

    @Bean
    ChangeRelay changeRelay(Client etcd, RelayProperties properties, KafkaProperties kafka, RelayMetrics metrics) {
        Map<String, Object> producer = new HashMap<>(kafka.buildProducerProperties());
        producer.put(CommonClientConfigs.CLIENT_ID_CONFIG, "kube4j-relay-" + properties.instanceId());
        Map<String, Object> admin = new HashMap<>(kafka.buildAdminProperties());
        admin.put(CommonClientConfigs.CLIENT_ID_CONFIG, "kube4j-relay-admin-" + properties.instanceId());
        return new ChangeRelay(
                new EtcdLeaderElection(etcd, properties),
                new EtcdCheckpointStore(etcd, properties),
                () -> new EtcdWatchFeed(etcd, RegistryKey.PREFIX),
                () -> new KafkaChangePublisher(producer, admin, properties.partitions(), properties.replicationFactor()),
                new ChangeEncoder(),
                metrics,
                properties);
    }

    /** Up whether leading or standing by; the details tell which, and how far the relay got. */
    @Bean
    HealthIndicator relayHealthIndicator(RelayMetrics metrics, RelayProperties properties) {
        return () -> Health.up()
                .withDetail("instanceId", properties.instanceId())
                .withDetail("leader", metrics.isLeader())
                .withDetail("sentRevision", metrics.sentRevision())
                .withDetail("checkpoint", metrics.checkpoint())
                .build();
    }
}
