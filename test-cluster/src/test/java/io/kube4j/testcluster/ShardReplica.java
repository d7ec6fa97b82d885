package io.kube4j.testcluster;

import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.KafkaWorkShards;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.controller.WorkShards;
import io.kube4j.machinery.informer.KafkaSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One controller replica in a JVM of its own, for {@link WorkShardsKillTest}: a
 * {@link KafkaWorkShards} member and a {@link Controller} over the keys {@code ns/obj-0..n-1} whose
 * reconciler records what it does in a directory the test reads, so that processes can be compared
 * and one of them killed with SIGKILL:
 * <ul>
 *   <li>{@code active/{key}}: created exclusively (CREATE_NEW) when a reconcile of the key starts,
 *       deleted when it ends. Finding it already there means another replica is acting on the key
 *       at this moment: the reconciler then writes {@code overlap-{replica}-{key}}. A replica killed
 *       mid-reconcile leaves its file behind; the test removes a dead replica's files.</li>
 *   <li>{@code reconciled-{replica}.log}: one line {@code {epochMillis} {key}} per reconcile.</li>
 *   <li>{@code owned-{replica}}: the shards the replica owns, rewritten atomically on every change.</li>
 * </ul>
 *
 * <p>Arguments: bootstrapServers partitions directory replicaName keyCount sessionTimeoutMillis.
 */
public final class ShardReplica {

    public static final String GROUP = "kill-test-controller";

    private ShardReplica() {
    }

    public static void main(String[] args) throws Exception {
        KafkaSource source = new KafkaSource(args[0], Integer.parseInt(args[1]), null, null);
        Path dir = Path.of(args[2]);
        String me = args[3];
        List<String> keys = keys(Integer.parseInt(args[4]));
        Duration session = Duration.ofMillis(Long.parseLong(args[5]));
        Files.createDirectories(dir.resolve("active"));

        KafkaWorkShards shards = new KafkaWorkShards(GROUP, source, me, session);
        Path log = dir.resolve("reconciled-" + me + ".log");
        Controller controller = new Controller(me, key -> {
            Path active = dir.resolve("active").resolve(key.replace('/', '_'));
            try {
                Files.writeString(active, me, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                String other = read(active);
                Files.writeString(dir.resolve("overlap-" + me + "-" + key.replace('/', '_')), other);
                return Result.requeueAfter(Duration.ofMillis(50));
            }
            try {
                Files.writeString(log, System.currentTimeMillis() + " " + key + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Thread.sleep(2);
            } finally {
                Files.delete(active);
            }
            return Result.requeueAfter(Duration.ofMillis(50));
        }, 4, shards, () -> keys);
        shards.addListener(new WorkShards.Listener() {
            @Override
            public void assigned(Set<Integer> added) {
                publish(dir, me, shards.owned());
            }

            @Override
            public void revoked(Set<Integer> gone) {
                publish(dir, me, shards.owned());
            }
        });
        publish(dir, me, Set.of());
        shards.start();
        controller.start();
        System.out.println("replica " + me + " running");
        Thread.currentThread().join();
    }

    public static List<String> keys(int count) {
        return IntStream.range(0, count).mapToObj(i -> "ns/obj-" + i).toList();
    }

    private static void publish(Path dir, String me, Set<Integer> owned) {
        try {
            Path tmp = dir.resolve("owned-" + me + ".tmp");
            Files.writeString(tmp, new TreeSet<>(owned).stream().map(String::valueOf).collect(Collectors.joining(",")));
            Files.move(tmp, dir.resolve("owned-" + me), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "?";
        }
    }
}
