package io.kube4j.testcluster;

import io.kube4j.machinery.controller.WorkShards;
import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.KafkaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two controller replicas in two JVMs share keys through {@link io.kube4j.machinery.controller.KafkaWorkShards}
 * on a real broker; one of them is killed with SIGKILL (no graceful leave, no revocation): the
 * survivor is given the dead replica's shards once the group's session timeout notices the silence
 * and reconciles its keys, and at no moment did two replicas act on one key (each reconcile holds an
 * exclusive file per key, see {@link ShardReplica}).
 */
class WorkShardsKillTest {

    private static final int PARTITIONS = 6;
    private static final int KEYS = 60;
    private static final Duration SESSION = Duration.ofSeconds(6);

    static KafkaProcess kafka;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = KafkaProcess.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    @Test
    void aKilledReplicasKeysGoToTheSurvivorAndNoKeyRunsTwiceAtOnce() throws Exception {
        Path dir = Files.createTempDirectory("kube4j-shards-kill");
        try {
            Process doomed = replica(dir, "doomed");
            Process survivor = replica(dir, "survivor");
            await(Duration.ofSeconds(90), () -> owned(dir, "doomed").size() + owned(dir, "survivor").size() == PARTITIONS
                    && !owned(dir, "doomed").isEmpty() && !owned(dir, "survivor").isEmpty());
            // Whichever replica joined first owned every shard until the second one joined, and acted on
            // every key meanwhile: only what each does once the shards are split is compared. A reconcile
            // logs its start, so one still running when its shard was revoked logged before this moment.
            long splitAt = System.currentTimeMillis();
            Set<Integer> doomedShards = owned(dir, "doomed");
            TreeSet<Integer> both = new TreeSet<>(doomedShards);
            both.retainAll(owned(dir, "survivor"));
            assertThat(both).as("a shard owned by both replicas").isEmpty();
            List<String> doomedKeys = ShardReplica.keys(KEYS).stream()
                    .filter(k -> doomedShards.contains(WorkShards.shardOf(k, PARTITIONS))).toList();
            assertThat(doomedKeys).isNotEmpty();
            await(Duration.ofSeconds(30), () -> reconciledKeys(dir, "doomed", splitAt).containsAll(doomedKeys));
            assertThat(reconciledKeys(dir, "survivor", splitAt)).as("the survivor acted on keys it did not own")
                    .doesNotContainAnyElementsOf(doomedKeys);

            // SIGKILL: the doomed replica neither leaves the group nor finishes what it runs.
            long killedAt = System.currentTimeMillis();
            doomed.destroyForcibly();
            assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
            removeActiveFilesOf(dir, "doomed", doomedKeys);

            await(SESSION.plusSeconds(30), () -> owned(dir, "survivor").size() == PARTITIONS);
            long tookOverAt = System.currentTimeMillis();
            await(Duration.ofSeconds(30), () -> reconciledKeys(dir, "survivor", killedAt).containsAll(doomedKeys));
            long firstTakenOver = firstReconcile(dir, "survivor", killedAt, doomedKeys);
            System.out.printf("survivor owned every shard %d ms after the kill, reconciled the first of the dead replica's keys after %d ms"
                    + " (session timeout %d ms)%n", tookOverAt - killedAt, firstTakenOver - killedAt, SESSION.toMillis());
            assertThat(firstTakenOver - killedAt).as("ms from the kill to the survivor's first reconcile of a dead replica's key")
                    .isLessThan(SESSION.toMillis() + 20_000);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("overlap-")).toList())
                        .as("keys reconciled by two replicas at once").isEmpty();
            }
            assertThat(survivor.isAlive()).isTrue();
        } finally {
            processes.forEach(Process::destroyForcibly);
            for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
            Directories.deleteRecursively(dir);
        }
    }

    private Process replica(Path dir, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ShardReplica.class.getName(), kafka.bootstrapServers(), Integer.toString(PARTITIONS), dir.toString(), name,
                Integer.toString(KEYS), Long.toString(SESSION.toMillis()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static Set<Integer> owned(Path dir, String replica) {
        Path file = dir.resolve("owned-" + replica);
        if (!Files.exists(file)) return Set.of();
        String text = read(file).trim();
        if (text.isEmpty()) return Set.of();
        return Stream.of(text.split(",")).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The keys {@code replica} reconciled at or after {@code sinceMillis}. */
    private static Set<String> reconciledKeys(Path dir, String replica, long sinceMillis) {
        return reconciles(dir, replica).stream().filter(r -> r.at >= sinceMillis).map(r -> r.key).collect(Collectors.toSet());
    }

    private static long firstReconcile(Path dir, String replica, long sinceMillis, List<String> keys) {
        return reconciles(dir, replica).stream().filter(r -> r.at >= sinceMillis && keys.contains(r.key))
                .mapToLong(r -> r.at).min().orElseThrow();
    }

    private record Reconcile(long at, String key) {
    }

    private static List<Reconcile> reconciles(Path dir, String replica) {
        Path log = dir.resolve("reconciled-" + replica + ".log");
        if (!Files.exists(log)) return List.of();
        List<Reconcile> out = new ArrayList<>();
        for (String line : read(log).split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 2) out.add(new Reconcile(Long.parseLong(parts[0]), parts[1]));
        }
        return out;
    }

    /**
     * A replica killed mid-reconcile leaves its key's file (empty, if killed between creating and
     * writing it): it acts on nothing any more.
     */
    private static void removeActiveFilesOf(Path dir, String replica, List<String> itsKeys) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("active"))) {
            for (Path f : files.toList()) {
                if (!itsKeys.contains(f.getFileName().toString().replace('_', '/'))) continue;
                try {
                    String holder = Files.readString(f);
                    if (holder.equals(replica) || holder.isEmpty()) Files.deleteIfExists(f);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // finished meanwhile by a live replica
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(100);
        }
    }
}
