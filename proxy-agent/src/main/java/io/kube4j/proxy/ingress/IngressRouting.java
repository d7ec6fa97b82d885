package io.kube4j.proxy.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortRules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pure function from Ingresses to the {@link RouteTable} of this controller. An Ingress is
 * served when its {@code spec.ingressClassName} names this controller's class; without a class
 * name, when its {@code kubernetes.io/ingress.class} annotation does, or, with neither, unless
 * another IngressClass is marked default and ours is not. A backend's Service port (by number or
 * name) resolves to the endpoints the Service rules computed for it (so ready endpoints only, and
 * selector-less Services too); a resource backend or a missing Service gives a route with no
 * endpoints (503).
 */
public final class IngressRouting {

    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
    public static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

    private IngressRouting() {
    }

    public static boolean serves(Ingress ingress, String className, List<IngressClass> classes) {
        String name = ingress.getSpec() == null ? null : ingress.getSpec().getIngressClassName();
        if (name != null && !name.isEmpty()) return name.equals(className);
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        String legacy = annotations == null ? null : annotations.get(LEGACY_CLASS_ANNOTATION);
        if (legacy != null) return legacy.equals(className);
        boolean oursDefault = false, otherDefault = false;
        for (IngressClass c : classes) {
            Map<String, String> a = c.getMetadata().getAnnotations();
            if (a == null || !"true".equals(a.get(DEFAULT_CLASS_ANNOTATION))) continue;
            if (className.equals(c.getMetadata().getName())) oursDefault = true;
            else otherDefault = true;
        }
        return oursDefault || !otherDefault;
    }

    public static RouteTable compute(List<Ingress> ingresses, List<IngressClass> classes, String className, ProxyRules rules) {
        Map<String, List<ServicePortRules>> byService = new HashMap<>();
        for (ServicePortRules s : rules.services()) {
            byService.computeIfAbsent(s.name().namespace() + "/" + s.name().name(), k -> new ArrayList<>()).add(s);
        }
        List<Ingress> served = ingresses.stream().filter(i -> i.getSpec() != null && serves(i, className, classes))
                .sorted(Comparator.comparing(IngressRouting::key)).toList();
        List<IngressRoute> routes = new ArrayList<>();
        IngressRoute defaultBackend = null;
        for (Ingress ingress : served) {
            if (defaultBackend == null && ingress.getSpec().getDefaultBackend() != null) {
                defaultBackend = route("", "/", "Prefix", ingress, ingress.getSpec().getDefaultBackend(), byService);
            }
            for (IngressRule rule : ingress.getSpec().getRules() == null ? List.<IngressRule>of() : ingress.getSpec().getRules()) {
                String host = rule.getHost() == null ? "" : rule.getHost().toLowerCase(Locale.ROOT);
                if (rule.getHttp() == null || rule.getHttp().getPaths() == null) continue;
                for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                    String path = p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath();
                    String type = p.getPathType() == null ? "ImplementationSpecific" : p.getPathType();
                    routes.add(route(host, path, type, ingress, p.getBackend(), byService));
                }
            }
        }
        return new RouteTable(routes, defaultBackend);
    }

    private static IngressRoute route(String host, String path, String type, Ingress ingress, IngressBackend backend,
                                      Map<String, List<ServicePortRules>> byService) {
        String namespace = ingress.getMetadata().getNamespace();
        if (backend == null || backend.getService() == null) {
            return new IngressRoute(host, path, type, key(ingress), "(no service)", List.of());
        }
        String service = namespace + "/" + backend.getService().getName();
        var port = backend.getService().getPort();
        Integer number = port == null ? null : port.getNumber();
        String portName = port == null ? null : port.getName();
        List<Backend> endpoints = List.of();
        for (ServicePortRules s : byService.getOrDefault(service, List.of())) {
            boolean matches = number != null && number > 0 ? s.port() == number : portName != null && portName.equals(s.name().port());
            if (matches) {
                endpoints = s.endpoints();
                break;
            }
        }
        String label = service + ":" + (number != null && number > 0 ? number.toString() : portName);
        return new IngressRoute(host, path, type, key(ingress), label, endpoints);
    }

    private static String key(Ingress ingress) {
        return ingress.getMetadata().getNamespace() + "/" + ingress.getMetadata().getName();
    }
}
