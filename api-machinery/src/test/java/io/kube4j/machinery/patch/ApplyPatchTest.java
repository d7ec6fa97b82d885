package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static io.kube4j.machinery.patch.Json.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ApplyPatchTest {

    private static final PatchMeta DEPLOYMENT = KubernetesPatchMeta.forKind("apps", "Deployment");
    private static final Instant T1 = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final Instant T2 = Instant.parse("2026-11-25T11:00:00Z");

    private static final String CONFIG = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
            + "'labels':{'app':'web','tier':'front'}},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},"
            + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx',"
            + "'image':'nginx:1.14','ports':[{'containerPort':80}]}]}}}}";

    private static final String FIELDS = "{\"f:metadata\":{\"f:labels\":{\"f:app\":{},\"f:tier\":{}}},"
            + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},\"f:template\":{\"f:metadata\":{\"f:labels\":"
            + "{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},"
            + "\"f:image\":{},\"f:name\":{},\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},"
            + "\"f:containerPort\":{}}}}}}}}}";

    private static ObjectNode created() {
        return ApplyPatch.apply(null, json(CONFIG), DEPLOYMENT, "kubectl", false, T1);
    }

    @Test
    void createsTheObjectAndRecordsWhatTheManagerOwns() {
        ObjectNode object = created();

        ObjectNode expected = (ObjectNode) json(CONFIG);
        ((ObjectNode) expected.get("metadata")).set("managedFields", json("[{'manager':'kubectl','operation':'Apply',"
                + "'apiVersion':'apps/v1','time':'2026-11-25T10:00:00Z','fieldsType':'FieldsV1'}]"));
        ((ObjectNode) expected.get("metadata").get("managedFields").get(0)).set("fieldsV1", raw(FIELDS));
        assertThat(object).isEqualTo(expected);
    }

    @Test
    void reapplyingChangesValuesAndRefreshesTheEntry() {
        JsonNode config = json(CONFIG.replace("nginx:1.14", "nginx:1.25").replace("'replicas':2", "'replicas':4"));
        ObjectNode object = ApplyPatch.apply(created(), config, DEPLOYMENT, "kubectl", false, T2);

        assertThat(object.at("/spec/template/spec/containers/0/image").stringValue()).isEqualTo("nginx:1.25");
        assertThat(object.at("/spec/replicas").intValue()).isEqualTo(4);
        assertThat(object.at("/metadata/managedFields")).hasSize(1);
        assertThat(object.at("/metadata/managedFields/0/time").stringValue()).isEqualTo("2026-11-25T11:00:00Z");
        assertThat(object.at("/metadata/managedFields/0/fieldsV1")).isEqualTo(raw(FIELDS));
    }

    record Omission(String name, String config, String pointer, String kept) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Omission> omissions() {
        return Stream.of(
                new Omission("a label", CONFIG.replace(",'tier':'front'", ""), "/metadata/labels/tier", null),
                new Omission("replicas", CONFIG.replace("'replicas':2,", ""), "/spec/replicas", null),
                new Omission("a container port", CONFIG.replace(",'ports':[{'containerPort':80}]", ""),
                        "/spec/template/spec/containers/0/ports/0", null),
                new Omission("a container", CONFIG.replace("{'name':'nginx','image':'nginx:1.14','ports':"
                        + "[{'containerPort':80}]}", "{'name':'other','image':'busybox'}"),
                        "/spec/template/spec/containers/1", "/spec/template/spec/containers/0/name"));
    }

    @ParameterizedTest
    @MethodSource("omissions")
    void removesWhatTheManagerAppliedBeforeAndOmitsNow(Omission o) {
        ObjectNode object = ApplyPatch.apply(created(), json(o.config()), DEPLOYMENT, "kubectl", false, T2);
        assertThat(object.at(o.pointer()).isMissingNode()).as(o.pointer() + " removed").isTrue();
        if (o.kept() != null) assertThat(object.at(o.kept()).stringValue()).isEqualTo("other");
    }

    /** The live object after another manager changed replicas through an update. */
    private static ObjectNode editedByHand(int replicas) {
        ObjectNode live = created();
        ((ObjectNode) live.get("spec")).put("replicas", replicas);
        ObjectNode fields = (ObjectNode) raw("{\"f:spec\":{\"f:replicas\":{}}}");
        ObjectNode entry = (ObjectNode) json("{'manager':'kubectl-edit','operation':'Update','apiVersion':'apps/v1',"
                + "'time':'2026-11-25T10:30:00Z','fieldsType':'FieldsV1'}");
        entry.set("fieldsV1", fields);
        ((tools.jackson.databind.node.ArrayNode) live.at("/metadata/managedFields")).add(entry);
        return live;
    }

    @Test
    void refusesToOverwriteAnotherManagersFieldWith409() {
        assertThatThrownBy(() -> ApplyPatch.apply(editedByHand(3), json(CONFIG), DEPLOYMENT, "kubectl", false, T2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"kubectl-edit\" using apps/v1: .spec.replicas");
                    assertThat(e.causes()).containsExactly(new StatusCause("FieldManagerConflict",
                            "conflict with \"kubectl-edit\" using apps/v1", ".spec.replicas"));
                });
    }

    @Test
    void forceTakesTheFieldOver() {
        ObjectNode object = ApplyPatch.apply(editedByHand(3), json(CONFIG), DEPLOYMENT, "kubectl", true, T2);
        assertThat(object.at("/spec/replicas").intValue()).isEqualTo(2);
        assertThat(object.at("/metadata/managedFields")).hasSize(1);
        assertThat(object.at("/metadata/managedFields/0/manager").stringValue()).isEqualTo("kubectl");
    }

    @Test
    void sameValueIsSharedAndSurvivesTheAppliersOmission() {
        ObjectNode shared = ApplyPatch.apply(editedByHand(2), json(CONFIG), DEPLOYMENT, "kubectl", false, T2);
        assertThat(shared.at("/metadata/managedFields")).hasSize(2);

        ObjectNode object = ApplyPatch.apply(shared, json(CONFIG.replace("'replicas':2,", "")), DEPLOYMENT,
                "kubectl", false, T2);
        assertThat(object.at("/spec/replicas").intValue()).as("still owned by kubectl-edit").isEqualTo(2);
    }

    @Test
    void reportsSeveralConflictsByManager() {
        ObjectNode live = editedByHand(3);
        ((ObjectNode) live.at("/metadata/labels")).put("tier", "back");
        ObjectNode entry = (ObjectNode) json("{'manager':'labeler','operation':'Apply','apiVersion':'apps/v1',"
                + "'fieldsType':'FieldsV1'}");
        entry.set("fieldsV1", raw("{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}"));
        ((tools.jackson.databind.node.ArrayNode) live.at("/metadata/managedFields")).add(entry);

        assertThatThrownBy(() -> ApplyPatch.apply(live, json(CONFIG), DEPLOYMENT, "kubectl", false, T2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 2 conflicts: conflicts with "
                            + "\"kubectl-edit\" using apps/v1:\n- .spec.replicas\n"
                            + "conflicts with \"labeler\":\n- .metadata.labels.tier");
                    assertThat(e.causes()).extracting(StatusCause::field)
                            .containsExactlyInAnyOrder(".spec.replicas", ".metadata.labels.tier");
                });
    }

    @Test
    void conflictPathsNameKeyedElements() {
        ObjectNode live = created();
        ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("image", "nginx:edited");
        ObjectNode entry = (ObjectNode) json("{'manager':'editor','operation':'Update','apiVersion':'apps/v1',"
                + "'fieldsType':'FieldsV1'}");
        entry.set("fieldsV1", raw("{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":"
                + "{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\"f:image\":{}}}}}}}"));
        ((tools.jackson.databind.node.ArrayNode) live.at("/metadata/managedFields")).add(entry);

        assertThatThrownBy(() -> ApplyPatch.apply(live, json(CONFIG), DEPLOYMENT, "kubectl", false, T2))
                .hasMessage("Apply failed with 1 conflict: conflict with \"editor\" using apps/v1: "
                        + ".spec.template.spec.containers[name=\"nginx\"].image");
    }

    @Test
    void mergesSetsKeepsStatusAndServerFields() {
        PatchMeta pod = KubernetesPatchMeta.forKind("", "Pod");
        JsonNode first = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','finalizers':['a']},"
                + "'spec':{'containers':[{'name':'c','image':'i'}]}}");
        ObjectNode live = ApplyPatch.apply(null, first, pod, "mgr", false, T1);
        ((ObjectNode) live.get("metadata")).put("uid", "u-1");
        ((tools.jackson.databind.node.ArrayNode) live.at("/metadata/finalizers")).add("server");
        live.set("status", json("{'phase':'Running'}"));
        ((ObjectNode) live.at("/spec/containers/0")).put("imagePullPolicy", "IfNotPresent");

        JsonNode second = json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','finalizers':['b']},"
                + "'spec':{'containers':[{'name':'c','image':'j'}]},'status':{'phase':'Failed'}}");
        ObjectNode object = ApplyPatch.apply(live, second, pod, "mgr", false, T2);

        assertThat(object.at("/metadata/finalizers")).isEqualTo(json("['server','b']"));
        assertThat(object.at("/metadata/uid").stringValue()).isEqualTo("u-1");
        assertThat(object.at("/status/phase").stringValue()).isEqualTo("Running");
        assertThat(object.at("/spec/containers/0")).isEqualTo(
                json("{'name':'c','image':'j','imagePullPolicy':'IfNotPresent'}"));
        assertThat(object.at("/metadata/managedFields/0/fieldsV1")).isEqualTo(raw("{\"f:metadata\":"
                + "{\"f:finalizers\":{\"v:\\\"b\\\"\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":"
                + "{\".\":{},\"f:image\":{},\"f:name\":{}}}}}"));
    }

    /** The body {@code kubectl apply --server-side} 1.32 sent ({@code ?fieldManager=kubectl&force=false}). */
    @Test
    void appliesWhatKubectlServerSideSends() {
        JsonNode body = raw("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"labels\":"
                + "{\"app\":\"web\",\"tier\":\"front\"},\"name\":\"web\",\"namespace\":\"default\"},\"spec\":"
                + "{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"env\":[{\"name\":\"A\",\"value\":"
                + "\"1\"}],\"image\":\"nginx:1.25\",\"name\":\"nginx\",\"ports\":[{\"containerPort\":80},"
                + "{\"containerPort\":443}]}]}}}}");
        ObjectNode live = (ObjectNode) json(CONFIG);
        ((ObjectNode) live.get("metadata")).put("namespace", "default").put("uid", "u-1");

        ObjectNode object = ApplyPatch.apply(live, body, DEPLOYMENT, "kubectl", false, T2);

        assertThat(object.at("/spec/template/spec/containers/0/image").stringValue()).isEqualTo("nginx:1.25");
        assertThat(object.at("/spec/template/spec/containers/0/ports")).hasSize(2);
        assertThat(object.at("/metadata/uid").stringValue()).isEqualTo("u-1");
        assertThat(object.at("/metadata/managedFields/0/manager").stringValue()).isEqualTo("kubectl");
        assertThat(object.at("/metadata/managedFields/0/operation").stringValue()).isEqualTo("Apply");
        assertThat(object.at("/metadata/managedFields/0/fieldsV1/f:spec/f:template/f:spec/f:containers")
                .has("k:{\"name\":\"nginx\"}")).isTrue();
    }

    @Test
    void aPortWithoutProtocolIsTheLiveTcpPortAndOwnerReferencesAreOwnedWhole() {
        ObjectNode live = (ObjectNode) json(CONFIG.replace("{'containerPort':80}", "{'containerPort':80,'protocol':'TCP'}"));
        ObjectNode config = (ObjectNode) json(CONFIG.replace("{'containerPort':80}", "{'containerPort':80,'name':'http'}")
                .replace("'labels':{'app':'web','tier':'front'}}", "'labels':{'app':'web','tier':'front'},"
                        + "'ownerReferences':[{'apiVersion':'v1','kind':'ConfigMap','name':'c','uid':'u1'}]}"));
        ObjectNode result = ApplyPatch.apply(live, config, DEPLOYMENT, "kubectl", false, T1);
        assertThat(result.at("/spec/template/spec/containers/0/ports")).isEqualTo(
                json("[{'containerPort':80,'protocol':'TCP','name':'http'}]"));
        JsonNode fields = result.at("/metadata/managedFields/0/fieldsV1");
        assertThat(fields.at("/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"nginx\"}/f:ports").toString())
                .isEqualTo("{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":"
                        + "{\".\":{},\"f:containerPort\":{},\"f:name\":{}}}");
        assertThat(fields.at("/f:metadata").toString()).as("no '.' on maps an applier sets fields in")
                .isEqualTo("{\"f:labels\":{\"f:app\":{},\"f:tier\":{}},"
                        + "\"f:ownerReferences\":{\"k:{\\\"uid\\\":\\\"u1\\\"}\":{}}}");
    }

    @Test
    void leavesItsArgumentsUntouched() {
        ObjectNode live = editedByHand(3);
        JsonNode liveBefore = live.deepCopy();
        JsonNode config = json(CONFIG.replace(",'tier':'front'", ""));
        JsonNode configBefore = config.deepCopy();
        ApplyPatch.apply(live, config, DEPLOYMENT, "kubectl", true, T2);
        assertThat(live).isEqualTo(liveBefore);
        assertThat(config).isEqualTo(configBefore);
    }

    record Refusal(String name, String config, String manager, int code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Refusal> refusals() {
        return List.of(
                new Refusal("no field manager", CONFIG, "", 422,
                        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"),
                new Refusal("managedFields in the configuration",
                        "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','managedFields':[]}}", "m", 400,
                        "metadata.managedFields must be nil"),
                new Refusal("no kind", "{'apiVersion':'v1','metadata':{'name':'c'}}", "m", 400,
                        "error decoding YAML: Object 'apiVersion' and 'Kind' must be set"),
                new Refusal("not an object", "['x']", "m", 400,
                        "error decoding YAML: the configuration must be an object"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesBadRequests(Refusal r) {
        assertThatThrownBy(() -> ApplyPatch.apply(null, json(r.config()), DEPLOYMENT, r.manager(), false, T1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(r.code());
                    assertThat(e.getMessage()).isEqualTo(r.message());
                });
    }

    @Test
    void fieldSetsRoundTripThroughFieldsV1() {
        FieldSet set = FieldSet.of(json(CONFIG), DEPLOYMENT);
        assertThat(set.toFieldsV1()).isEqualTo(raw(FIELDS));
        assertThat(FieldSet.fromFieldsV1(set.toFieldsV1())).isEqualTo(set);
        assertThat(FieldSet.render(List.of("f:spec", "f:ports", "k:{\"port\":80}", "f:targetPort")))
                .isEqualTo(".spec.ports[port=80].targetPort");
        assertThat(FieldSet.render(List.of("f:metadata", "f:finalizers", "v:\"x\"")))
                .isEqualTo(".metadata.finalizers[=\"x\"]");
    }
}
