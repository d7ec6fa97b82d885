package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NftablesBackendTest {

    static ServicePortRules svc(String name, String ip, int nodePort, int affinity, String... endpoints) {
        List<Backend> eps = Arrays.stream(endpoints).map(e -> new Backend(e, 8080)).sorted().toList();
        return new ServicePortRules(new ServicePortName("ns", name, "", Protocol.TCP), ip, 80, nodePort, List.of(),
                eps, false, List.of(), affinity);
    }

    static ProxyRules rules(ServicePortRules... s) {
        return new ProxyRules(List.of(s), List.of("10.0.0.5"));
    }

    static String chain(String kind, ServicePortRules s) {
        return kind + "-" + NftablesRenderer.id(s) + "-ns/" + s.name().name() + "/tcp/80";
    }

    /** A change from one state to another: fragments some line of the script must contain, and fragments none may. */
    record Step(String name, ProxyRules before, ProxyRules after, List<String> expectedLines, List<String> absentFragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final ServicePortRules WEB = svc("web", "10.96.0.10", 0, 0, "10.244.0.1", "10.244.0.2");
    static final ServicePortRules WEB_3 = svc("web", "10.96.0.10", 0, 0, "10.244.0.1", "10.244.0.2", "10.244.0.3");
    static final ServicePortRules API = svc("api", "10.96.0.11", 30001, 0, "10.244.0.4");
    static final ServicePortRules API_EMPTY = svc("api", "10.96.0.11", 30001, 0);

    static Stream<Step> steps() {
        return Stream.of(
                new Step("an endpoint added beyond the block: the chain's one rule moves to a new block of slots",
                        rules(WEB, API), rules(WEB_3, API),
                        List.of("flush chain ip kube4j " + chain("svc", WEB),
                                "add rule ip kube4j " + chain("svc", WEB) + " ct mark set numgen random mod 3 offset ",
                                " goto dispatch-tcp",
                                "add element ip kube4j backends {", "10.244.0.3 . 8080",
                                "delete element ip kube4j backends {",
                                "add element ip kube4j hairpin { 10.244.0.3 . 10.244.0.3 }"),
                        List.of("delete table", "api", "service-ips")),
                new Step("an endpoint replaced: only the backends map and the hairpin set change, no rule",
                        rules(WEB, API), rules(svc("web", "10.96.0.10", 0, 0, "10.244.0.1", "10.244.0.9"), API),
                        List.of("delete element ip kube4j backends {", "add element ip kube4j backends {", "10.244.0.9 . 8080",
                                "delete element ip kube4j hairpin { 10.244.0.2 . 10.244.0.2 }"),
                        List.of("rule", "chain", "delete table", "api")),
                new Step("a Service added: its chains and map elements only",
                        rules(WEB), rules(WEB, API),
                        List.of("add chain ip kube4j " + chain("svc", API),
                                "add chain ip kube4j " + chain("ext", API),
                                "add rule ip kube4j " + chain("ext", API) + " jump mark-for-masquerade",
                                "add rule ip kube4j " + chain("ext", API) + " goto " + chain("svc", API),
                                "add element ip kube4j service-ips { 10.96.0.11 . tcp . 80 : goto " + chain("svc", API) + " }",
                                "add element ip kube4j service-nodeports { tcp . 30001 : goto " + chain("ext", API) + " }"),
                        List.of("delete", "flush", "web")),
                new Step("the last endpoint gone: the Service rejects, its chains are deleted after the elements",
                        rules(WEB, API), rules(WEB, API_EMPTY),
                        List.of("delete element ip kube4j service-ips { 10.96.0.11 . tcp . 80 }",
                                "delete element ip kube4j service-nodeports { tcp . 30001 }",
                                "add element ip kube4j no-endpoint-services { 10.96.0.11 . tcp . 80 : goto reject-chain }",
                                "add element ip kube4j no-endpoint-nodeports { tcp . 30001 : goto reject-chain }",
                                "delete chain ip kube4j " + chain("svc", API),
                                "delete chain ip kube4j " + chain("ext", API)),
                        List.of("web", "add chain")),
                new Step("a Service deleted: elements, then chains flushed, then deleted",
                        rules(WEB, API), rules(WEB),
                        List.of("delete element ip kube4j hairpin { 10.244.0.4 . 10.244.0.4 }",
                                "flush chain ip kube4j " + chain("svc", API),
                                "delete chain ip kube4j " + chain("svc", API)),
                        List.of("add ")),
                new Step("session affinity switched on: new chains with per-endpoint sets, old ones deleted",
                        rules(WEB), rules(svc("web", "10.96.0.10", 0, 60, "10.244.0.1", "10.244.0.2")),
                        List.of("delete chain ip kube4j " + chain("svc", WEB)),
                        List.of("delete table")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void incrementalSyncsSendOnlyTheDifference(Step step) throws Exception {
        RecordingNftRunner nft = new RecordingNftRunner();
        NftablesBackend backend = new NftablesBackend("kube4j", nft);
        backend.sync(step.before);
        backend.sync(step.after);
        assertThat(nft.scripts()).hasSize(2);
        List<String> lines = nft.last().lines().toList();
        for (String expected : step.expectedLines) {
            assertThat(lines).as("a line with: " + expected).anyMatch(l -> l.contains(expected));
        }
        for (String fragment : step.absentFragments) {
            assertThat(lines).noneMatch(l -> l.contains(fragment));
        }
        // Within the transaction, a chain's deletion comes after every element pointing at it is gone.
        int firstDeleteChain = indexOf(lines, "delete chain");
        int lastDeleteElement = lastIndexOf(lines, "delete element");
        if (firstDeleteChain >= 0) assertThat(lastDeleteElement).isLessThan(firstDeleteChain);
    }

    @Test
    void theFirstSyncReplacesTheTableWholeAndAnUnchangedStateSendsNothing() throws Exception {
        RecordingNftRunner nft = new RecordingNftRunner();
        NftablesBackend backend = new NftablesBackend("kube4j", nft);
        backend.sync(rules(WEB));
        List<String> lines = nft.last().lines().toList();
        assertThat(lines.subList(0, 3)).containsExactly("add table ip kube4j", "delete table ip kube4j", "add table ip kube4j");
        assertThat(lines).contains("add element ip kube4j nodeport-ips { 10.0.0.5 }",
                "add element ip kube4j service-ips { 10.96.0.10 . tcp . 80 : goto " + chain("svc", WEB) + " }",
                "add element ip kube4j backends { 16 : 10.244.0.1 . 8080, 17 : 10.244.0.2 . 8080 }",
                "add rule ip kube4j " + chain("svc", WEB) + " ct mark set numgen random mod 2 offset 16 goto dispatch-tcp");
        assertThat(indexOf(lines, "add chain ip kube4j " + chain("svc", WEB))).isLessThan(indexOf(lines, "add rule ip kube4j " + chain("svc", WEB)));

        backend.sync(rules(WEB));
        assertThat(nft.scripts()).as("nothing changed, nothing sent").hasSize(1);
    }

    @Test
    void afterAFailedSyncTheNextOneIsFull() throws Exception {
        RecordingNftRunner nft = new RecordingNftRunner();
        NftablesBackend backend = new NftablesBackend("kube4j", nft);
        backend.sync(rules(WEB));
        nft.failNext("Error: Could not process rule: No such file or directory");
        assertThatThrownBy(() -> backend.sync(rules(WEB, API))).isInstanceOf(NftRunner.NftException.class);
        backend.sync(rules(WEB, API));
        assertThat(nft.last()).startsWith("add table ip kube4j\ndelete table ip kube4j\n");
    }

    /** How a Service port without affinity balances, by its endpoints: its rule and its slot elements. */
    record Balancing(String name, List<Backend> endpoints, String rule, List<String> slotElements) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Balancing> balancing() {
        return Stream.of(
                new Balancing("one endpoint: a plain DNAT, no slot", List.of(new Backend("10.244.0.1", 8080)),
                        "meta l4proto tcp dnat to 10.244.0.1:8080", List.of()),
                new Balancing("several: a slot each, the rule picks one and the dispatch chain DNATs",
                        List.of(new Backend("10.244.0.1", 8080), new Backend("10.244.0.2", 9090), new Backend("10.244.0.3", 8080)),
                        "ct mark set numgen random mod 3 offset 16 goto dispatch-tcp",
                        List.of("16 : 10.244.0.1 . 8080", "17 : 10.244.0.2 . 9090", "18 : 10.244.0.3 . 8080")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("balancing")
    void aServiceBalancesWithOneRuleAndSlotsOnlyWhereItHasAChoice(Balancing c) {
        ServicePortRules s = new ServicePortRules(new ServicePortName("ns", "web", "", Protocol.TCP), "10.96.0.10", 80, 0, List.of(),
                c.endpoints, false, List.of(), 0);
        NftRuleset r = NftablesRenderer.render(rules(s));
        assertThat(r.chains().get(chain("svc", s))).containsExactly(c.rule);
        List<String> slots = r.elements().get(NftablesRenderer.BACKENDS).entrySet().stream().map(e -> e.getKey() + " : " + e.getValue()).toList();
        assertThat(slots).containsExactlyElementsOf(c.slotElements);
    }

    @Test
    void onlyEndpointsThatMayBeThisNodesPodsAreMasqueradedAsHairpin() throws Exception {
        ServicePortRules spread = new ServicePortRules(new ServicePortName("ns", "web", "", Protocol.TCP), "10.96.0.10", 80, 0, List.of(),
                List.of(new Backend("10.244.0.1", 8080), new Backend("10.244.1.1", 8080)), false, List.of(new Backend("10.244.0.1", 8080)), 0,
                List.of(new Backend("10.244.1.1", 8080)));
        RecordingNftRunner nft = new RecordingNftRunner();
        new NftablesBackend("kube4j", nft).sync(rules(spread));
        assertThat(nft.last().lines().toList()).contains("add element ip kube4j hairpin { 10.244.0.1 . 10.244.0.1 }")
                .noneMatch(l -> l.contains("10.244.1.1 . 10.244.1.1"));
    }

    @Test
    void affinityChainsRecordTheClientAndSendItBack() {
        ServicePortRules sticky = svc("web", "10.96.0.10", 0, 60, "10.244.0.1");
        NftRuleset r = NftablesRenderer.render(rules(sticky));
        String set = r.sets().firstKey();
        assertThat(r.sets().get(set)).contains("timeout 60s");
        String sep = r.chains().keySet().stream().filter(c -> c.startsWith("sep-")).findFirst().orElseThrow();
        assertThat(r.chains().get(sep)).containsExactly("update @" + set + " { ip saddr }", "meta l4proto tcp dnat to 10.244.0.1:8080");
        assertThat(r.chains().get(chain("svc", sticky))).containsExactly("ip saddr @" + set + " goto " + sep, "goto " + sep);
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
        return -1;
    }

    private static int lastIndexOf(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith(prefix)) return i;
        return -1;
    }

    @Test
    void aStagedFullSyncBuildsTheTableUnhookedThenLoadsTheBulkThenSwitchesInOneTransaction() throws Exception {
        RecordingNftRunner nft = new RecordingNftRunner();
        RecordingElementLoader loader = new RecordingElementLoader();
        // An earlier agent's table is in use: the new one is built under the other name.
        loader.chains.add("kube4j nat-prerouting");
        NftablesBackend backend = new NftablesBackend("kube4j", nft, loader);
        backend.sync(rules(WEB, API));

        assertThat(nft.scripts()).hasSize(2);
        List<String> build = nft.scripts().get(0).lines().toList();
        assertThat(build.subList(0, 3)).containsExactly("add table ip kube4j-alt", "delete table ip kube4j-alt", "add table ip kube4j-alt");
        assertThat(build).contains("add map ip kube4j-alt backends { typeof ct mark : ip daddr . tcp dport ; size 65536 ; }",
                "add element ip kube4j-alt service-ips { 10.96.0.10 . tcp . 80 : goto " + chain("svc", WEB)
                        + ", 10.96.0.11 . tcp . 80 : goto " + chain("svc", API) + " }");
        assertThat(build).as("no base chain yet, no bulk element in the script")
                .noneMatch(l -> l.contains(" hook ") || l.startsWith("add element ip kube4j-alt backends")
                        || l.startsWith("add element ip kube4j-alt hairpin"));

        assertThat(loader.calls).hasSize(1);
        assertThat(loader.calls.getFirst().table()).isEqualTo("kube4j-alt");
        ElementLoader.SetElements backends = loader.calls.getFirst().sets().get(0);
        assertThat(backends.set()).isEqualTo("backends");
        assertThat(backends.count()).isEqualTo(2);
        assertThat(backends.keys()).containsExactly(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(16).putInt(17).array());
        assertThat(backends.data()).containsExactly(10, (byte) 244, 0, 1, 0x1f, (byte) 0x90, 0, 0, 10, (byte) 244, 0, 2, 0x1f, (byte) 0x90, 0, 0);
        ElementLoader.SetElements hairpin = loader.calls.getFirst().sets().get(1);
        assertThat(hairpin.set()).isEqualTo("hairpin");
        assertThat(hairpin.count()).isEqualTo(3);
        List<String> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < hairpin.count(); i++) {
            byte[] k = java.util.Arrays.copyOfRange(hairpin.keys(), i * 8, i * 8 + 8);
            pairs.add((k[0] & 255) + "." + (k[1] & 255) + "." + (k[2] & 255) + "." + (k[3] & 255) + " " + (k[4] & 255) + "." + (k[5] & 255) + "." + (k[6] & 255) + "." + (k[7] & 255));
        }
        assertThat(pairs).containsExactlyInAnyOrder("10.244.0.1 10.244.0.1", "10.244.0.2 10.244.0.2", "10.244.0.4 10.244.0.4");

        List<String> activate = nft.scripts().get(1).lines().toList();
        assertThat(activate).contains("add chain ip kube4j-alt nat-prerouting { type nat hook prerouting priority dstnat ; policy accept ; }",
                "add rule ip kube4j-alt nat-postrouting ct status dnat ip saddr . ip daddr @hairpin masquerade");
        assertThat(activate.subList(activate.size() - 2, activate.size())).containsExactly("add table ip kube4j", "delete table ip kube4j");

        // Later syncs change the table now in use.
        backend.sync(rules(WEB_3, API));
        assertThat(nft.last()).contains("add element ip kube4j-alt backends {").doesNotContain("ip kube4j ");
        assertThat(loader.calls).hasSize(1);
    }

    @ParameterizedTest(name = "in use: {0} → built: {1}")
    @org.junit.jupiter.params.provider.CsvSource({"none, kube4j, kube4j-alt", "kube4j, kube4j-alt, kube4j", "kube4j-alt, kube4j, kube4j-alt"})
    void aStagedFullSyncBuildsUnderTheNameNotInUse(String inUse, String built, String deleted) throws Exception {
        RecordingNftRunner nft = new RecordingNftRunner();
        RecordingElementLoader loader = new RecordingElementLoader();
        loader.chains.add(inUse + " nat-prerouting");
        new NftablesBackend("kube4j", nft, loader).sync(rules(WEB));
        assertThat(nft.scripts().get(0)).startsWith("add table ip " + built + "\n");
        assertThat(loader.calls.getFirst().table()).isEqualTo(built);
        assertThat(nft.last()).endsWith("add table ip " + deleted + "\ndelete table ip " + deleted + "\n");
    }

    @Test
    void theBulkSetsAreSizedWithRoomToGrow() {
        List<NftablesRenderer.Fragment> none = List.of();
        assertThat(NftScripts.bulkSize(none, 0)).isEqualTo(65536);
        assertThat(NftScripts.bulkSize(none, 100_000)).isEqualTo(262144);
        assertThat(NftScripts.bulkSize(none, 131_072)).isEqualTo(524288);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"10.244.0.1 . 8080, 0a_f4_00_01_1f_90_00_00", "255.255.255.255 . 65535, ff_ff_ff_ff_ff_ff_00_00",
            "0.0.0.0 . 1, 00_00_00_00_00_01_00_00"})
    void aSlotTargetIsEncodedAsTheKernelStoresIt(String target, String bytes) {
        assertThat(String.format("%016x", BulkElements.addressAndPort(target))).isEqualTo(bytes.replace("_", ""));
    }
}
