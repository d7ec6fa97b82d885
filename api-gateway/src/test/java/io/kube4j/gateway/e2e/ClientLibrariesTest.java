package io.kube4j.gateway.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Client libraries no one here wrote: fabric8's Java client and the Python client, against the gateway. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientLibrariesTest {

    private GatewayCluster cluster;
    private KubernetesClient client;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start();
        Config config = new ConfigBuilder()
                .withMasterUrl(cluster.url())
                .withCaCertData(Base64.getEncoder().encodeToString(cluster.caPem))
                .withOauthToken(cluster.token)
                .withRequestRetryBackoffLimit(0)
                .build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterAll
    void stop() {
        if (client != null) client.close();
        if (cluster != null) cluster.close();
    }

    @Test
    void fabric8CrudWithOptimisticConcurrency() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fabric8").endMetadata().build()).create();
        ConfigMap created = client.configMaps().inNamespace("fabric8").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("cfg").addToLabels("app", "demo").endMetadata()
                .addToData("k", "v").build()).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        ConfigMap edited = client.configMaps().inNamespace("fabric8").withName("cfg")
                .edit(cm -> new ConfigMapBuilder(cm).addToData("k2", "v2").build());
        assertThat(edited.getData()).containsEntry("k2", "v2");
        assertThat(Long.parseLong(edited.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        ConfigMap stale = new ConfigMapBuilder(created).addToData("k3", "v3").build();
        assertThatThrownBy(() -> client.configMaps().inNamespace("fabric8").resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        assertThat(client.configMaps().inNamespace("fabric8").withLabel("app", "demo").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).containsExactly("cfg");

        Deployment deployment = client.apps().deployments().inNamespace("fabric8").resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.22").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        assertThat(deployment.getMetadata().getGeneration()).isEqualTo(1L);
        client.apps().deployments().inNamespace("fabric8").withName("web").scale(5);
        assertThat(client.apps().deployments().inNamespace("fabric8").withName("web").get().getSpec().getReplicas()).isEqualTo(5);

        assertThat(client.configMaps().inNamespace("fabric8").withName("cfg").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace("fabric8").withName("cfg").get()).isNull();
    }

    @Test
    void fabric8SharedInformerSeesAddsUpdatesAndDeletes() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("informer").endMetadata().build()).create();
        client.configMaps().inNamespace("informer").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("before").endMetadata().build()).create();
        List<String> seen = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("informer").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                seen.add("add " + obj.getMetadata().getName());
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                if (!oldObj.getMetadata().getResourceVersion().equals(newObj.getMetadata().getResourceVersion())) {
                    seen.add("update " + newObj.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                seen.add("delete " + obj.getMetadata().getName());
            }
        });
        try {
            await().atMost(20, TimeUnit.SECONDS).until(() -> seen.contains("add before"));
            client.configMaps().inNamespace("informer").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("after").endMetadata().build()).create();
            client.configMaps().inNamespace("informer").withName("after")
                    .edit(cm -> new ConfigMapBuilder(cm).addToData("x", "1").build());
            client.configMaps().inNamespace("informer").withName("before").delete();
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(seen).containsSubsequence("add before", "add after", "update after", "delete before"));
            assertThat(informer.getStore().list()).extracting(cm -> cm.getMetadata().getName()).containsExactly("after");
        } finally {
            informer.close();
        }
    }

    @Test
    void pythonClientListsAndWatches() throws Exception {
        Path dir = cluster.dir.resolve("python");
        Files.createDirectories(dir);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("python").endMetadata().build()).create();
        client.configMaps().inNamespace("python").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("py-1").endMetadata().build()).create();
        Path script = dir.resolve("client.py");
        Files.writeString(script, """
                import sys, threading, time
                from kubernetes import client, config, watch
                config.load_kube_config(config_file=sys.argv[1])
                v1 = client.CoreV1Api()
                names = [cm.metadata.name for cm in v1.list_namespaced_config_map("python").items]
                print("list", ",".join(sorted(names)))
                rv = v1.list_namespaced_config_map("python").metadata.resource_version
                def create_later():
                    time.sleep(1)
                    v1.create_namespaced_config_map("python", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-2")))
                threading.Thread(target=create_later).start()
                w = watch.Watch()
                for event in w.stream(v1.list_namespaced_config_map, "python", resource_version=rv, timeout_seconds=20):
                    print("watch", event["type"], event["object"].metadata.name)
                    w.stop()
                """);
        Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), cluster.kubectl.kubeconfig().toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("list py-1", "watch ADDED py-2");
    }

}
