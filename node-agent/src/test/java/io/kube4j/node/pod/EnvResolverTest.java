package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvResolverTest {

    static final EnvResolver.Objects OBJECTS = new EnvResolver.Objects() {
        @Override
        public Map<String, String> configMap(String namespace, String name) {
            return "cfg".equals(name) ? Map.of("a", "1", "b", "2") : null;
        }

        @Override
        public Map<String, String> secret(String namespace, String name) {
            return "sec".equals(name) ? Map.of("password", "s3cret") : null;
        }
    };

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "$(A)-$(B)|x-y",
            "$$(A)|$(A)",
            "$(MISSING)|$(MISSING)",
            "plain|plain",
            "$A|$A",
            "$(A|$(A",
            "cost $$5|cost $5"})
    void expandsReferencesAsKubernetesDoes(String input, String expected) {
        assertThat(EnvResolver.expand(input, Map.of("A", "x", "B", "y"))).isEqualTo(expected);
    }

    @Test
    void buildsTheEnvironmentFromEveryKindOfSource() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1")
                .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().withNodeName("n1").endSpec().build();
        Container c = new ContainerBuilder().withName("c")
                .addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().withPrefix("CFG_").endEnvFrom()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "sec", false).endValueFrom().endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("URL").withValue("http://$(IP):80/$(APP)").endEnv()
                .addNewEnv().withName("OPT").withNewValueFrom().withNewConfigMapKeyRef("nokey", "cfg", true).endValueFrom().endEnv()
                .build();
        Map<String, String> env = EnvResolver.resolve(pod, c, OBJECTS, "10.244.0.7", "192.168.0.2", Map.of());
        assertThat(env).containsExactly(Map.entry("CFG_a", "1"), Map.entry("CFG_b", "2"), Map.entry("PASSWORD", "s3cret"),
                Map.entry("APP", "web"), Map.entry("IP", "10.244.0.7"), Map.entry("URL", "http://10.244.0.7:80/web"));
    }

    private static io.fabric8.kubernetes.api.model.Service service(String namespace, String name, String clusterIP,
                                                                  io.fabric8.kubernetes.api.model.ServicePort... ports) {
        return new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                .endMetadata().withNewSpec().withClusterIP(clusterIP).withPorts(ports).endSpec().build();
    }

    private static io.fabric8.kubernetes.api.model.ServicePort port(String name, int port, String protocol) {
        return new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    @Test
    void theServicesOfTheNamespaceAndTheApisOwnAreInTheEnvironmentUnlessTheContainerSaysOtherwise() {
        var kubernetes = service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP"));
        var web = service("shop", "web-front", "10.96.0.20", port("http", 80, "TCP"), port("dns", 53, "UDP"));
        var headless = service("shop", "peers", "None", port("", 7000, "TCP"));
        EnvResolver.Objects objects = new EnvResolver.Objects() {
            @Override
            public Map<String, String> configMap(String namespace, String name) {
                return null;
            }

            @Override
            public Map<String, String> secret(String namespace, String name) {
                return null;
            }

            @Override
            public java.util.List<io.fabric8.kubernetes.api.model.Service> services(String namespace) {
                return namespace.equals("default") ? java.util.List.of(kubernetes) : java.util.List.of(web, headless);
            }
        };
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("shop").endMetadata().withNewSpec().endSpec().build();
        Container c = new ContainerBuilder().withName("c")
                .addNewEnv().withName("WEB_FRONT_SERVICE_PORT").withValue("8080").endEnv()
                .addNewEnv().withName("API").withValue("https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)").endEnv().build();
        Map<String, String> env = EnvResolver.resolve(pod, c, objects, null, null, Map.of());
        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1").containsEntry("KUBERNETES_SERVICE_PORT", "443")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443").containsEntry("KUBERNETES_PORT", "tcp://10.96.0.1:443")
                .containsEntry("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443").containsEntry("KUBERNETES_PORT_443_TCP_PROTO", "tcp")
                .containsEntry("KUBERNETES_PORT_443_TCP_PORT", "443").containsEntry("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1")
                .containsEntry("WEB_FRONT_SERVICE_HOST", "10.96.0.20").containsEntry("WEB_FRONT_SERVICE_PORT_DNS", "53")
                .containsEntry("WEB_FRONT_PORT", "tcp://10.96.0.20:80").containsEntry("WEB_FRONT_PORT_53_UDP", "udp://10.96.0.20:53")
                .containsEntry("API", "https://10.96.0.1:443")
                // The container's own variable wins over the Service's.
                .containsEntry("WEB_FRONT_SERVICE_PORT", "8080");
        assertThat(env.keySet()).noneMatch(k -> k.startsWith("PEERS_"));

        Pod unlinked = new PodBuilder(pod).editSpec().withEnableServiceLinks(false).endSpec().build();
        assertThat(EnvResolver.resolve(unlinked, new ContainerBuilder().withName("c").build(), objects, null, null, Map.of()).keySet())
                .allMatch(k -> k.startsWith("KUBERNETES_")).contains("KUBERNETES_SERVICE_HOST");
    }

    @Test
    void aMissingConfigMapThatIsNotOptionalStopsTheContainer() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewSpec().endSpec().build();
        Container c = new ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> EnvResolver.resolve(pod, c, OBJECTS, null, null, Map.of()))
                .isInstanceOf(EnvResolver.EnvError.class).hasMessage("configmap \"absent\" not found");
    }
}
