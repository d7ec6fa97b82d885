package io.kube4j.node.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The machine's CPU time and memory working set from {@code /proc}: CPU is every core's time not
 * idle nor waiting for I/O ({@code /proc/stat}, in clock ticks of 1/100 s); memory is
 * {@code MemTotal - MemAvailable} ({@code /proc/meminfo}). Parsing is pure; {@link #sample} reads.
 */
public final class NodeProc {

    /** USER_HZ on Linux: {@code /proc/stat} counts hundredths of a second. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private NodeProc() {
    }

    /** A sample of the machine now; null when {@code /proc} cannot be read (never fatal). */
    public static UsageReport.NodeSample sample(Path proc, Instant now) {
        try {
            return new UsageReport.NodeSample(now, cpuNanos(Files.readAllLines(proc.resolve("stat"))),
                    workingSetBytes(Files.readAllLines(proc.resolve("meminfo"))));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The busy CPU time of all cores from the {@code cpu} line of {@code /proc/stat}. */
    static long cpuNanos(List<String> stat) {
        for (String line : stat) {
            if (!line.startsWith("cpu ")) continue;
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                if (i == 4 || i == 5) continue;
                busy += Long.parseLong(f[i]);
            }
            return busy * NANOS_PER_TICK;
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    /** {@code MemTotal - MemAvailable} in bytes. */
    static long workingSetBytes(List<String> meminfo) {
        long total = -1;
        long available = -1;
        for (String line : meminfo) {
            if (line.startsWith("MemTotal:")) total = kib(line);
            if (line.startsWith("MemAvailable:")) available = kib(line);
        }
        if (total < 0 || available < 0) throw new IllegalArgumentException("no MemTotal or MemAvailable in /proc/meminfo");
        return (total - available) * 1024;
    }

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
    }
}
