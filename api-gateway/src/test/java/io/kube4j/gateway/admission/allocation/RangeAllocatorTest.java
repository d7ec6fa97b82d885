package io.kube4j.gateway.admission.allocation;

import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RangeAllocatorTest {

    private final MemoryStore store = new MemoryStore();
    private final Owner alice = new Owner("default", "alice", "uid-a");
    private final Owner bob = new Owner("default", "bob", "uid-b");

    private static RangeAllocator ports(String range) {
        return new RangeAllocator(PortRange.parse(range), ServiceAllocators.NODE_PORTS_PREFIX,
                "provided port is already allocated", "provided port is not in the valid range");
    }

    @Test
    void concurrentClaimsNeverHandOutOneValueTwice() throws Exception {
        RangeAllocator allocator = ports("30000-30049");
        int claimants = 8;
        int attemptsEach = 10;
        List<Callable<List<Allocation>>> tasks = new ArrayList<>();
        for (int t = 0; t < claimants; t++) {
            Owner owner = new Owner("default", "svc-" + t, "uid-" + t);
            tasks.add(() -> {
                List<Allocation> results = new ArrayList<>();
                for (int i = 0; i < attemptsEach; i++) results.add(allocator.allocateNext(store, owner, false));
                return results;
            });
        }
        List<Allocation> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(claimants)) {
            for (Future<List<Allocation>> f : pool.invokeAll(tasks)) all.addAll(f.get());
        }
        List<String> allocated = all.stream().filter(a -> a instanceof Allocation.Allocated)
                .map(a -> ((Allocation.Allocated) a).value()).toList();
        assertThat(allocated).hasSize(50).doesNotHaveDuplicates();
        assertThat(all).filteredOn(a -> a instanceof Allocation.Refused r && r.reason() == Allocation.Reason.FULL).hasSize(30);
        assertThat(store.list(ServiceAllocators.NODE_PORTS_PREFIX, 0, 0, null).items()).hasSize(50);
    }

    @Test
    void concurrentRequestsForOneValueHaveOneWinner() throws Exception {
        RangeAllocator allocator = ports("30000-32767");
        List<Callable<Allocation>> tasks = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Owner owner = new Owner("default", "svc-" + t, "uid-" + t);
            tasks.add(() -> allocator.allocate(store, "32600", owner, false));
        }
        List<Allocation> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Allocation> f : pool.invokeAll(tasks)) results.add(f.get());
        }
        assertThat(results).filteredOn(a -> a instanceof Allocation.Allocated).hasSize(1);
        assertThat(results).filteredOn(a -> a instanceof Allocation.Refused).hasSize(15)
                .allSatisfy(a -> assertThat(((Allocation.Refused) a).message()).isEqualTo("provided port is already allocated"));
    }

    @Test
    void releaseMakesTheValueAvailableAgainButOnlyForItsOwner() {
        RangeAllocator allocator = ports("30000-30000");
        assertThat(allocator.allocateNext(store, alice, false)).isEqualTo(new Allocation.Allocated("30000"));
        assertThat(allocator.allocateNext(store, bob, false)).isInstanceOf(Allocation.Refused.class);

        allocator.release(store, "30000", bob);
        assertThat(allocator.holds(store, "30000", alice)).isTrue();

        allocator.release(store, "30000", alice);
        allocator.release(store, "30000", alice);
        assertThat(allocator.allocate(store, "30000", bob, false)).isEqualTo(new Allocation.Allocated("30000"));
    }

    @Test
    void dryRunClaimsNothing() {
        RangeAllocator allocator = ports("30000-30009");
        long revision = store.currentRevision();
        assertThat(allocator.allocate(store, "30005", alice, true)).isEqualTo(new Allocation.Allocated("30005"));
        assertThat(allocator.allocateNext(store, alice, true)).isInstanceOf(Allocation.Allocated.class);
        assertThat(store.currentRevision()).isEqualTo(revision);

        allocator.allocate(store, "30005", bob, false);
        assertThat(allocator.allocate(store, "30005", alice, true))
                .isEqualTo(new Allocation.Refused(Allocation.Reason.ALREADY_ALLOCATED, "provided port is already allocated"));
    }

    @Test
    void refusesValuesOutsideTheRange() {
        assertThat(ports("30000-32767").allocate(store, "40000", alice, false))
                .isEqualTo(new Allocation.Refused(Allocation.Reason.NOT_IN_RANGE, "provided port is not in the valid range"));
    }

    @Test
    void automaticIpAllocationSkipsTheAddressOfTheKubernetesService() {
        RangeAllocator allocator = ServiceAllocators.of(new ServiceRangesProperties("10.0.0.0/29", "30000-32767")).clusterIps();
        Set<String> given = new HashSet<>();
        Allocation a;
        while ((a = allocator.allocateNext(store, alice, false)) instanceof Allocation.Allocated ok) given.add(ok.value());
        assertThat(given).containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
        assertThat(allocator.allocate(store, "10.0.0.1", bob, false)).isEqualTo(new Allocation.Allocated("10.0.0.1"));
        assertThat(allocator.allocate(store, "10.0.0.7", bob, false)).isEqualTo(new Allocation.Refused(
                Allocation.Reason.NOT_IN_RANGE,
                "the provided IP (10.0.0.7) is not in the valid range. The range of valid IPs is 10.0.0.0/29"));
    }

    record Cidr(String cidr, long size, String first, String last, String normalized) {}

    static Stream<Cidr> cidrs() {
        return Stream.of(
                new Cidr("10.96.0.0/12", (1L << 20) - 2, "10.96.0.1", "10.111.255.254", "10.96.0.0/12"),
                new Cidr("10.96.5.7/24", 254, "10.96.5.1", "10.96.5.254", "10.96.5.0/24"),
                new Cidr("192.168.0.0/30", 2, "192.168.0.1", "192.168.0.2", "192.168.0.0/30"),
                new Cidr("fd00:10:96::/112", 65535, "fd00:10:96::1", "fd00:10:96::ffff", "fd00:10:96::/112"),
                new Cidr("fd00::/64", 65536, "fd00::1", "fd00::1:0", "fd00::/64"));
    }

    @ParameterizedTest
    @MethodSource("cidrs")
    void countsAssignableAddresses(Cidr c) {
        IpRange range = IpRange.parse(c.cidr());
        assertThat(range.size()).isEqualTo(c.size());
        assertThat(range.valueAt(0)).isEqualTo(c.first());
        assertThat(range.valueAt(c.size() - 1)).isEqualTo(c.last());
        assertThat(range.describe()).isEqualTo(c.normalized());
        assertThat(range.offsetOf(c.last())).hasValue(c.size() - 1);
        assertThat(range.offsetOf("not-an-ip")).isEmpty();
    }

    @Test
    void portRangesParseAndBound() {
        PortRange range = PortRange.parse("30000-32767");
        assertThat(range.size()).isEqualTo(2768);
        assertThat(range.offsetOf("30000")).hasValue(0);
        assertThat(range.offsetOf("29999")).isEmpty();
        assertThat(range.offsetOf("http")).isEmpty();
        assertThat(range.valueAt(2767)).isEqualTo("32767");
    }
}
