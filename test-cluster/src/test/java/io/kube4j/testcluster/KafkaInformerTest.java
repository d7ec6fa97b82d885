package io.kube4j.testcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.machinery.informer.KafkaInformer;
import io.kube4j.machinery.informer.KafkaSource;
import io.kube4j.machinery.informer.ObjectLister;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka-fed informer on the real stack: gateway list, then the relay's topic, across a relay restart. */
class KafkaInformerTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private static ConfigMap map(String ns, String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().addToData("v", value).build();
    }

    private KafkaInformer<ConfigMap> informer() {
        return new KafkaInformer<>(BuiltInTypes.CONFIG_MAP, ConfigMap.class,
                ObjectLister.gateway(cluster.client(), BuiltInTypes.CONFIG_MAP, ConfigMap.class, 2),
                KafkaSource.of(cluster.kafkaBootstrapServers(), LocalCluster.PARTITIONS));
    }

    @Test
    void listsThenFollowsTheFeedAndDropsWhatARestartedRelayRepeats() throws Exception {
        cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("inf").endMetadata().build()).create();
        for (int i = 0; i < 5; i++) cluster.client().resource(map("inf", "before-" + i, "0")).create();

        List<String> seen = new CopyOnWriteArrayList<>();
        try (KafkaInformer<ConfigMap> informer = informer()) {
            informer.addHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap o) {
                    if ("inf".equals(o.getMetadata().getNamespace())) seen.add("add " + o.getMetadata().getName() + "=" + o.getData().get("v"));
                }

                @Override
                public void onUpdate(ConfigMap old, ConfigMap o) {
                    if ("inf".equals(o.getMetadata().getNamespace())) seen.add("update " + o.getMetadata().getName() + "=" + o.getData().get("v"));
                }

                @Override
                public void onDelete(ConfigMap o, boolean unknown) {
                    if ("inf".equals(o.getMetadata().getNamespace())) seen.add("delete " + o.getMetadata().getName());
                }
            });
            informer.start();
            assertThat(informer.awaitSynced(Duration.ofSeconds(60))).isTrue();
            assertThat(informer.cache().list("inf")).hasSize(5);
            assertThat(seen).hasSize(5).allMatch(s -> s.startsWith("add before-"));

            cluster.client().resource(map("inf", "after", "1")).create();
            cluster.client().configMaps().inNamespace("inf").withName("after").edit(c -> { c.getData().put("v", "2"); return c; });
            cluster.client().configMaps().inNamespace("inf").withName("before-0").delete();
            await(() -> seen.contains("delete before-0") && seen.contains("update after=2"));
            assertThat(seen.subList(5, seen.size())).containsExactly("add after=1", "update after=2", "delete before-0");

            // The relay restarts from its checkpoint and may publish some of these again: the
            // informer must not report them twice.
            cluster.restartRelay();
            cluster.client().resource(map("inf", "marker", "m")).create();
            await(() -> seen.contains("add marker=m"));
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(informer.cache().get("inf", "after")).hasValueSatisfying(c -> assertThat(c.getData()).containsEntry("v", "2"));
            assertThat(informer.cache().get("inf", "before-0")).isEmpty();
            assertThat(informer.cache().list("inf")).hasSize(6);
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 60 s");
            Thread.sleep(20);
        }
    }
}
