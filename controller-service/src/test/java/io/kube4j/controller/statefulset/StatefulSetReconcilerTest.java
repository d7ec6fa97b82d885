package io.kube4j.controller.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Owners;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class StatefulSetReconcilerTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final IndexedCache<StatefulSet> sets = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final IndexedCache<ControllerRevision> revisions = new IndexedCache<>();
    final FakeObjectClient fake = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();

    StatefulSetReconciler reconciler() {
        return new StatefulSetReconciler(sets, pods, revisions, fake, events, CLOCK);
    }

    /** Settings {@code replicas=3 policy=Parallel strategy=OnDelete partition=1 image=nginx:2 claims=true}. */
    StatefulSet set(String settings) {
        Map<String, String> s = Arrays.stream(settings.split(" ")).filter(x -> !x.isBlank()).map(x -> x.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        var b = new StatefulSetBuilder().withNewMetadata().withNamespace("default").withName("web").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(Integer.parseInt(s.getOrDefault("replicas", "3"))).withServiceName("web-headless")
                .withPodManagementPolicy(s.getOrDefault("policy", "OrderedReady"))
                .withNewUpdateStrategy().withType(s.getOrDefault("strategy", "RollingUpdate")).endUpdateStrategy()
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withTemplate(template(s.getOrDefault("image", "nginx:2")))
                .endSpec();
        if (s.containsKey("partition")) b.editSpec().editUpdateStrategy().withNewRollingUpdate().withPartition(Integer.parseInt(s.get("partition"))).endRollingUpdate().endUpdateStrategy().endSpec();
        if (s.containsKey("claims")) {
            b.editSpec().withVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).endSpec();
        }
        StatefulSet set = fake.seed(b.build());
        set.setApiVersion("apps/v1");
        set.setKind("StatefulSet");
        sets.put(set);
        return set;
    }

    static PodTemplateSpec template(String image) {
        return new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
    }

    /** A revision of the set with {@code image}, number {@code n}, made the set's current one when {@code current}. */
    ControllerRevision revision(StatefulSet set, String image, long n, boolean current) {
        ControllerRevision r = fake.seed(Revisions.of(set, template(image), n, null));
        revisions.put(r);
        if (current) {
            StatefulSet copy = Copies.deep(fake.get(StatefulSet.class, "default", "web").orElseThrow());
            copy.setApiVersion("apps/v1");
            copy.setKind("StatefulSet");
            copy.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder().withCurrentRevision(r.getMetadata().getName()).build());
            sets.put(fake.updateStatus(copy));
        }
        return r;
    }

    /** A member pod {@code ordinal:phase:ready(r|-):revision name}. */
    void pod(StatefulSet set, String description, Map<String, String> revisionNames) {
        String[] f = description.split(":");
        String name = "web-" + f[0];
        var b = new PodBuilder().withNewMetadata().withNamespace("default").withName(name)
                .addToLabels("app", "web").addToLabels(StatefulSetReconciler.REVISION_LABEL, revisionNames.get(f[3]))
                .withOwnerReferences(Owners.controllerRef(set)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase(f[1]).endStatus();
        if (f[2].equals("r")) b.editStatus().addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(NOW.toString()).endCondition().endStatus();
        pods.put(fake.seed(b.build()));
    }

    List<String> podNames() {
        return fake.list(Pod.class).stream().map(p -> p.getMetadata().getName()).sorted().toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "", value = {
            // name | set | old revision (image) current? | pods ordinal:phase:ready:rev(old|new) | pods afterwards | replicas/ready/current/updated
            "OrderedReady creates the first pod only | replicas=3 | | | web-0 | 0/0/0/0",
            "OrderedReady creates the next once the lower ones are Running and Ready | replicas=3 | | 0:Running:r:new | web-0,web-1 | 1/1/1/1",
            "OrderedReady waits for a pod not yet Ready | replicas=3 | | 0:Running:-:new | web-0 | 1/0/1/1",
            "Parallel creates every pod at once | replicas=3 policy=Parallel | | | web-0,web-1,web-2 | 0/0/0/0",
            "scale down removes the highest ordinal first, one at a time | replicas=1 | | 0:Running:r:new;1:Running:r:new;2:Running:r:new | web-0,web-1 | 3/3/3/3",
            "Parallel scale down removes all surplus pods | replicas=1 policy=Parallel | | 0:Running:r:new;1:Running:r:new;2:Running:r:new | web-0 | 3/3/3/3",
            "OrderedReady scale down waits for unhealthy pods | replicas=1 | | 0:Running:-:new;1:Running:r:new | web-0,web-1 | 2/1/2/2",
            "a failed pod is replaced under its name | replicas=2 | | 0:Running:r:new;1:Failed:-:new | web-0 | 2/1/2/2",
            "RollingUpdate replaces the highest old pod first | replicas=3 | nginx:1 | 0:Running:r:old;1:Running:r:old;2:Running:r:old | web-0,web-1 | 3/3/3/0",
            "RollingUpdate waits for the updated pod to be Ready | replicas=3 | nginx:1 | 0:Running:r:old;1:Running:r:old;2:Running:-:new | web-0,web-1,web-2 | 3/2/2/1",
            "RollingUpdate continues below an updated Ready pod | replicas=3 | nginx:1 | 0:Running:r:old;1:Running:r:old;2:Running:r:new | web-0,web-2 | 3/3/2/1",
            "a partition keeps the lower ordinals old | replicas=3 partition=2 | nginx:1 | 0:Running:r:old;1:Running:r:old;2:Running:r:new | web-0,web-1,web-2 | 3/3/2/1",
            "OnDelete leaves old pods alone | replicas=2 strategy=OnDelete | nginx:1 | 0:Running:r:old;1:Running:r:old | web-0,web-1 | 2/2/2/0",
            "a finished update makes the update revision current | replicas=2 | nginx:1 | 0:Running:r:new;1:Running:r:new | web-0,web-1 | 2/2/2/2",
    })
    void reconcilesPodsAndStatus(String name, String settings, String oldImage, String podList, String remaining, String counts) {
        StatefulSet set = set(settings);
        Map<String, String> names = new java.util.HashMap<>();
        if (oldImage != null) names.put("old", revision(set, oldImage, 1, true).getMetadata().getName());
        ControllerRevision updateRevision = Revisions.of(set, set.getSpec().getTemplate(), oldImage == null ? 1 : 2, null);
        names.put("new", updateRevision.getMetadata().getName());
        if (podList != null) for (String p : podList.split(";")) pod(set, p, names);

        reconciler().reconcile("default/web");

        assertThat(podNames()).isEqualTo(List.of(remaining.split(",")));
        var status = fake.get(StatefulSet.class, "default", "web").orElseThrow().getStatus();
        // Counts are of the pods as the pass found them; what it created or deleted counts from the next pass, as in kube.
        assertThat(status.getReplicas() + "/" + status.getReadyReplicas() + "/" + status.getCurrentReplicas() + "/" + status.getUpdatedReplicas())
                .isEqualTo(counts);
        assertThat(status.getUpdateRevision()).isEqualTo(names.get("new"));
    }

    @Test
    void podsCarryTheirIdentityAndClaimsAreMadeAndKept() {
        set("replicas=2 policy=Parallel claims=true");
        reconciler().reconcile("default/web");
        Pod pod = fake.get(Pod.class, "default", "web-1").orElseThrow();
        assertThat(pod.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
                .containsEntry("apps.kubernetes.io/pod-index", "1").containsEntry("app", "web")
                .containsKey("controller-revision-hash");
        assertThat(pod.getSpec().getHostname()).isEqualTo("web-1");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("web-headless");
        assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("data");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("data-web-1");
        });
        assertThat(fake.list(PersistentVolumeClaim.class)).extracting(c -> c.getMetadata().getName()).containsExactly("data-web-0", "data-web-1");
        assertThat(fake.list(PersistentVolumeClaim.class).getFirst().getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(events.events()).contains("Normal SuccessfulCreate default/web: create Claim data-web-0 Pod web-0 in StatefulSet web success");

        // Scale to zero: the pods go, the claims stay.
        StatefulSet scaled = fake.get(StatefulSet.class, "default", "web").orElseThrow();
        scaled.getSpec().setReplicas(0);
        scaled.setApiVersion("apps/v1");
        scaled.setKind("StatefulSet");
        sets.put(fake.update(scaled));
        fake.list(Pod.class).forEach(pods::put);
        reconciler().reconcile("default/web");
        assertThat(podNames()).isEmpty();
        assertThat(fake.list(PersistentVolumeClaim.class)).hasSize(2);
    }

    @Test
    void aRollbackReusesTheOldRevisionWithTheNextNumber() {
        StatefulSet set = set("replicas=1 image=nginx:1");
        ControllerRevision first = revision(set, "nginx:1", 1, true);
        revision(set, "nginx:2", 2, false);
        reconciler().reconcile("default/web");
        List<ControllerRevision> stored = fake.list(ControllerRevision.class);
        assertThat(stored).hasSize(2);
        assertThat(stored.stream().filter(r -> r.getMetadata().getName().equals(first.getMetadata().getName())).findFirst().orElseThrow().getRevision())
                .isEqualTo(3L);
        assertThat(Revisions.template(first).getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx:1");
        var data = io.kube4j.machinery.object.Json.MAPPER.valueToTree(first.getData());
        assertThat(((tools.jackson.databind.JsonNode) data).path("spec").path("template").path("$patch").asString()).isEqualTo("replace");
    }

    @Test
    void aSecondPassChangesNothing() {
        set("replicas=2 policy=Parallel");
        reconciler().reconcile("default/web");
        fake.list(Pod.class).forEach(pods::put);
        fake.list(ControllerRevision.class).forEach(revisions::put);
        StatefulSet stored = fake.get(StatefulSet.class, "default", "web").orElseThrow();
        stored.setApiVersion("apps/v1");
        stored.setKind("StatefulSet");
        sets.put(stored);
        reconciler().reconcile("default/web");
        fake.clearActions();
        fake.list(Pod.class).forEach(pods::put);
        stored = fake.get(StatefulSet.class, "default", "web").orElseThrow();
        stored.setApiVersion("apps/v1");
        stored.setKind("StatefulSet");
        sets.put(stored);
        reconciler().reconcile("default/web");
        assertThat(fake.actions()).isEmpty();
    }
}
