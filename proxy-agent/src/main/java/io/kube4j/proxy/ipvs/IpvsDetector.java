package io.kube4j.proxy.ipvs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this kernel can do IPVS: {@code /proc/net/ip_vs} exists once the ip_vs module is loaded
 * (or built in). A module that could be loaded but is not is reported absent too: the agent does
 * not load kernel modules.
 */
public final class IpvsDetector {

    /** The finding and why. */
    public record Detection(boolean available, String reason) {
    }

    private final Path procNet;
    private final Path procModules;

    public IpvsDetector() {
        this(Path.of("/proc/net"), Path.of("/proc/modules"));
    }

    IpvsDetector(Path procNet, Path procModules) {
        this.procNet = procNet;
        this.procModules = procModules;
    }

    public Detection detect() {
        if (Files.exists(procNet.resolve("ip_vs"))) return new Detection(true, procNet.resolve("ip_vs") + " exists");
        String modules;
        try {
            modules = Files.exists(procModules) ? Files.readString(procModules) : "";
        } catch (java.io.IOException e) {
            modules = "";
        }
        if (modules.lines().anyMatch(l -> l.startsWith("ip_vs "))) return new Detection(true, "the ip_vs module is loaded");
        return new Detection(false, "no " + procNet.resolve("ip_vs") + " and no ip_vs in " + procModules
                + ": the kernel has no IPVS (module not loaded or not built)");
    }
}
