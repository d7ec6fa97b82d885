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

    static final ServicePortRules WEB_STICKY = svc("web", "10.96.0.10", 0, 60, "10.244.0.1", "10.244.0.2");
    static final String PICK_2 = "meta l4proto tcp dnat ip addr . port to ct mark . numgen random mod 2 map @backends-tcp";

    static Stream<Step> steps() {
        // In the first sync of each step WEB's endpoints are list 1 and API's list 2.
        return Stream.of(
                new Step("an endpoint added: one more list element, and the Service re-pointed to the pick chain of the new count",
                        rules(WEB, API), rules(WEB_3, API),
                        List.of("add chain ip kube4j pick-tcp-3",
                                "add rule ip kube4j pick-tcp-3 meta l4proto tcp dnat ip addr . port to ct mark . numgen random mod 3 map @backends-tcp",
                                "delete element ip kube4j service-ips { 10.96.0.10 . tcp . 80 }",
                                "add element ip kube4j service-ips { 10.96.0.10 . tcp . 80 : goto pick-tcp-3 }",
                                "add element ip kube4j backends-tcp { 1 . 2 : 10.244.0.3 . 8080 }",
                                "add element ip kube4j hairpin { 10.244.0.3 . 10.244.0.3 }",
                                "flush chain ip kube4j pick-tcp-2", "delete chain ip kube4j pick-tcp-2"),
                        List.of("delete table", "api", "service-marks", "delete element ip kube4j backends-tcp", "pick-tcp-1")),
                new Step("an endpoint replaced: only the backends map and the hairpin set change, no rule",
                        rules(WEB, API), rules(svc("web", "10.96.0.10", 0, 0, "10.244.0.1", "10.244.0.9"), API),
                        List.of("delete element ip kube4j backends-tcp { 1 . 1 }", "add element ip kube4j backends-tcp { 1 . 1 : 10.244.0.9 . 8080 }",
                                "delete element ip kube4j hairpin { 10.244.0.2 . 10.244.0.2 }"),
                        List.of("rule", "chain", "delete table", "api", "service-ips", "service-marks")),
                new Step("a Service added: its elements, its chain for outside traffic and the pick chain of its count",
                        rules(WEB), rules(WEB, API),
                        List.of("add chain ip kube4j pick-tcp-1",
                                "add chain ip kube4j " + chain("ext", API),
                                "add rule ip kube4j " + chain("ext", API) + " jump mark-for-masquerade",
                                "add rule ip kube4j " + chain("ext", API) + " ct mark set 2 goto pick-tcp-1",
                                "add element ip kube4j service-ips { 10.96.0.11 . tcp . 80 : goto pick-tcp-1 }",
                                "add element ip kube4j service-marks { 10.96.0.11 . tcp . 80 : 2 }",
                                "add element ip kube4j backends-tcp { 2 . 0 : 10.244.0.4 . 8080 }",
                                "add element ip kube4j service-nodeports { tcp . 30001 : goto " + chain("ext", API) + " }"),
                        List.of("delete", "flush", "web", "pick-tcp-2")),
                new Step("the last endpoint gone: the Service rejects, its chains are deleted after the elements",
                        rules(WEB, API), rules(WEB, API_EMPTY),
                        List.of("delete element ip kube4j service-ips { 10.96.0.11 . tcp . 80 }",
                                "delete element ip kube4j service-marks { 10.96.0.11 . tcp . 80 }",
                                "delete element ip kube4j backends-tcp { 2 . 0 }",
                                "delete element ip kube4j service-nodeports { tcp . 30001 }",
                                "add element ip kube4j no-endpoint-services { 10.96.0.11 . tcp . 80 : goto reject-chain }",
                                "add element ip kube4j no-endpoint-nodeports { tcp . 30001 : goto reject-chain }",
                                "delete chain ip kube4j " + chain("ext", API),
                                "delete chain ip kube4j pick-tcp-1"),
                        List.of("web", "add chain", "pick-tcp-2")),
                new Step("a Service deleted: elements, then chains flushed, then deleted",
                        rules(WEB, API), rules(WEB),
                        List.of("delete element ip kube4j hairpin { 10.244.0.4 . 10.244.0.4 }",
                                "flush chain ip kube4j " + chain("ext", API),
                                "delete chain ip kube4j " + chain("ext", API),
                                "delete chain ip kube4j pick-tcp-1"),
                        List.of("add ", "pick-tcp-2")),
                new Step("session affinity switched on: a chain of its own with per-endpoint sets, the list and its pick chain gone",
                        rules(WEB), rules(WEB_STICKY),
                        List.of("add chain ip kube4j " + chain("svc", WEB_STICKY),
                                "add element ip kube4j service-ips { 10.96.0.10 . tcp . 80 : goto " + chain("svc", WEB_STICKY) + " }",
                                "delete element ip kube4j service-marks { 10.96.0.10 . tcp . 80 }",
                                "delete element ip kube4j backends-tcp { 1 . 0, 1 . 1 }",
                                "delete chain ip kube4j pick-tcp-2"),
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
                "add element ip kube4j service-ips { 10.96.0.10 . tcp . 80 : goto pick-tcp-2 }",
                "add element ip kube4j service-marks { 10.96.0.10 . tcp . 80 : 1 }",
                "add element ip kube4j backends-tcp { 1 . 0 : 10.244.0.1 . 8080, 1 . 1 : 10.244.0.2 . 8080 }",
                "add rule ip kube4j pick-tcp-2 " + PICK_2,
                "add rule ip kube4j services ct mark set ip daddr . meta l4proto . th dport map @service-marks");
        assertThat(indexOf(lines, "add chain ip kube4j pick-tcp-2")).isLessThan(indexOf(lines, "add rule ip kube4j pick-tcp-2"));
        assertThat(indexOf(lines, "add rule ip kube4j pick-tcp-2")).isLessThan(indexOf(lines, "add element ip kube4j service-ips"));
        assertThat(lines).as("no chain of its own").noneMatch(l -> l.contains("svc-") || l.contains("ext-"));

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

    /** How a Service port without affinity balances, by its endpoints: the shared chain it goes to and its list's elements. */
    record Balancing(String name, List<Backend> endpoints, String pickChain, String rule, List<String> slotElements) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Balancing> balancing() {
        return Stream.of(
                new Balancing("one endpoint: a list of one", List.of(new Backend("10.244.0.1", 8080)),
                        "pick-tcp-1", "meta l4proto tcp dnat ip addr . port to ct mark . numgen random mod 1 map @backends-tcp",
                        List.of("1 . 0 : 10.244.0.1 . 8080")),
                new Balancing("several: an element each, the pick chain of their count chooses one",
                        List.of(new Backend("10.244.0.1", 8080), new Backend("10.244.0.2", 9090), new Backend("10.244.0.3", 8080)),
                        "pick-tcp-3", "meta l4proto tcp dnat ip addr . port to ct mark . numgen random mod 3 map @backends-tcp",
                        List.of("1 . 0 : 10.244.0.1 . 8080", "1 . 1 : 10.244.0.2 . 9090", "1 . 2 : 10.244.0.3 . 8080")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("balancing")
    void aClusterIpPortIsMapElementsBalancedByTheSharedPickChainOfItsEndpointCount(Balancing c) {
        ServicePortRules s = new ServicePortRules(new ServicePortName("ns", "web", "", Protocol.TCP), "10.96.0.10", 80, 0, List.of(),
                c.endpoints, false, List.of(), 0);
        NftRuleset r = NftablesRenderer.render(rules(s));
        assertThat(r.chains()).as("no chain of its own").containsOnlyKeys(c.pickChain);
        assertThat(r.chains().get(c.pickChain)).containsExactly(c.rule);
        assertThat(r.elements().get(NftablesRenderer.SERVICE_IPS)).containsExactly(java.util.Map.entry("10.96.0.10 . tcp . 80", "goto " + c.pickChain));
        assertThat(r.elements().get(NftablesRenderer.SERVICE_MARKS)).containsExactly(java.util.Map.entry("10.96.0.10 . tcp . 80", "1"));
        List<String> slots = r.elements().get(NftablesRenderer.BACKENDS_TCP).entrySet().stream().map(e -> e.getKey() + " : " + e.getValue()).toList();
        assertThat(slots).containsExactlyElementsOf(c.slotElements);
    }

    @Test
    void externalTrafficPolicyLocalBalancesOverTheNodesEndpointsAsAListOfTheirOwn() {
        ServicePortRules local = new ServicePortRules(new ServicePortName("ns", "web", "", Protocol.TCP), "10.96.0.10", 80, 30080, List.of(),
                List.of(new Backend("10.244.0.1", 8080), new Backend("10.244.1.1", 8080), new Backend("10.244.2.1", 8080)), true,
                List.of(new Backend("10.244.0.1", 8080)), 0);
        NftRuleset r = NftablesRenderer.render(rules(local));
        assertThat(r.chains().get(chain("ext", local))).containsExactly(
                "fib saddr type local jump mark-for-masquerade",
                "fib saddr type local ct mark set 1 goto pick-tcp-3",
                "ct mark set 2 goto pick-tcp-1");
        assertThat(r.elements().get(NftablesRenderer.BACKENDS_TCP)).containsEntry("1 . 2", "10.244.2.1 . 8080").containsEntry("2 . 0", "10.244.0.1 . 8080")
                .hasSize(4);
        assertThat(r.chains()).containsKeys("pick-tcp-1", "pick-tcp-3");
        assertThat(r.elements().get(NftablesRenderer.SERVICE_NODEPORTS)).containsExactly(java.util.Map.entry("tcp . 30080", "goto " + chain("ext", local)));
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
        assertThat(build).contains("add map ip kube4j-alt backends-tcp { typeof ct mark . numgen random mod 2 : ip daddr . tcp dport ; size 65536 ; }",
                "add map ip kube4j-alt service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; size 65536 ; }",
                "add chain ip kube4j-alt pick-tcp-1", "add chain ip kube4j-alt pick-tcp-2",
                "add rule ip kube4j-alt pick-tcp-2 " + PICK_2,
                "add rule ip kube4j-alt " + chain("ext", API) + " ct mark set 2 goto pick-tcp-1",
                "add element ip kube4j-alt service-nodeports { tcp . 30001 : goto " + chain("ext", API) + " }");
        assertThat(build).as("no base chain yet, no bulk element in the script")
                .noneMatch(l -> l.contains(" hook ") || l.startsWith("add element ip kube4j-alt backends-tcp")
                        || l.startsWith("add element ip kube4j-alt hairpin") || l.startsWith("add element ip kube4j-alt service-ips")
                        || l.startsWith("add element ip kube4j-alt service-marks"));

        assertThat(loader.calls).hasSize(1);
        assertThat(loader.calls.getFirst().table()).isEqualTo("kube4j-alt");
        ElementLoader.SetElements backends = loader.calls.getFirst().sets().get(0);
        assertThat(backends.set()).isEqualTo("backends-tcp");
        assertThat(backends.count()).isEqualTo(3);
        assertThat(backends.keys()).containsExactly(java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.nativeOrder())
                .putInt(1).putInt(0).putInt(1).putInt(1).putInt(2).putInt(0).array());
        assertThat(backends.data()).containsExactly(10, (byte) 244, 0, 1, 0x1f, (byte) 0x90, 0, 0, 10, (byte) 244, 0, 2, 0x1f, (byte) 0x90, 0, 0,
                10, (byte) 244, 0, 4, 0x1f, (byte) 0x90, 0, 0);
        assertThat(loader.calls.getFirst().sets().subList(1, 3)).as("no UDP or SCTP endpoint").allMatch(e -> e.count() == 0);
        ElementLoader.SetElements hairpin = loader.calls.getFirst().sets().get(3);
        assertThat(hairpin.set()).isEqualTo("hairpin");
        assertThat(hairpin.count()).isEqualTo(3);
        List<String> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < hairpin.count(); i++) {
            byte[] k = java.util.Arrays.copyOfRange(hairpin.keys(), i * 8, i * 8 + 8);
            pairs.add((k[0] & 255) + "." + (k[1] & 255) + "." + (k[2] & 255) + "." + (k[3] & 255) + " " + (k[4] & 255) + "." + (k[5] & 255) + "." + (k[6] & 255) + "." + (k[7] & 255));
        }
        assertThat(pairs).containsExactlyInAnyOrder("10.244.0.1 10.244.0.1", "10.244.0.2 10.244.0.2", "10.244.0.4 10.244.0.4");
        byte[] serviceKeys = {10, 96, 0, 10, 6, 0, 0, 0, 0, 80, 0, 0, 10, 96, 0, 11, 6, 0, 0, 0, 0, 80, 0, 0};
        ElementLoader.SetElements marks = loader.calls.getFirst().sets().get(4);
        assertThat(marks.set()).isEqualTo("service-marks");
        assertThat(marks.keys()).containsExactly(serviceKeys);
        assertThat(marks.data()).containsExactly(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(1).putInt(2).array());
        ElementLoader.SetElements services = loader.calls.getFirst().sets().get(5);
        assertThat(services.set()).isEqualTo("service-ips");
        assertThat(services.keys()).containsExactly(serviceKeys);
        assertThat(services.gotoChains()).containsExactly("pick-tcp-2", "pick-tcp-1");

        List<String> activate = nft.scripts().get(1).lines().toList();
        assertThat(activate).contains("add chain ip kube4j-alt nat-prerouting { type nat hook prerouting priority dstnat ; policy accept ; }",
                "add rule ip kube4j-alt nat-postrouting ct status dnat ip saddr . ip daddr @hairpin masquerade");
        assertThat(activate.subList(activate.size() - 2, activate.size())).containsExactly("add table ip kube4j", "delete table ip kube4j");

        // Later syncs change the table now in use.
        backend.sync(rules(WEB_3, API));
        assertThat(nft.last()).contains("add element ip kube4j-alt backends-tcp {").doesNotContain("ip kube4j ");
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
        assertThat(NftScripts.bulkSize(0)).isEqualTo(65536);
        assertThat(NftScripts.bulkSize(100_000)).isEqualTo(262144);
        assertThat(NftScripts.bulkSize(131_072)).isEqualTo(524288);
        java.util.Map<String, Integer> sizes = NftScripts.bulkSizes(List.of(NftablesRenderer.fragment(WEB, 1, -1)), 100_000);
        assertThat(sizes).containsEntry("hairpin", 262144).containsEntry("backends-tcp", 65536).containsEntry("service-ips", 65536)
                .doesNotContainKey("backends-sctp");
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"10.244.0.1 . 8080, 0a_f4_00_01_1f_90_00_00", "255.255.255.255 . 65535, ff_ff_ff_ff_ff_ff_00_00",
            "0.0.0.0 . 1, 00_00_00_00_00_01_00_00"})
    void aSlotTargetIsEncodedAsTheKernelStoresIt(String target, String bytes) {
        assertThat(String.format("%016x", BulkElements.addressAndPort(target))).isEqualTo(bytes.replace("_", ""));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"10.96.0.1 . tcp . 80, 0a_60_00_01_06_00_00_00_00_50_00_00",
            "255.255.255.255 . udp . 65535, ff_ff_ff_ff_11_00_00_00_ff_ff_00_00", "10.0.0.1 . sctp . 1, 0a_00_00_01_84_00_00_00_00_01_00_00"})
    void aServiceKeyIsEncodedAsTheKernelStoresIt(String key, String bytes) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12);
        BulkElements.putServiceKey(b, key);
        assertThat(java.util.HexFormat.of().formatHex(b.array())).isEqualTo(bytes.replace("_", ""));
    }

    @Test
    void aListElementsKeyIsItsNumberAndIndex() {
        assertThat(BulkElements.listAndIndex("4294967295 . 12")).isEqualTo(0xffffffffL << 32 | 12);
        assertThatThrownBy(() -> BulkElements.listAndIndex("12")).isInstanceOf(IllegalArgumentException.class);
        assertThat(BulkElements.of(List.of(NftablesRenderer.fragment(API_EMPTY, -1, -1)), List.of()))
                .as("a Service without endpoints rejects through nft's maps, not the bulk ones").allMatch(e -> e.count() == 0);
    }
}
