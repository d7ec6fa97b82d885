package io.kube4j.gateway.admission;

import io.kube4j.gateway.admission.allocation.Allocation;
import io.kube4j.gateway.admission.allocation.Owner;
import io.kube4j.gateway.admission.allocation.RangeAllocator;
import io.kube4j.gateway.admission.allocation.ServiceAllocators;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.validation.NameValidation;
import io.kube4j.store.Store;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Services (v1): kube-apiserver's defaults (type ClusterIP, sessionAffinity None, ports TCP with
 * targetPort = port, traffic policies, single-stack IP families) and its allocation of a cluster
 * IP and of node ports from the configured ranges.
 *
 * <p>Allocation holds across gateway replicas: each IP and port is a key of its own in the store
 * (see {@link io.kube4j.gateway.admission.allocation.RangeAllocator}), claimed in
 * {@link #prepareForCreate} and {@link #prepareForUpdate}. A request that is refused after
 * claiming releases what it claimed before throwing. The gateway calls {@link #afterUpdate},
 * {@link #abortWrite} and {@link #afterDelete} so that values no longer held are released.
 * Dry runs check without claiming.
 */
@Component
public final class ServiceStrategy extends BaseStrategy {

    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final List<String> FAMILY_POLICIES = List.of("SingleStack", "PreferDualStack", "RequireDualStack");

    private final ServiceAllocators allocators;

    public ServiceStrategy(ServiceAllocators allocators) {
        super("", "Service");
        this.allocators = allocators;
    }

    // ---------------------------------------------------------------- defaulting

    @Override
    public void defaults(ObjectNode service) {
        ObjectNode spec = Workloads.spec(service);
        Defaulting.defaultText(spec, "sessionAffinity", "None");
        String affinity = JsonTree.string(spec, "sessionAffinity");
        if ("None".equals(affinity)) {
            spec.remove("sessionAffinityConfig");
        } else if ("ClientIP".equals(affinity)) {
            ObjectNode config = JsonTree.object(spec, "sessionAffinityConfig");
            ObjectNode clientIp = JsonTree.object(config, "clientIP");
            if (clientIp == null || !JsonTree.present(clientIp, "timeoutSeconds")) {
                spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
            }
        }
        Defaulting.defaultText(spec, "type", "ClusterIP");
        JsonTree.eachObject(spec, "ports", (i, port) -> {
            Defaulting.defaultText(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull() || (target.isIntegralNumber() && target.longValue() == 0)
                    || (target.isString() && target.stringValue().isEmpty());
            if (unset && port.has("port")) port.set("targetPort", port.get("port").deepCopy());
        });
        String type = JsonTree.string(spec, "type");
        if (externallyAccessible(spec)) Defaulting.defaultText(spec, "externalTrafficPolicy", "Cluster");
        if (!JsonTree.present(spec, "internalTrafficPolicy") && List.of("NodePort", "LoadBalancer", "ClusterIP").contains(type)) {
            spec.put("internalTrafficPolicy", "Cluster");
        }
        if ("LoadBalancer".equals(type)) Defaulting.defaultBool(spec, "allocateLoadBalancerNodePorts", true);
        normalizeClusterIps(spec);
    }

    /** clusterIP and clusterIPs[0] say the same thing; whichever is given fills the other. */
    private static void normalizeClusterIps(ObjectNode spec) {
        String ip = JsonTree.stringOrEmpty(spec, "clusterIP");
        List<JsonNode> ips = JsonTree.elements(spec, "clusterIPs");
        if (!ip.isEmpty() && ips.isEmpty()) spec.putArray("clusterIPs").add(ip);
        if (ip.isEmpty() && !ips.isEmpty() && JsonTree.string(ips.getFirst()) != null) spec.put("clusterIP", JsonTree.string(ips.getFirst()));
    }

    static boolean externallyAccessible(ObjectNode spec) {
        String type = JsonTree.stringOrEmpty(spec, "type");
        return type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && !JsonTree.elements(spec, "externalIPs").isEmpty());
    }

    private static boolean needsClusterIp(ObjectNode spec) {
        return spec != null && !"ExternalName".equals(JsonTree.string(spec, "type"));
    }

    private static boolean needsNodePorts(ObjectNode spec) {
        if (spec == null) return false;
        String type = JsonTree.stringOrEmpty(spec, "type");
        return type.equals("NodePort")
                || (type.equals("LoadBalancer") && !Boolean.FALSE.equals(JsonTree.bool(spec, "allocateLoadBalancerNodePorts")));
    }

    private static boolean needsHealthCheckPort(ObjectNode spec) {
        return spec != null && "LoadBalancer".equals(JsonTree.string(spec, "type"))
                && "Local".equals(JsonTree.string(spec, "externalTrafficPolicy"));
    }

    private static boolean headless(ObjectNode spec) {
        return "None".equals(JsonTree.string(spec, "clusterIP"));
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public void prepareForCreate(ObjectNode service, AdmissionContext context) {
        service.putObject("status").putObject("loadBalancer");
        ObjectNode spec = Workloads.spec(service);
        normalizeClusterIps(spec);
        defaultFamilies(spec, null);
        refuseIfInvalid(service, null);
        allocate(service, spec, null, context);
    }

    @Override
    public void prepareForUpdate(ObjectNode service, ObjectNode old, AdmissionContext context) {
        ObjectNode spec = Workloads.spec(service);
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        normalizeClusterIps(spec);
        if (oldSpec != null) {
            dropTypeDependentFields(spec, oldSpec);
            patchAllocatedValues(spec, oldSpec);
        }
        defaultFamilies(spec, oldSpec);
        refuseIfInvalid(service, old);
        allocate(service, spec, oldSpec, context);
    }

    private void defaultFamilies(ObjectNode spec, ObjectNode oldSpec) {
        if (!needsClusterIp(spec)) return;
        if (oldSpec != null && needsClusterIp(oldSpec)) {
            for (String f : List.of("ipFamilyPolicy", "ipFamilies")) {
                if (!JsonTree.present(spec, f) && JsonTree.present(oldSpec, f)) spec.set(f, oldSpec.get(f).deepCopy());
            }
        }
        if (!JsonTree.present(spec, "ipFamilyPolicy")) {
            boolean selectorless = JsonTree.isEmpty(spec.get("selector"));
            spec.put("ipFamilyPolicy", headless(spec) && selectorless ? "RequireDualStack" : "SingleStack");
        }
        if (JsonTree.elements(spec, "ipFamilies").isEmpty()) spec.putArray("ipFamilies").add(clusterFamily());
    }

    private String clusterFamily() {
        return allocators.ipRange().ipv4() ? "IPv4" : "IPv6";
    }

    /** Fields of a type left behind that the update did not touch go with the type (as kube-apiserver does). */
    private static void dropTypeDependentFields(ObjectNode spec, ObjectNode oldSpec) {
        if (needsClusterIp(oldSpec) && !needsClusterIp(spec)
                && String.valueOf(spec.get("clusterIPs")).equals(String.valueOf(oldSpec.get("clusterIPs")))) {
            spec.remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"));
        }
        if (needsNodePorts(oldSpec) && !needsNodePorts(spec) && nodePorts(spec).equals(nodePorts(oldSpec))) {
            JsonTree.eachObject(spec, "ports", (i, p) -> p.remove("nodePort"));
        }
        if (needsHealthCheckPort(oldSpec) && !needsHealthCheckPort(spec)
                && String.valueOf(spec.get("healthCheckNodePort")).equals(String.valueOf(oldSpec.get("healthCheckNodePort")))) {
            spec.remove("healthCheckNodePort");
        }
        if (!externallyAccessible(spec) && externallyAccessible(oldSpec)
                && JsonTree.stringOrEmpty(spec, "externalTrafficPolicy").equals(JsonTree.stringOrEmpty(oldSpec, "externalTrafficPolicy"))) {
            spec.remove("externalTrafficPolicy");
        }
        if ("ExternalName".equals(JsonTree.string(spec, "type"))
                && JsonTree.stringOrEmpty(spec, "internalTrafficPolicy").equals(JsonTree.stringOrEmpty(oldSpec, "internalTrafficPolicy"))) {
            spec.remove("internalTrafficPolicy");
        }
        if (!"LoadBalancer".equals(JsonTree.string(spec, "type"))
                && String.valueOf(spec.get("allocateLoadBalancerNodePorts")).equals(String.valueOf(oldSpec.get("allocateLoadBalancerNodePorts")))) {
            spec.remove("allocateLoadBalancerNodePorts");
        }
    }

    /** An update that leaves out allocated values (e.g. {@code kubectl replace}) keeps them. */
    private static void patchAllocatedValues(ObjectNode spec, ObjectNode oldSpec) {
        if (needsClusterIp(oldSpec) && needsClusterIp(spec)) {
            if (JsonTree.stringOrEmpty(spec, "clusterIP").isEmpty() && JsonTree.present(oldSpec, "clusterIP")) {
                spec.set("clusterIP", oldSpec.get("clusterIP").deepCopy());
            }
            if (JsonTree.elements(spec, "clusterIPs").isEmpty() && JsonTree.present(oldSpec, "clusterIPs")) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
            }
        }
        if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
            Set<Long> used = new HashSet<>(nodePorts(spec));
            Map<String, Long> byName = new HashMap<>();
            JsonTree.eachObject(oldSpec, "ports", (i, p) -> {
                Long np = JsonTree.integer(p, "nodePort");
                if (np != null) byName.put(JsonTree.stringOrEmpty(p, "name"), np);
            });
            JsonTree.eachObject(spec, "ports", (i, p) -> {
                Long np = JsonTree.integer(p, "nodePort");
                Long previous = byName.get(JsonTree.stringOrEmpty(p, "name"));
                if ((np == null || np == 0) && previous != null && previous != 0 && !used.contains(previous)) {
                    p.put("nodePort", previous.intValue());
                    used.add(previous);
                }
            });
        }
        if (needsHealthCheckPort(oldSpec) && needsHealthCheckPort(spec) && !JsonTree.present(spec, "healthCheckNodePort")
                && JsonTree.present(oldSpec, "healthCheckNodePort")) {
            spec.set("healthCheckNodePort", oldSpec.get("healthCheckNodePort").deepCopy());
        }
    }

    private void refuseIfInvalid(ObjectNode service, ObjectNode old) {
        List<StatusCause> causes = validate(service, old);
        if (!causes.isEmpty()) throw invalid(service, causes);
    }

    private static ApiException invalid(ObjectNode service, List<StatusCause> causes) {
        return ApiException.invalid("", "Service", JsonTree.stringOrEmpty(JsonTree.object(service, "metadata"), "name"), causes);
    }

    private static Owner owner(ObjectNode service) {
        ObjectNode m = JsonTree.object(service, "metadata");
        return new Owner(JsonTree.string(m, "namespace"), JsonTree.string(m, "name"), JsonTree.string(m, "uid"));
    }

    private void allocate(ObjectNode service, ObjectNode spec, ObjectNode oldSpec, AdmissionContext context) {
        Store store = context.store();
        boolean dryRun = context.dryRun();
        Owner owner = owner(service);
        Set<String> oldIps = clusterIps(oldSpec);
        Set<Long> oldPorts = heldPorts(oldSpec);
        List<String> claimedIps = new ArrayList<>();
        List<String> claimedPorts = new ArrayList<>();
        try {
            if (needsClusterIp(spec) && !headless(spec)) {
                String requested = JsonTree.stringOrEmpty(spec, "clusterIP");
                if (requested.isEmpty()) {
                    String ip = take(allocators.clusterIps().allocateNext(store, owner, dryRun), null, null,
                            "failed to allocate a serviceIP: ");
                    if (!dryRun) claimedIps.add(ip);
                    spec.put("clusterIP", ip);
                    spec.putArray("clusterIPs").add(ip);
                } else if (!oldIps.contains(requested)) {
                    String canonical = allocators.ipRange().canonical(requested);
                    String ip = take(allocators.clusterIps().allocate(store, canonical == null ? requested : canonical,
                                    owner, dryRun), FieldPath.of("spec", "clusterIPs"),
                            GoValues.stringSlice(JsonTree.elements(spec, "clusterIPs").stream().map(JsonTree::string).toList()),
                            "failed to allocate IP " + requested + ": ");
                    if (!dryRun) claimedIps.add(ip);
                }
            } else if (headless(spec)) {
                spec.putArray("clusterIPs").add("None");
            }
            boolean allocateMissing = needsNodePorts(spec);
            boolean mayHaveNodePorts = allocateMissing || "LoadBalancer".equals(JsonTree.string(spec, "type"));
            if (mayHaveNodePorts) {
                List<JsonNode> ports = JsonTree.elements(spec, "ports");
                for (int i = 0; i < ports.size(); i++) {
                    if (!(ports.get(i) instanceof ObjectNode port)) continue;
                    Long requested = JsonTree.integer(port, "nodePort");
                    FieldPath path = FieldPath.of("spec", "ports").index(i).child("nodePort");
                    if (requested == null || requested == 0) {
                        if (!allocateMissing) continue;
                        String np = take(allocators.nodePorts().allocateNext(store, owner, dryRun), null, null,
                                "failed to allocate a nodePort: ");
                        if (!dryRun) claimedPorts.add(np);
                        port.put("nodePort", Integer.parseInt(np));
                    } else if (!oldPorts.contains(requested) && !claimedPorts.contains(requested.toString())) {
                        String np = take(allocators.nodePorts().allocate(store, requested.toString(), owner, dryRun),
                                path, requested, "");
                        if (!dryRun) claimedPorts.add(np);
                    }
                }
            }
            if (needsHealthCheckPort(spec)) {
                Long requested = JsonTree.integer(spec, "healthCheckNodePort");
                if (requested == null || requested == 0) {
                    String np = take(allocators.nodePorts().allocateNext(store, owner, dryRun), null, null,
                            "failed to allocate a nodePort: ");
                    if (!dryRun) claimedPorts.add(np);
                    spec.put("healthCheckNodePort", Integer.parseInt(np));
                } else if (!oldPorts.contains(requested) && !claimedPorts.contains(requested.toString())) {
                    String np = take(allocators.nodePorts().allocate(store, requested.toString(), owner, dryRun),
                            FieldPath.of("spec", "healthCheckNodePort"), requested, "");
                    if (!dryRun) claimedPorts.add(np);
                }
            }
        } catch (RefusedException e) {
            claimedIps.forEach(ip -> allocators.clusterIps().release(store, ip, owner));
            claimedPorts.forEach(p -> allocators.nodePorts().release(store, p, owner));
            throw e.cause == null ? ApiException.internal(e.getMessage()) : invalid(service, List.of(e.cause));
        } catch (RuntimeException e) {
            claimedIps.forEach(ip -> allocators.clusterIps().release(store, ip, owner));
            claimedPorts.forEach(p -> allocators.nodePorts().release(store, p, owner));
            throw e;
        }
    }

    /** A refusal on the way; carries the field cause, or none for an internal failure (range full). */
    private static final class RefusedException extends RuntimeException {
        final StatusCause cause;

        RefusedException(String message, StatusCause cause) {
            super(message, null, false, false);
            this.cause = cause;
        }
    }

    private static String take(Allocation allocation, FieldPath path, Object value, String prefix) {
        return switch (allocation) {
            case Allocation.Allocated a -> a.value();
            case Allocation.Refused r when r.reason() == Allocation.Reason.FULL || path == null ->
                    throw new RefusedException(prefix + r.message(), null);
            case Allocation.Refused r -> {
                Causes c = new Causes().invalid(path, value, prefix + r.message());
                throw new RefusedException(r.message(), c.list().getFirst());
            }
        };
    }

    @Override
    public void afterUpdate(ObjectNode stored, ObjectNode old, AdmissionContext context) {
        release(old, JsonTree.object(stored, "spec"), context);
    }

    @Override
    public void abortWrite(ObjectNode object, ObjectNode old, AdmissionContext context) {
        release(object, old == null ? null : JsonTree.object(old, "spec"), context);
    }

    @Override
    public void afterDelete(ObjectNode service, AdmissionContext context) {
        release(service, null, context);
    }

    /** Releases what {@code holder} holds and {@code keeperSpec} (may be null) does not. */
    private void release(ObjectNode holder, ObjectNode keeperSpec, AdmissionContext context) {
        if (context.dryRun() || holder == null) return;
        ObjectNode spec = JsonTree.object(holder, "spec");
        Owner owner = owner(holder);
        Set<String> keepIps = clusterIps(keeperSpec);
        Set<Long> keepPorts = heldPorts(keeperSpec);
        for (String ip : clusterIps(spec)) {
            if (!keepIps.contains(ip)) allocators.clusterIps().release(context.store(), ip, owner);
        }
        for (Long port : heldPorts(spec)) {
            if (!keepPorts.contains(port)) allocators.nodePorts().release(context.store(), port.toString(), owner);
        }
    }

    private Set<String> clusterIps(ObjectNode spec) {
        Set<String> ips = new LinkedHashSet<>();
        if (spec == null || !needsClusterIp(spec)) return ips;
        List<JsonNode> list = JsonTree.elements(spec, "clusterIPs");
        if (list.isEmpty() && JsonTree.string(spec, "clusterIP") != null) list = List.of(spec.get("clusterIP"));
        for (JsonNode n : list) {
            String ip = JsonTree.string(n);
            if (ip == null || ip.isEmpty() || ip.equals("None")) continue;
            String canonical = allocators.ipRange().canonical(ip);
            ips.add(canonical == null ? ip : canonical);
        }
        return ips;
    }

    private static List<Long> nodePorts(ObjectNode spec) {
        List<Long> ports = new ArrayList<>();
        JsonTree.eachObject(spec, "ports", (i, p) -> {
            Long np = JsonTree.integer(p, "nodePort");
            if (np != null && np != 0) ports.add(np);
        });
        return ports;
    }

    private static Set<Long> heldPorts(ObjectNode spec) {
        Set<Long> ports = new HashSet<>();
        if (spec == null) return ports;
        ports.addAll(nodePorts(spec));
        Long hc = JsonTree.integer(spec, "healthCheckNodePort");
        if (hc != null && hc != 0) ports.add(hc);
        return ports;
    }

    // ---------------------------------------------------------------- validation

    @Override
    public List<StatusCause> validate(ObjectNode service, ObjectNode old) {
        Causes causes = new Causes();
        String name = JsonTree.stringOrEmpty(JsonTree.object(service, "metadata"), "name");
        if (!name.isEmpty()) causes.invalidEach(FieldPath.of("metadata", "name"), name, NameValidation.isDns1035Label(name));
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(service, "spec");
        if (spec == null) return causes.required(specPath).list();
        String type = JsonTree.stringOrEmpty(spec, "type");
        if (!TYPES.contains(type)) causes.notSupported(specPath.child("type"), type, TYPES);
        boolean externalName = type.equals("ExternalName");
        validatePorts(spec, specPath, type, causes);
        validateClusterIps(spec, specPath, type, causes);
        if (externalName) {
            String external = JsonTree.stringOrEmpty(spec, "externalName");
            if (external.isEmpty()) {
                causes.required(specPath.child("externalName"));
            } else {
                String host = external.endsWith(".") ? external.substring(0, external.length() - 1) : external;
                causes.invalidEach(specPath.child("externalName"), external, NameValidation.isDns1123Subdomain(host));
            }
        }
        String affinity = JsonTree.stringOrEmpty(spec, "sessionAffinity");
        if (!AFFINITIES.contains(affinity)) causes.notSupported(specPath.child("sessionAffinity"), affinity, AFFINITIES);
        if (affinity.equals("ClientIP")) {
            Long timeout = JsonTree.integer(JsonTree.object(JsonTree.object(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds");
            if (timeout != null && (timeout <= 0 || timeout > 86400)) {
                causes.invalid(specPath.child("sessionAffinityConfig", "clientIP", "timeoutSeconds"), timeout,
                        "must be greater than 0 and less than 86400");
            }
        }
        String etp = JsonTree.stringOrEmpty(spec, "externalTrafficPolicy");
        if (!etp.isEmpty()) {
            if (!externallyAccessible(spec)) {
                causes.invalid(specPath.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services");
            } else if (!TRAFFIC_POLICIES.contains(etp)) {
                causes.notSupported(specPath.child("externalTrafficPolicy"), etp, TRAFFIC_POLICIES);
            }
        } else if (externallyAccessible(spec)) {
            causes.required(specPath.child("externalTrafficPolicy"));
        }
        String itp = JsonTree.string(spec, "internalTrafficPolicy");
        if (itp != null && !TRAFFIC_POLICIES.contains(itp)) causes.notSupported(specPath.child("internalTrafficPolicy"), itp, TRAFFIC_POLICIES);
        String familyPolicy = JsonTree.string(spec, "ipFamilyPolicy");
        if (familyPolicy != null && !FAMILY_POLICIES.contains(familyPolicy)) {
            causes.notSupported(specPath.child("ipFamilyPolicy"), familyPolicy, FAMILY_POLICIES);
        }
        if (!externalName) validateFamilies(spec, specPath, causes);
        LabelSelectors.validateLabels(spec.get("selector"), specPath.child("selector"), causes);
        List<JsonNode> externalIps = JsonTree.elements(spec, "externalIPs");
        for (int i = 0; i < externalIps.size(); i++) {
            String value = JsonTree.string(externalIps.get(i));
            if (value == null || !Addresses.isIp(value)) {
                causes.invalid(specPath.child("externalIPs").index(i), value == null ? "" : value, Addresses.ipMessage());
            }
        }
        ObjectNode oldSpec = JsonTree.object(old, "spec");
        if (oldSpec != null && needsClusterIp(oldSpec) && needsClusterIp(spec)) {
            List<String> before = JsonTree.elements(oldSpec, "clusterIPs").stream().map(JsonTree::string).toList();
            List<String> now = JsonTree.elements(spec, "clusterIPs").stream().map(JsonTree::string).toList();
            if (!before.isEmpty() && !now.isEmpty() && !before.getFirst().equals(now.getFirst())) {
                causes.invalid(specPath.child("clusterIPs").index(0), GoValues.stringSlice(now), "may not change once set");
            }
            List<String> fBefore = JsonTree.elements(oldSpec, "ipFamilies").stream().map(JsonTree::string).toList();
            List<String> fNow = JsonTree.elements(spec, "ipFamilies").stream().map(JsonTree::string).toList();
            if (!fBefore.isEmpty() && !fNow.isEmpty() && !fBefore.getFirst().equals(fNow.getFirst())) {
                causes.invalid(specPath.child("ipFamilies").index(0), fNow.getFirst(), "may not change once set");
            }
        }
        return causes.list();
    }

    private void validateFamilies(ObjectNode spec, FieldPath specPath, Causes causes) {
        List<JsonNode> families = JsonTree.elements(spec, "ipFamilies");
        for (int i = 0; i < families.size(); i++) {
            String family = JsonTree.string(families.get(i));
            if (!List.of("IPv4", "IPv6").contains(String.valueOf(family))) {
                causes.notSupported(specPath.child("ipFamilies").index(i), family == null ? "" : family, List.of("IPv4", "IPv6"));
            } else if (!family.equals(clusterFamily())) {
                causes.invalid(specPath.child("ipFamilies").index(i), family, "not configured on this cluster");
            }
        }
        if ("RequireDualStack".equals(JsonTree.string(spec, "ipFamilyPolicy")) && !headless(spec)) {
            causes.invalid(specPath.child("ipFamilyPolicy"), "RequireDualStack", "this cluster is not configured for dual-stack services");
        }
    }

    private static void validatePorts(ObjectNode spec, FieldPath specPath, String type, Causes causes) {
        List<JsonNode> ports = JsonTree.elements(spec, "ports");
        boolean externalName = type.equals("ExternalName");
        if (ports.isEmpty() && !externalName && !headless(spec)) causes.required(specPath.child("ports"));
        Set<String> names = new HashSet<>();
        Set<String> portKeys = new HashSet<>();
        Set<String> nodePortKeys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            if (!(ports.get(i) instanceof ObjectNode port)) continue;
            FieldPath p = specPath.child("ports").index(i);
            String name = JsonTree.stringOrEmpty(port, "name");
            if (ports.size() > 1 && name.isEmpty()) causes.required(p.child("name"));
            if (!name.isEmpty()) {
                causes.invalidEach(p.child("name"), name, NameValidation.isDns1123Label(name));
                if (!names.add(name)) causes.duplicate(p.child("name"), name);
            }
            Long number = JsonTree.integer(port, "port");
            long n = number == null ? 0 : number;
            if (n < 1 || n > 65535) causes.invalid(p.child("port"), n, Addresses.portRangeMessage());
            String protocol = JsonTree.stringOrEmpty(port, "protocol");
            if (!PodSpecValidation.PROTOCOLS.contains(protocol)) {
                causes.notSupported(p.child("protocol"), protocol, PodSpecValidation.PROTOCOLS);
            }
            if (!externalName) PodSpecValidation.validatePortNumOrName(port.get("targetPort"), p.child("targetPort"), causes);
            if (!portKeys.add(n + "/" + protocol)) causes.duplicate(p, new GoValues.Raw("core.ServicePort{Port:" + n + ", Protocol:" + GoValues.quote(protocol) + "}"));
            Long nodePort = JsonTree.integer(port, "nodePort");
            if (nodePort != null && nodePort != 0) {
                if (type.equals("ClusterIP") || externalName) {
                    causes.forbidden(p.child("nodePort"), "may not be used when `type` is '" + type + "'");
                } else if (nodePort < 1 || nodePort > 65535) {
                    causes.invalid(p.child("nodePort"), nodePort, Addresses.portRangeMessage());
                } else if (!nodePortKeys.add(nodePort + "/" + protocol)) {
                    causes.duplicate(p.child("nodePort"), nodePort);
                }
            }
        }
    }

    private static void validateClusterIps(ObjectNode spec, FieldPath specPath, String type, Causes causes) {
        List<JsonNode> ips = JsonTree.elements(spec, "clusterIPs");
        FieldPath ipsPath = specPath.child("clusterIPs");
        if (type.equals("ExternalName")) {
            if (!ips.isEmpty()) causes.forbidden(ipsPath, "may not be set for ExternalName services");
            return;
        }
        String clusterIp = JsonTree.stringOrEmpty(spec, "clusterIP");
        String first = ips.isEmpty() ? null : JsonTree.string(ips.getFirst());
        if (!ips.isEmpty() && !clusterIp.equals(first == null ? "" : first)) {
            causes.invalid(ipsPath, GoValues.stringSlice(ips.stream().map(n -> String.valueOf(JsonTree.string(n))).toList()),
                    "first value must match `clusterIP`");
        }
        if (ips.size() > 1) causes.tooMany(ipsPath, ips.size(), 1);
        for (int i = 0; i < ips.size(); i++) {
            String ip = JsonTree.string(ips.get(i));
            if (ip == null) ip = "";
            if (ip.equals("None")) {
                if (i > 0 || ips.size() > 1) causes.invalid(ipsPath.index(i), ip, "must not repeat or mix with other IPs");
                if (type.equals("NodePort") || type.equals("LoadBalancer")) {
                    causes.invalid(ipsPath.index(i), ip, "may not be set to 'None' for " + type + " services");
                }
            } else if (!Addresses.isIp(ip)) {
                causes.invalid(ipsPath.index(i), ip, Addresses.ipMessage());
            }
        }
    }
}
