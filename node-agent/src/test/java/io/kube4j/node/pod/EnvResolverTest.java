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

    @Test
    void aMissingConfigMapThatIsNotOptionalStopsTheContainer() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewSpec().endSpec().build();
        Container c = new ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef("k", "absent", false).endValueFrom().endEnv().build();
        assertThatThrownBy(() -> EnvResolver.resolve(pod, c, OBJECTS, null, null, Map.of()))
                .isInstanceOf(EnvResolver.EnvError.class).hasMessage("configmap \"absent\" not found");
    }
}
