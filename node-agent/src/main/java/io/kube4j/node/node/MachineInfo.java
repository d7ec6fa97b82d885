package io.kube4j.node.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What the node agent reads of its machine: CPUs, memory, disk, kernel, OS and its address. */
public record MachineInfo(int cpus, long memoryBytes, long memoryAvailableBytes, long diskBytes, long diskFreeBytes,
                          String kernelVersion, String osImage, String architecture, String machineId, String bootId) {

    /** Reads the machine now; {@code disk} is the filesystem that holds pod volumes and logs. */
    public static MachineInfo read(Path disk) {
        long total = meminfo("MemTotal:");
        long available = meminfo("MemAvailable:");
        long diskTotal = 0;
        long diskFree = 0;
        try {
            Path existing = disk;
            while (existing != null && !Files.exists(existing)) existing = existing.getParent();
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            diskTotal = store.getTotalSpace();
            diskFree = store.getUsableSpace();
        } catch (IOException ignored) {
            // Reported as zero.
        }
        String arch = System.getProperty("os.arch");
        if ("x86_64".equals(arch)) arch = "amd64";
        if ("aarch64".equals(arch)) arch = "arm64";
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), total, available, diskTotal, diskFree,
                first("/proc/sys/kernel/osrelease", System.getProperty("os.version")), readOsImage(), arch,
                first("/etc/machine-id", ""), first("/proc/sys/kernel/random/boot_id", ""));
    }

    private static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // Reported as zero.
        }
        return 0;
    }

    private static String first(String file, String fallback) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.isEmpty() ? fallback : lines.getFirst().trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    private static String readOsImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        } catch (IOException ignored) {
            // Falls through.
        }
        return System.getProperty("os.name");
    }

    /** The first IPv4 address of an interface that is up and not loopback, else 127.0.0.1. */
    public static String primaryAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) continue;
                String name = nic.getName().toLowerCase(Locale.ROOT);
                if (name.startsWith("veth") || name.startsWith("docker") || name.startsWith("kube4j") || name.startsWith("k4j")
                        || name.startsWith("cni") || name.startsWith("br-")) continue;
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) return address.getHostAddress();
                }
            }
        } catch (SocketException ignored) {
            // Falls through.
        }
        return "127.0.0.1";
    }
}
