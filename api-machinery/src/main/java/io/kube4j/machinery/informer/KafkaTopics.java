package io.kube4j.machinery.informer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Topics that a consumer needs before the relay has published to them. */
public final class KafkaTopics {

    private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {
    }

    /**
     * The partitions of {@code topic}, creating it with {@code source.partitions()} partitions (and
     * the broker's replication factor) when it does not exist; a topic someone else creates at
     * the same moment is fine.
     */
    public static List<TopicPartition> ensure(KafkaSource source, String topic) {
        Map<String, Object> props = new HashMap<>(source.clientProperties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            for (int attempt = 0; ; attempt++) {
                try {
                    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
                    return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt > 5) {
                        throw new IllegalStateException("cannot describe topic " + topic, e.getCause());
                    }
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, Optional.of(source.partitions()), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                        log.info("created topic {} with {} partitions", topic, source.partitions());
                    } catch (ExecutionException created) {
                        if (!(created.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + topic, created.getCause());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer about " + topic + " in time", e);
        }
    }
}
