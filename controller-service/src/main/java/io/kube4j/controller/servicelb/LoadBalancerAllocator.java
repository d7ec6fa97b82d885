package io.kube4j.controller.servicelb;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's load-balancer implementation for addresses: each Service of type LoadBalancer
 * (without a {@code spec.loadBalancerClass}, which names another implementation) gets an address
 * of the {@link AddressPool} in {@code status.loadBalancer.ingress} ({@code spec.loadBalancerIP}
 * when it asks for a free one of the pool); a Service that stops being a LoadBalancer gives its
 * address back. The proxy agents program the address on every node as they do external IPs.
 *
 * <p>What is taken is read from the Services themselves, so a restart remembers every
 * allocation. Everything runs under the single key {@link #KEY}: one worker of one replica
 * allocates at a time, and two Services never get one address.
 */
public final class LoadBalancerAllocator implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(LoadBalancerAllocator.class);
    public static final String KEY = "loadbalancers";

    private final Cache<Service> services;
    private final ObjectClient objects;
    private final EventRecorder events;
    private final AddressPool pool;
    /** Addresses handed out that the cache does not show yet: Service key → address. */
    private final Map<String, String> pending = new ConcurrentHashMap<>();

    public LoadBalancerAllocator(Cache<Service> services, ObjectClient objects, EventRecorder events, AddressPool pool) {
        this.services = services;
        this.objects = objects;
        this.events = events;
        this.pool = pool;
    }

    /** What to write, per Service key: its new list of addresses (empty: released). Pure. */
    public static Map<String, List<String>> plan(List<Service> all, AddressPool pool, Map<String, String> pending) {
        List<Service> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((Service s) -> String.valueOf(s.getMetadata().getCreationTimestamp())).thenComparing(LoadBalancerAllocator::key));
        Set<String> used = new HashSet<>(pending.values());
        for (Service s : sorted) {
            if (wants(s)) addresses(s).stream().filter(pool::contains).forEach(used::add);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Service s : sorted) {
            List<String> current = addresses(s);
            if (!wants(s)) {
                if (!current.isEmpty() && current.stream().allMatch(pool::contains) && isLoadBalancerStatusOurs(s)) out.put(key(s), List.of());
                continue;
            }
            if (!current.isEmpty() || pending.containsKey(key(s))) continue;
            String requested = s.getSpec().getLoadBalancerIP();
            Optional<String> address = requested != null && !requested.isEmpty()
                    ? (pool.contains(requested) && !used.contains(requested) ? Optional.of(requested) : Optional.empty())
                    : pool.firstFree(used);
            if (address.isEmpty()) continue;
            used.add(address.get());
            out.put(key(s), List.of(address.get()));
        }
        return out;
    }

    @Override
    public Result reconcile(String ignored) {
        List<Service> all = services.list();
        Set<String> present = new HashSet<>();
        for (Service s : all) {
            present.add(key(s));
            if (!addresses(s).isEmpty()) pending.remove(key(s));
        }
        pending.keySet().retainAll(present);
        Map<String, List<String>> plan = plan(all, pool, pending);
        for (Service s : all) {
            if (wants(s) && addresses(s).isEmpty() && !pending.containsKey(key(s)) && !plan.containsKey(key(s))) {
                events.event(s, EventRecorder.WARNING, "AllocationFailed", pool.isEmpty()
                        ? "no load-balancer address pool is configured (kube4j.controllers.load-balancer.pool)"
                        : "no free address in the load-balancer pool" + requestedNote(s));
            }
        }
        for (Map.Entry<String, List<String>> e : plan.entrySet()) {
            Service s = services.get(e.getKey()).orElse(null);
            if (s == null) continue;
            Service next = Json.MAPPER.convertValue(s, Service.class);
            if (next.getStatus() == null) next.setStatus(new ServiceStatus());
            List<LoadBalancerIngress> ingress = e.getValue().stream().map(a -> new LoadBalancerIngressBuilder().withIp(a).withIpMode("VIP").build()).toList();
            next.getStatus().setLoadBalancer(new io.fabric8.kubernetes.api.model.LoadBalancerStatus(ingress));
            try {
                objects.updateStatus(next);
            } catch (RuntimeException ex) {
                if (ObjectClient.isNotFound(ex)) continue;
                throw ex;
            }
            if (e.getValue().isEmpty()) {
                log.info("service {} gives back its load-balancer address", e.getKey());
            } else {
                pending.put(e.getKey(), e.getValue().getFirst());
                events.event(s, EventRecorder.NORMAL, "IPAllocated", "Assigned IP [\"" + e.getValue().getFirst() + "\"]");
                log.info("service {} gets load-balancer address {}", e.getKey(), e.getValue().getFirst());
            }
        }
        return Result.DONE;
    }

    private static String requestedNote(Service s) {
        String requested = s.getSpec().getLoadBalancerIP();
        return requested == null || requested.isEmpty() ? "" : " for the requested " + requested;
    }

    static boolean wants(Service s) {
        return s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType())
                && (s.getSpec().getLoadBalancerClass() == null || s.getSpec().getLoadBalancerClass().isEmpty());
    }

    /** A non-LoadBalancer Service's stale status is ours to clear only when no other implementation set it (no class). */
    private static boolean isLoadBalancerStatusOurs(Service s) {
        return s.getSpec() == null || s.getSpec().getLoadBalancerClass() == null || s.getSpec().getLoadBalancerClass().isEmpty();
    }

    static List<String> addresses(Service s) {
        if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null || s.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) if (i.getIp() != null) out.add(i.getIp());
        return out;
    }

    static String key(Service s) {
        return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    }
}
