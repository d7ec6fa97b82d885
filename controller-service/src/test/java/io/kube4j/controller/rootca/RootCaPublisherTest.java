package io.kube4j.controller.rootca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RootCaPublisherTest {

    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Test
    void everyActiveNamespaceGetsTheCaAndKeepsIt() throws Exception {
        IndexedCache<Namespace> namespaces = new IndexedCache<>();
        namespaces.put(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build());
        namespaces.put(new NamespaceBuilder().withNewMetadata().withName("going").endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build());
        FakeObjectClient objects = new FakeObjectClient();
        var publish = new RootCaPublisher.Publish(namespaces, objects, PEM);

        assertThat(publish.reconcile("team")).as("looked at again").isEqualTo(io.kube4j.machinery.controller.Result.requeueAfter(RootCaPublisher.RECHECK));
        publish.reconcile("going");
        publish.reconcile("absent");
        ConfigMap made = objects.get(ConfigMap.class, "team", "kube-root-ca.crt").orElseThrow();
        assertThat(made.getData()).containsExactly(Map.entry("ca.crt", PEM));
        assertThat(made.getMetadata().getAnnotations()).containsKey("kubernetes.io/description");
        assertThat(objects.get(ConfigMap.class, "going", "kube-root-ca.crt")).isEmpty();

        // Edited by someone: the next reconcile puts the CA back, and then leaves it be.
        objects.update(new ConfigMapBuilder(made).withData(Map.of("ca.crt", "tampered")).build());
        publish.reconcile("team");
        assertThat(objects.get(ConfigMap.class, "team", "kube-root-ca.crt").orElseThrow().getData()).containsEntry("ca.crt", PEM);
        int writes = objects.actions().size();
        publish.reconcile("team");
        assertThat(objects.actions()).hasSize(writes);
    }

    @Test
    void theCaIsTheOneTheKubeconfigTrustsInlineOrInAFile(@TempDir Path dir) throws Exception {
        Config inline = new ConfigBuilder(Config.empty()).withCaCertData(Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8))).build();
        assertThat(RootCaPublisher.caOf(inline)).isEqualTo(PEM);
        Path file = Files.writeString(dir.resolve("ca.crt"), PEM);
        assertThat(RootCaPublisher.caOf(new ConfigBuilder(Config.empty()).withCaCertFile(file.toString()).build())).isEqualTo(PEM);
        assertThat(RootCaPublisher.caOf(Config.empty())).isEmpty();
    }
}
