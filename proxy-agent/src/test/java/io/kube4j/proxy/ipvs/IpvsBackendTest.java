package io.kube4j.proxy.ipvs;

import io.kube4j.proxy.ProxyModeSelection;
import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.sync.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IpvsBackendTest {

    static ProxyRules rules() {
        return new ProxyRules(List.of(
                new ServicePortRules(new ServicePortName("ns", "web", "http", Protocol.TCP), "10.96.0.10", 80, 30080,
                        List.of(), List.of(new Backend("10.244.0.1", 8080), new Backend("10.244.0.2", 8080)), false, List.of(), 0),
                new ServicePortRules(new ServicePortName("kube-system", "kube-dns", "dns", Protocol.UDP), "10.96.0.10", 53, 0,
                        List.of(), List.of(new Backend("10.0.0.5", 53)), false, List.of(), 600)),
                List.of("10.0.0.5"));
    }

    @Test
    void dryRunPrintsTheVirtualServersAndProgramsNothing() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IpvsBackend backend = new IpvsBackend((c, in) -> {
            commands.add(c);
            return new CommandRunner.Result(0, "");
        }, true, new PrintStream(out, true, StandardCharsets.UTF_8));
        backend.sync(rules());
        assertThat(commands).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).contains(
                "-A -t 10.96.0.10:80 -s rr",
                "-a -t 10.96.0.10:80 -r 10.244.0.1:8080 -m -w 1",
                "-a -t 10.96.0.10:80 -r 10.244.0.2:8080 -m -w 1",
                "-A -t 10.0.0.5:30080 -s rr",
                "-A -u 10.96.0.10:53 -s rr -p 600",
                "-a -u 10.96.0.10:53 -r 10.0.0.5:53 -m -w 1");
    }

    @Test
    void aRealSyncClearsThenRestoresAndBindsTheVirtualAddresses() throws Exception {
        List<String> commands = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        IpvsBackend backend = new IpvsBackend((c, in) -> {
            commands.add(String.join(" ", c));
            if (in != null) restored.add(in);
            return new CommandRunner.Result(0, "");
        }, false, System.out);
        backend.sync(rules());
        assertThat(commands).containsSubsequence("ip link add kube4j-ipvs0 type dummy", "ip addr replace 10.96.0.10/32 dev kube4j-ipvs0",
                "ipvsadm -C", "ipvsadm-restore");
        assertThat(restored.getFirst()).isEqualTo(IpvsPlan.of(rules()).ipvsadmRules());
        int before = commands.size();
        backend.sync(rules());
        assertThat(commands).as("the same plan programs nothing").hasSize(before);
    }

    @Test
    void detectionReadsProc(@TempDir Path dir) throws Exception {
        Path net = Files.createDirectories(dir.resolve("net"));
        Files.writeString(dir.resolve("modules"), "nf_tables 1 0 - Live\n");
        assertThat(new IpvsDetector(net, dir.resolve("modules")).detect().available()).isFalse();
        Files.writeString(dir.resolve("modules"), "ip_vs 1 0 - Live\n");
        assertThat(new IpvsDetector(net, dir.resolve("modules")).detect().available()).isTrue();
        Files.writeString(net.resolve("ip_vs"), "");
        assertThat(new IpvsDetector(net, dir.resolve("nothing")).detect().available()).isTrue();
    }

    @Test
    void thisKernelHasNoIpvs() {
        IpvsDetector.Detection d = new IpvsDetector().detect();
        assertThat(d.available()).as(d.reason()).isEqualTo(Files.exists(Path.of("/proc/net/ip_vs")));
    }

    @ParameterizedTest
    @CsvSource({
            "auto, true, true, ipvs",
            "auto, false, true, nftables",
            "auto, false, false, iptables",
            "iptables, true, true, iptables",
            "nftables, false, false, nftables"})
    void modeSelection(String configured, boolean ipvs, boolean nft, String expected) {
        assertThat(ProxyModeSelection.choose(configured, ipvs, "test", nft).mode()).isEqualTo(expected);
    }
}
