package io.kube4j.store.relay;

import io.etcd.jetcd.Client;
import io.kube4j.testsupport.EtcdProcess;
import io.kube4j.testsupport.KafkaProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay as a separate process between a real etcd and a real Kafka broker. The fixtures are
 * shared; each test has its own resources (so its own topics), its own leader and checkpoint keys,
 * and seeds its checkpoint with etcd's current revision, so earlier tests' writes stay out of it.
 */
class ChangeRelayIntegrationTest {

    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private static EtcdProcess etcd;
    private static KafkaProcess kafka;
    private static Client client;

    private final List<RelayProcess> relays = new ArrayList<>();
    private String scope;

    @BeforeAll
    static void startFixtures() {
        etcd = EtcdProcess.start();
        kafka = KafkaProcess.start();
        client = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void stopFixtures() {
        if (client != null) client.close();
        if (kafka != null) kafka.close();
        if (etcd != null) etcd.close();
    }

    @AfterEach
    void killRelays() {
        relays.forEach(RelayProcess::close);
    }

    @Test
    void relaysEveryChangeUnderRegistryWithTopicKeyValueAndHeader() throws Exception {
        scope("mapping");
        RegistryWriter writer = new RegistryWriter(client, List.of("core/mapnodes", "core/mappods", "apps/mapdeployments"), 4);
        List<RegistryWriter.Written> expected = new ArrayList<>();
        expected.add(writer.put(RegistryWriter.key("core/mappods", 1, false), 1)); // before the relay starts
        RelayProcess relay = relay("mapping-a");
        awaitLeader(relay);

        expected.add(writer.put(RegistryWriter.key("core/mappods", 1, false), 2));
        expected.add(writer.put(RegistryWriter.key("core/mapnodes", 7, true), 1));
        expected.add(writer.put(RegistryWriter.key("apps/mapdeployments", 2, false), 1));
        expected.add(writer.delete(RegistryWriter.key("core/mappods", 1, false)));
        put("/kube4j/not-relayed/x", "{\"metadata\":{\"name\":\"x\"}}");
        put("/registryx/core/mappods/ns-0/y", "{\"metadata\":{\"name\":\"y\"}}");
        put("/registry/core/mappods", "{\"metadata\":{\"name\":\"bad-shape\"}}");
        put("/registry/core/mappods/ns-0/not-json", "plain text");
        expected.add(writer.put(RegistryWriter.key("core/mappods", 3, false), 1));

        List<RelayedEvents.Event> events = RelayedEvents.readUntil(kafka.bootstrapServers(), writer.topics(),
                read -> RelayedEvents.containsAll(read, expected), READ_TIMEOUT);
        RelayedEvents.assertNoLossAndOrderPerKey(events, expected);
        assertThat(events).as("exactly the confirmed writes, once each, in order").hasSize(expected.size());

        var pod = events.stream().filter(e -> e.topic().equals("registry.core.mappods")).toList();
        assertThat(pod).extracting(RelayedEvents.Event::key).containsExactly("ns-1/obj-1", "ns-1/obj-1", "ns-1/obj-1", "ns-1/obj-3");
        assertThat(pod).extracting(RelayedEvents.Event::type).containsExactly("ADDED", "MODIFIED", "DELETED", "ADDED");
        RelayedEvents.Event deleted = pod.get(2);
        assertThat(deleted.object().path("spec").path("generation").asInt()).as("a deletion carries the last state").isEqualTo(2);
        assertThat(deleted.resourceVersion()).isEqualTo(Long.toString(expected.get(4).revision()));
        var node = events.stream().filter(e -> e.topic().equals("registry.core.mapnodes")).findFirst().orElseThrow();
        assertThat(node.key()).isEqualTo("obj-7");
        assertThat(node.object().path("metadata").path("name").asString()).isEqualTo("obj-7");

        try (Admin admin = admin()) {
            var topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(topics).noneMatch(t -> t.contains("not-relayed") || t.contains("registryx"));
            var description = admin.describeTopics(writer.topics()).allTopicNames().get(10, TimeUnit.SECONDS);
            assertThat(description.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
        }
        awaitTrue("skipped changes counted", () -> relay.metric("kube4j_relay_events_skipped_total") == 2.0);
        awaitTrue("checkpoint reaches the last relayed revision",
                () -> checkpoint() >= expected.getLast().revision());
        assertThat(relay.health()).contains("\"leader\":true");

        relay.stop();
        assertThat(leaderKeyHolder()).as("a relay that stops hands its leadership over at once").isNull();
        assertThat(checkpoint()).isGreaterThanOrEqualTo(expected.getLast().revision());
    }

    @Test
    void killNineMidStreamLosesNothingAndKeepsOrderPerKey() throws Exception {
        scope("kill");
        RegistryWriter writer = new RegistryWriter(client, List.of("core/killnodes", "core/killpods", "apps/killsets"), 10);
        RelayProcess first = relay("kill-a");
        awaitLeader(first);
        writer.startBackground(3, 1);
        awaitTrue("the first relay publishes", () -> first.metric("kube4j_relay_events_published_total") > 50);
        first.kill();
        int writtenAtKill = writer.count();
        RelayProcess second = relay("kill-b");
        awaitLeader(second);
        awaitTrue("writes continue after the restart", () -> writer.count() > writtenAtKill + 150);
        writer.stopBackground();

        assertDelivered(writer);
        assertThat(second.metric("kube4j_relay_sessions_total")).isEqualTo(1.0);
    }

    @Test
    void etcdRestartLosesNothing() throws Exception {
        scope("etcd");
        RegistryWriter writer = new RegistryWriter(client, List.of("core/etcdnodes", "core/etcdpods"), 10);
        RelayProcess relay = relay("etcd-a", "--kube4j.relay.lease-ttl=5s");
        awaitLeader(relay);
        writer.startBackground(3, 2);
        awaitTrue("the relay publishes", () -> relay.metric("kube4j_relay_events_published_total") > 50);
        etcd.stop();
        RelayProcess.sleep(1000);
        etcd.restart();
        int writtenAtRestart = writer.count();
        awaitTrue("writes continue after etcd's restart", () -> writer.count() > writtenAtRestart + 120);
        writer.stopBackground();

        assertDelivered(writer);
        assertThat(relay.isAlive()).isTrue();
    }

    @Test
    void kafkaRestartLosesNothing() throws Exception {
        scope("kafka");
        RegistryWriter writer = new RegistryWriter(client, List.of("core/kafkanodes", "core/kafkapods"), 10);
        RelayProcess relay = relay("kafka-a");
        awaitLeader(relay);
        writer.startBackground(3, 3);
        awaitTrue("the relay publishes", () -> relay.metric("kube4j_relay_events_published_total") > 50);
        kafka.kill();
        int writtenAtKill = writer.count();
        awaitTrue("writes go on while Kafka is down", () -> writer.count() > writtenAtKill + 60);
        kafka.restart();
        int writtenAtRestart = writer.count();
        awaitTrue("writes continue after Kafka's restart", () -> writer.count() > writtenAtRestart + 120);
        writer.stopBackground();

        assertDelivered(writer);
        assertThat(relay.isAlive()).isTrue();
    }

    @Test
    void onlyTheLeaderPublishesAndAStandbyTakesOverWithinTheTtl() throws Exception {
        scope("pair");
        RegistryWriter writer = new RegistryWriter(client, List.of("core/pairnodes", "core/pairpods"), 10);
        RelayProcess a = relay("pair-a");
        awaitLeader(a);
        RelayProcess b = relay("pair-b");
        writer.startBackground(3, 4);
        awaitTrue("the leader publishes", () -> a.metric("kube4j_relay_events_published_total") > 100);
        assertThat(b.isLeader()).isFalse();
        assertThat(b.metric("kube4j_relay_events_published_total")).as("the standby publishes nothing").isZero();
        assertThat(leaderKeyHolder()).isEqualTo("pair-a");

        a.kill();
        Instant killed = Instant.now();
        awaitTrue("the standby takes over", b::isLeader);
        Duration takeover = Duration.between(killed, Instant.now());
        assertThat(takeover).as("takeover time").isLessThan(TTL.plusSeconds(2));
        assertThat(leaderKeyHolder()).isEqualTo("pair-b");
        int writtenAtTakeover = writer.count();
        awaitTrue("writes continue after the takeover", () -> writer.count() > writtenAtTakeover + 120);
        writer.stopBackground();

        assertDelivered(writer);
        assertThat(b.metric("kube4j_relay_events_published_total")).isPositive();
    }

    @Test
    void aCompactedCheckpointIsCountedAsAGapAndTheRelayGoesOnFromTheOldestRevision() throws Exception {
        scope("compact");
        RegistryWriter writer = new RegistryWriter(client, List.of("core/compactnodes", "core/compactpods"), 4);
        long checkpoint = checkpoint();
        List<RegistryWriter.Written> lost = new ArrayList<>();
        for (int i = 0; i < 4; i++) lost.add(writer.put(RegistryWriter.key("core/compactpods", i, false), 1));
        RegistryWriter.Written oldestKept = writer.put(RegistryWriter.key("core/compactpods", 1, false), 2);
        client.getKVClient().compact(oldestKept.revision()).get(5, TimeUnit.SECONDS);
        List<RegistryWriter.Written> expected = new ArrayList<>(List.of(oldestKept));
        expected.add(writer.put(RegistryWriter.key("core/compactnodes", 0, true), 1));

        RelayProcess relay = relay("compact-a");
        awaitLeader(relay);
        expected.add(writer.put(RegistryWriter.key("core/compactpods", 2, false), 2));

        List<RelayedEvents.Event> events = RelayedEvents.readUntil(kafka.bootstrapServers(), writer.topics(),
                read -> RelayedEvents.containsAll(read, expected), READ_TIMEOUT);
        RelayedEvents.assertNoLossAndOrderPerKey(events, expected);
        assertThat(events).extracting(RelayedEvents.Event::headerRevision)
                .as("nothing older than the compaction revision")
                .allSatisfy(revision -> assertThat(revision).isGreaterThanOrEqualTo(oldestKept.revision()));
        assertThat(relay.metric("kube4j_relay_compaction_gap_revisions_total"))
                .as("revisions between the checkpoint and the compaction")
                .isEqualTo((double) (oldestKept.revision() - (checkpoint + 1)));
        assertThat(lost).hasSize(4);
    }

    // --- helpers ---

    private void scope(String name) throws Exception {
        scope = name;
        // start this test's relays from now, not from etcd's first revision
        long now = client.getKVClient().get(RegistryWriter.bytes("/")).get(5, TimeUnit.SECONDS).getHeader().getRevision();
        put(checkpointKey(), Long.toString(now));
    }

    private String checkpointKey() {
        return "/kube4j/test/" + scope + "/checkpoint";
    }

    private RelayProcess relay(String name, String... extra) {
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("kube4j.relay.etcd-endpoints", etcd.endpoint());
        arguments.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        arguments.put("kube4j.relay.partitions", "3");
        arguments.put("kube4j.relay.lease-ttl", TTL.toSeconds() + "s");
        arguments.put("kube4j.relay.leader-key", "/kube4j/test/" + scope + "/leader");
        arguments.put("kube4j.relay.checkpoint-key", checkpointKey());
        for (String argument : extra) {
            String[] pair = argument.substring(2).split("=", 2);
            arguments.put(pair[0], pair[1]);
        }
        RelayProcess relay = RelayProcess.start(name, arguments.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toList());
        relays.add(relay);
        return relay;
    }

    private void awaitLeader(RelayProcess relay) {
        awaitTrue(relay + " leads", relay::isLeader);
    }

    private void assertDelivered(RegistryWriter writer) {
        List<RegistryWriter.Written> expected = writer.written();
        assertThat(expected).hasSizeGreaterThan(150);
        List<RelayedEvents.Event> events = RelayedEvents.readUntil(kafka.bootstrapServers(), writer.topics(),
                read -> RelayedEvents.containsAll(read, expected), READ_TIMEOUT);
        RelayedEvents.assertNoLossAndOrderPerKey(events, expected);
    }

    private long checkpoint() {
        try {
            var kvs = client.getKVClient().get(RegistryWriter.bytes(checkpointKey())).get(5, TimeUnit.SECONDS).getKvs();
            return kvs.isEmpty() ? 0 : Long.parseLong(kvs.getFirst().getValue().toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String leaderKeyHolder() throws Exception {
        var kvs = client.getKVClient().get(RegistryWriter.bytes("/kube4j/test/" + scope + "/leader")).get(5, TimeUnit.SECONDS).getKvs();
        return kvs.isEmpty() ? null : kvs.getFirst().getValue().toString(StandardCharsets.UTF_8);
    }

    private static void put(String key, String value) throws Exception {
        client.getKVClient().put(RegistryWriter.bytes(key), RegistryWriter.bytes(value)).get(5, TimeUnit.SECONDS);
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private void awaitTrue(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.getAsBoolean()) return;
            } catch (RuntimeException notYet) {
                // the condition's source is unreachable for a moment (a relay starting, etcd restarting)
            }
            RelayProcess.sleep(50);
        }
        StringBuilder logs = new StringBuilder();
        for (RelayProcess relay : relays) logs.append("\n--- ").append(relay).append(":\n").append(relay.logTail());
        throw new AssertionError("timed out waiting until " + what + logs);
    }
}
