package io.kube4j.proxy.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class IngressRoutingTest {

    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static Ingress ingress(String yaml) {
        return YAML.unmarshal("apiVersion: networking.k8s.io/v1\nkind: Ingress\n" + yaml.stripIndent(), Ingress.class);
    }

    static IngressClass ingressClass(String name, boolean isDefault) {
        return YAML.unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: IngressClass
                metadata:
                  name: %s
                  annotations: {ingressclass.kubernetes.io/is-default-class: "%s"}
                spec: {controller: example.org/x}
                """.formatted(name, isDefault), IngressClass.class);
    }

    record ClassCase(String name, String metadataAndSpec, List<IngressClass> classes, boolean served) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ClassCase> classes() {
        IngressClass oursDefault = ingressClass("kube4j", true);
        IngressClass otherDefault = ingressClass("nginx", true);
        return Stream.of(
                new ClassCase("our class by name", "metadata: {name: a, namespace: n}\nspec: {ingressClassName: kube4j}", List.of(), true),
                new ClassCase("another class by name", "metadata: {name: a, namespace: n}\nspec: {ingressClassName: nginx}", List.of(oursDefault), false),
                new ClassCase("the legacy annotation", "metadata: {name: a, namespace: n, annotations: {kubernetes.io/ingress.class: kube4j}}\nspec: {}", List.of(otherDefault), true),
                new ClassCase("another legacy annotation", "metadata: {name: a, namespace: n, annotations: {kubernetes.io/ingress.class: nginx}}\nspec: {}", List.of(), false),
                new ClassCase("no class, ours default", "metadata: {name: a, namespace: n}\nspec: {}", List.of(oursDefault, otherDefault), true),
                new ClassCase("no class, no default", "metadata: {name: a, namespace: n}\nspec: {}", List.of(), true),
                new ClassCase("no class, another default", "metadata: {name: a, namespace: n}\nspec: {}", List.of(otherDefault), false));
    }

    @ParameterizedTest
    @MethodSource
    void classes(ClassCase c) {
        assertThat(IngressRouting.serves(ingress(c.metadataAndSpec), "kube4j", c.classes)).isEqualTo(c.served);
    }

    static ServicePortRules port(String service, String portName, int port, Backend... endpoints) {
        return new ServicePortRules(new ServicePortName("shop", service, portName, Protocol.TCP), "10.96.0.50", port, 0, List.of(),
                List.of(endpoints), false, List.of(), 0);
    }

    @Test
    void backendsResolveByServicePortNumberOrNameToTheComputedEndpoints() {
        ProxyRules rules = new ProxyRules(List.of(
                port("web", "http", 80, new Backend("10.0.0.1", 8080), new Backend("10.0.0.2", 8080)),
                port("web", "admin", 9000, new Backend("10.0.0.1", 9090)),
                port("api", "", 80)), List.of());
        Ingress shop = ingress("""
                metadata: {name: shop, namespace: shop}
                spec:
                  defaultBackend: {service: {name: web, port: {number: 80}}}
                  rules:
                  - host: Shop.Example.com
                    http:
                      paths:
                      - {path: /admin, pathType: Prefix, backend: {service: {name: web, port: {name: admin}}}}
                      - {path: /api, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}
                      - {pathType: ImplementationSpecific, backend: {service: {name: gone, port: {number: 80}}}}
                """);
        Ingress elsewhere = ingress("""
                metadata: {name: other, namespace: shop}
                spec: {ingressClassName: nginx, rules: [{host: x, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}
                """);
        RouteTable table = IngressRouting.compute(List.of(elsewhere, shop), List.of(), "kube4j", rules);
        assertThat(table.routes()).containsExactly(
                new IngressRoute("shop.example.com", "/admin", "Prefix", "shop/shop", "shop/web:admin", List.of(new Backend("10.0.0.1", 9090))),
                new IngressRoute("shop.example.com", "/api", "Exact", "shop/shop", "shop/api:80", List.of()),
                new IngressRoute("shop.example.com", "/", "ImplementationSpecific", "shop/shop", "shop/gone:80", List.of()));
        assertThat(table.defaultBackend().endpoints()).containsExactly(new Backend("10.0.0.1", 8080), new Backend("10.0.0.2", 8080));
    }
}
