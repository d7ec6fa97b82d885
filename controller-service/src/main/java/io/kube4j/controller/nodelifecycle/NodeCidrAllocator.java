package io.kube4j.controller.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.object.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's range allocator (node-ipam): every Node without {@code spec.podCIDR}
 * gets the first free subnet of the cluster CIDR. What is taken is read from the Nodes themselves,
 * so a restart remembers every allocation; subnets this allocator handed out that the cache does
 * not show yet are remembered in memory until it does.
 *
 * <p>All allocation runs under the single key {@link #KEY}, so one worker of one replica allocates
 * at a time and two nodes never get one subnet.
 */
public final class NodeCidrAllocator implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(NodeCidrAllocator.class);

    public static final String KEY = "podcidrs";

    private final Cache<Node> nodes;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final CidrRange range;
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    /**
     * Nodes told (by an event) that no subnet is left: told once, not on every pass, since every
     * Node event runs a pass and a cluster larger than its CIDR would otherwise get an event per
     * node without a subnet per pass. Forgotten when the node gets a subnet or goes.
     */
    private final Set<String> toldNotAvailable = ConcurrentHashMap.newKeySet();

    public NodeCidrAllocator(Cache<Node> nodes, ObjectClient objects, EventRecorder events, CidrRange range) {
        this.nodes = nodes;
        this.objects = objects;
        this.events = events;
        this.range = range;
    }

    static String podCidr(Node node) {
        return node.getSpec() == null ? null : node.getSpec().getPodCIDR();
    }

    @Override
    public Result reconcile(String key) {
        List<Node> all = new ArrayList<>(nodes.list());
        Set<Long> used = new HashSet<>();
        for (Node node : all) {
            String cidr = podCidr(node);
            if (cidr != null && !cidr.isEmpty()) {
                range.indexOf(cidr).ifPresent(used::add);
                pending.remove(node.getMetadata().getName());
            }
        }
        pending.keySet().removeIf(name -> nodes.get(name).isEmpty());
        toldNotAvailable.removeIf(name -> nodes.get(name).map(n -> podCidr(n) != null && !podCidr(n).isEmpty()).orElse(true));
        pending.values().forEach(cidr -> range.indexOf(cidr).ifPresent(used::add));

        // Every subnet taken: nothing to hand out, so no need to order the nodes (this pass runs on
        // every event of every node still waiting, and a large cluster may have hundreds waiting).
        boolean exhausted = used.size() >= range.size();
        if (!exhausted) all.sort(Comparator.comparing((Node n) -> String.valueOf(n.getMetadata().getCreationTimestamp())).thenComparing(n -> n.getMetadata().getName()));
        for (Node node : all) {
            String name = node.getMetadata().getName();
            if (podCidr(node) != null && !podCidr(node).isEmpty()) continue;
            if (pending.containsKey(name)) continue;
            Optional<String> free = exhausted ? Optional.empty() : range.firstFree(used);
            if (free.isEmpty()) {
                exhausted = true;
                if (toldNotAvailable.add(name)) {
                    events.event(node, EventRecorder.NORMAL, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
                }
                continue;
            }
            Node next = Json.MAPPER.convertValue(node, Node.class);
            if (next.getSpec() == null) next.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
            next.getSpec().setPodCIDR(free.get());
            next.getSpec().setPodCIDRs(List.of(free.get()));
            try {
                objects.update(next);
            } catch (RuntimeException e) {
                if (ObjectClient.isNotFound(e)) continue;
                throw e;
            }
            pending.put(name, free.get());
            range.indexOf(free.get()).ifPresent(used::add);
            log.info("node {} gets podCIDR {}", name, free.get());
        }
        return Result.DONE;
    }
}
