package io.kube4j.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.kube4j.testsupport.EtcdProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rough comparison, for information, of {@link EtcdStore#create} against plain jetcd puts of
 * the same keys and values, from the same number of concurrent virtual threads on a fresh etcd.
 * Not a test: run it by hand ({@code java -cp <test classpath> io.kube4j.store.EtcdStoreThroughput [threads] [seconds]}).
 */
public final class EtcdStoreThroughput {

    private static final byte[] VALUE = new byte[1024];

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Arrays.fill(VALUE, (byte) 'x');
        try (EtcdProcess etcd = EtcdProcess.start();
             EtcdStore store = new EtcdStore(EtcdStoreProperties.of(etcd.endpoint()));
             Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            KV kv = client.getKVClient();
            run("warm-up store creates", threads, 2, (t, i) -> store.create("/warm/store/" + t + "/" + i, VALUE));
            run("warm-up jetcd puts", threads, 2, (t, i) -> kv.put(bytes("/warm/raw/" + t + "/" + i), ByteSequence.from(VALUE)).get());
            for (int round = 0; round < 3; round++) {
                String r = "/" + round;
                run("jetcd put", threads, seconds, (t, i) -> kv.put(bytes("/raw" + r + "/" + t + "/" + i), ByteSequence.from(VALUE)).get());
                run("EtcdStore.create", threads, seconds, (t, i) -> store.create("/store" + r + "/" + t + "/" + i, VALUE));
                run("EtcdStore.update", threads, seconds, new Updater(store));
                run("EtcdStore.get", threads, seconds, (t, i) -> store.get("/store" + r + "/" + t + "/0"));
            }
        }
    }

    interface Call {
        void run(int thread, long i) throws Exception;
    }

    /** Each thread updates a key of its own, expecting the revision of its previous write. */
    private static final class Updater implements Call {
        private final EtcdStore store;
        private final String prefix = "/update/" + System.nanoTime() + "/";
        private final long[] revisions = new long[4096];

        Updater(EtcdStore store) {
            this.store = store;
        }

        @Override
        public void run(int thread, long i) {
            String key = prefix + thread;
            revisions[thread] = i == 0
                    ? store.create(key, VALUE).modRevision()
                    : store.update(key, VALUE, revisions[thread]).modRevision();
        }
    }

    private static void run(String name, int threads, int seconds, Call call) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofVirtual().start(() -> {
                for (long i = 0; !stop.get(); i++) {
                    try {
                        call.run(thread, i);
                        done.incrementAndGet();
                    } catch (Exception e) {
                        if (failed.incrementAndGet() == 1) e.printStackTrace();
                    }
                }
            }));
        }
        long cpuBefore = processCpuNanos();
        TimeUnit.SECONDS.sleep(seconds);
        stop.set(true);
        for (Thread w : workers) w.join();
        long cpu = processCpuNanos() - cpuBefore;
        System.out.printf("%-18s %3d threads: %7.0f ops/s, client CPU %5.1f us/op (%d failed)%n",
                name, threads, done.get() / (double) seconds, cpu / 1000.0 / Math.max(1, done.get()), failed.get());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static ByteSequence bytes(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }
}
