package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.kube4j.machinery.errors.StatusCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ManagedFieldsTest {

    private static final PatchMeta DEPLOYMENT = KubernetesPatchMeta.forKind("apps", "Deployment");
    private static final Instant EARLIER = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00.700Z");

    private static final ManagedFields.Manager EDIT = new ManagedFields.Manager("kubectl-edit", "apps/v1", "");
    private static final ManagedFields.Manager SCALE = new ManagedFields.Manager("kubectl", "apps/v1", "scale");

    private static final String OBJECT = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
            + "'labels':{'app':'web','tier':'front'}},'spec':{'replicas':1,'template':{'spec':{'containers':"
            + "[{'name':'c1','image':'nginx:1'}]}}}}";

    /** An entry in the test's shorthand: manager, operation, apiVersion, subresource, time, then its fields. */
    private static String entry(String manager, String operation, String subresource, Instant time, String fieldsV1) {
        return "{'manager':'" + manager + "','operation':'" + operation + "','apiVersion':'apps/v1','time':'" + time
                + "','fieldsType':'FieldsV1','fieldsV1':" + fieldsV1
                + (subresource.isEmpty() ? "" : ",'subresource':'" + subresource + "'") + "}";
    }

    private static final String APPLIED = entry("kubectl", "Apply", "", EARLIER,
            "{'f:metadata':{'f:labels':{'f:app':{},'f:tier':{}}},'f:spec':{'f:replicas':{},'f:template':{'f:spec':"
                    + "{'f:containers':{'k:{\\'name\\':\\'c1\\'}':{'.':{},'f:image':{},'f:name':{}}}}}}}");

    private static ObjectNode object(String replace, String with, String managedFields) {
        ObjectNode object = (ObjectNode) json(OBJECT.replace(replace, with));
        if (managedFields != null) ((ObjectNode) object.get("metadata")).set("managedFields", json(managedFields));
        return object;
    }

    record Case(String name, ObjectNode before, ObjectNode after, ManagedFields.Manager manager, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String C1 = ".spec.template.spec.containers[name=\"c1\"]";

    static Stream<Case> cases() {
        String stored = "[" + APPLIED + "]";
        return Stream.of(
                new Case("a create gives the creator every field", null, object("", "", null),
                        new ManagedFields.Manager("kubectl-create", "apps/v1", ""),
                        List.of("kubectl-create Update apps/v1 @" + NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                                + ": .metadata.labels .metadata.labels.app .metadata.labels.tier .spec.replicas " + C1 + " " + C1
                                + ".image " + C1 + ".name")),
                new Case("an update takes a changed field from the applier, without conflict",
                        object("", "", stored), object("'replicas':1", "'replicas':4", stored), EDIT,
                        List.of("kubectl Apply apps/v1 @" + EARLIER + ": .metadata.labels.app .metadata.labels.tier "
                                        + C1 + " " + C1 + ".image " + C1 + ".name",
                                "kubectl-edit Update apps/v1 @2026-11-26T12:00:00Z: .spec.replicas")),
                new Case("a removed field leaves its owner, and the writer gets nothing for it",
                        object("", "", stored), object(",'tier':'front'", "", stored), EDIT,
                        List.of("kubectl Apply apps/v1 @" + EARLIER + ": .metadata.labels.app .spec.replicas "
                                + C1 + " " + C1 + ".image " + C1 + ".name")),
                new Case("an entry left with nothing is dropped",
                        object("", "", "[" + entry("old", "Update", "", EARLIER, "{'f:spec':{'f:replicas':{}}}") + "]"),
                        object("'replicas':1", "'replicas':2", null), EDIT,
                        List.of("kubectl-edit Update apps/v1 @2026-11-26T12:00:00Z: .spec.replicas")),
                new Case("a write that changes nothing leaves managedFields as they were, time included",
                        object("", "", stored), object("", "", stored), EDIT,
                        List.of("kubectl Apply apps/v1 @" + EARLIER + ": .metadata.labels.app .metadata.labels.tier "
                                + ".spec.replicas " + C1 + " " + C1 + ".image " + C1 + ".name")),
                new Case("the same manager's second write adds to its entry and refreshes its time",
                        object("", "", "[" + entry("kubectl-edit", "Update", "", EARLIER, "{'f:spec':{'f:replicas':{}}}") + "]"),
                        object("nginx:1", "nginx:2", null), EDIT,
                        List.of("kubectl-edit Update apps/v1 @2026-11-26T12:00:00Z: .spec.replicas " + C1 + ".image")),
                new Case("another API version is another entry",
                        object("", "", "[" + entry("kubectl-edit", "Update", "", EARLIER, "{'f:spec':{'f:replicas':{}}}") + "]"),
                        object("nginx:1", "nginx:2", null), new ManagedFields.Manager("kubectl-edit", "apps/v1beta2", ""),
                        List.of("kubectl-edit Update apps/v1 @" + EARLIER + ": .spec.replicas",
                                "kubectl-edit Update apps/v1beta2 @2026-11-26T12:00:00Z: " + C1 + ".image")),
                new Case("a subresource write has its own entry and ignores managedFields in the body",
                        object("", "", stored), object("'replicas':1", "'replicas':5", "[{}]"), SCALE,
                        List.of("kubectl Apply apps/v1 @" + EARLIER + ": .metadata.labels.app .metadata.labels.tier "
                                        + C1 + " " + C1 + ".image " + C1 + ".name",
                                "kubectl Update apps/v1 scale @2026-11-26T12:00:00Z: .spec.replicas")),
                new Case("well-formed managedFields sent by the client replace the stored ones",
                        object("", "", stored),
                        object("", "", "[" + entry("mine", "Update", "", EARLIER, "{'f:spec':{'f:replicas':{}}}") + "]"),
                        EDIT, List.of("mine Update apps/v1 @" + EARLIER + ": .spec.replicas")),
                new Case("an empty list keeps the stored ones",
                        object("", "", stored), object("'replicas':1", "'replicas':4", "[]"), EDIT,
                        List.of("kubectl Apply apps/v1 @" + EARLIER + ": .metadata.labels.app .metadata.labels.tier "
                                        + C1 + " " + C1 + ".image " + C1 + ".name",
                                "kubectl-edit Update apps/v1 @2026-11-26T12:00:00Z: .spec.replicas")),
                new Case("malformed ones keep the stored ones",
                        object("", "", stored), object("", "", "[{'manager':'x','operation':'Delete'}]"), EDIT,
                        List.of("kubectl Apply apps/v1 @" + EARLIER + ": .metadata.labels.app .metadata.labels.tier "
                                + ".spec.replicas " + C1 + " " + C1 + ".image " + C1 + ".name")),
                new Case("[{}] resets them: the writer owns only what it changed",
                        object("", "", stored), object("'replicas':1", "'replicas':4", "[{}]"), EDIT,
                        List.of("kubectl-edit Update apps/v1 @2026-11-26T12:00:00Z: .spec.replicas")),
                new Case("[{}] with no change leaves no managedFields at all",
                        object("", "", stored), object("", "", "[{}]"), EDIT, List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void recordsUpdates(Case c) {
        ObjectNode after = c.after().deepCopy();
        ObjectNode beforeCopy = c.before() == null ? null : c.before().deepCopy();
        ManagedFields.recordUpdate(c.before(), after, DEPLOYMENT, c.manager(), NOW);
        assertThat(summary(after)).containsExactlyElementsOf(c.expected());
        if (beforeCopy != null) assertThat(c.before()).as("the stored object is only read").isEqualTo(beforeCopy);
    }

    /** Each entry as "manager operation apiVersion [subresource] @time: rendered paths in fieldsV1 order". */
    static List<String> summary(ObjectNode object) {
        List<String> lines = new ArrayList<>();
        JsonNode managed = object.path("metadata").path("managedFields");
        for (JsonNode e : managed) {
            String subresource = e.path("subresource").asString("");
            lines.add(e.get("manager").asString() + " " + e.get("operation").asString() + " "
                    + e.get("apiVersion").asString() + (subresource.isEmpty() ? "" : " " + subresource)
                    + " @" + e.get("time").asString() + ": "
                    + String.join(" ", FieldSet.fromFieldsV1(e.get("fieldsV1")).paths().stream()
                    .map(FieldSet::render).distinct().sorted().toList()));
        }
        return lines;
    }

    /** A write and the fieldsV1 kube-apiserver records for its writer, as {@code --show-managed-fields} shows it. */
    record Recorded(String name, String group, String kind, String before, String after, String fieldsV1) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The Deployment {@code kubectl create deployment web --image=nginx:1.25} sends, once defaulted. */
    private static final String CREATED_DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"d",
             "labels":{"app":"web"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"progressDeadlineSeconds":600,
              "revisionHistoryLimit":10,
              "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
              "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx",
               "image":"nginx:1.25","resources":{},"terminationMessagePath":"/dev/termination-log",
               "terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always",
               "terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},
               "schedulerName":"default-scheduler"}}}}""";

    static Stream<Recorded> recorded() {
        return Stream.of(
                new Recorded("kubectl create deployment: the maps and keyed elements it brings carry a '.', the "
                        + "structs every Deployment has do not", "apps", "Deployment", null, CREATED_DEPLOYMENT, """
                        {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                         "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},
                          "f:selector":{},
                          "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
                          "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
                           "f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},
                             "f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},
                             "f:terminationMessagePolicy":{}}},
                            "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},
                            "f:terminationGracePeriodSeconds":{}}}}}"""),
                new Recorded("kubectl create configmap: data is a map no ConfigMap has until it is set", "",
                        "ConfigMap", null, """
                        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}""", """
                        {"f:data":{".":{},"f:k":{}}}"""),
                new Recorded("a container port list is its writer's, each port too", "apps", "Deployment", null,
                        CREATED_DEPLOYMENT.replace("\"resources\":{}", "\"ports\":[{\"containerPort\":80}],\"resources\":{}"),
                        null),
                new Recorded("the deployment controller's status write: annotations and conditions are new, status "
                        + "is not", "apps", "Deployment", CREATED_DEPLOYMENT, CREATED_DEPLOYMENT.replace(
                        "\"labels\":{\"app\":\"web\"}},\n", "\"labels\":{\"app\":\"web\"},"
                                + "\"annotations\":{\"deployment.kubernetes.io/revision\":\"1\"}},\n")
                        .replaceFirst("}$", ",\"status\":{\"replicas\":1,\"conditions\":[{\"type\":\"Available\","
                                + "\"status\":\"True\"}]}}"), """
                        {"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}},
                         "f:status":{"f:conditions":{".":{},"k:{\\"type\\":\\"Available\\"}":{".":{},"f:status":{},
                          "f:type":{}}},"f:replicas":{}}}"""),
                new Recorded("a controller's owner reference: a new list of atomic elements", "apps", "ReplicaSet",
                        null, """
                        {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1","ownerReferences":[
                         {"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"u1","controller":true,
                          "blockOwnerDeletion":true}]},"spec":{"replicas":1}}""", """
                        {"f:metadata":{"f:ownerReferences":{".":{},"k:{\\"uid\\":\\"u1\\"}":{}}},"f:spec":{"f:replicas":{}}}"""),
                new Recorded("a custom resource has no zero value: its spec is its creator's", "example.com", "Widget",
                        null, """
                        {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"b"}},
                         "spec":{"size":3,"nested":{"x":1}}}""", """
                        {"f:metadata":{"f:labels":{".":{},"f:a":{}}},"f:spec":{".":{},"f:nested":{".":{},"f:x":{}},
                         "f:size":{}}}"""),
                new Recorded("an event: its involved object is one atomic field, its source a struct every Event "
                        + "has", "", "Event", null, """
                        {"apiVersion":"v1","kind":"Event","metadata":{"name":"e","namespace":"d"},
                         "involvedObject":{"kind":"Pod","namespace":"d","name":"p","uid":"u"},"reason":"Scheduled",
                         "message":"ok","source":{"component":"default-scheduler"},"count":1,"type":"Normal"}""", """
                        {"f:count":{},"f:involvedObject":{},"f:message":{},"f:reason":{},
                         "f:source":{"f:component":{}},"f:type":{}}"""),
                new Recorded("a label added to existing labels is the label alone", "apps", "Deployment",
                        CREATED_DEPLOYMENT, CREATED_DEPLOYMENT.replace("{\"app\":\"web\"}},\n",
                        "{\"app\":\"web\",\"tier\":\"front\"}},\n"), """
                        {"f:metadata":{"f:labels":{"f:tier":{}}}}"""));
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void recordsTheFieldsKubeApiserverRecords(Recorded c) {
        PatchMeta meta = KubernetesPatchMeta.forKind(c.group(), c.kind());
        ObjectNode before = c.before() == null ? null : (ObjectNode) Json.raw(c.before());
        ObjectNode after = (ObjectNode) Json.raw(c.after());
        ManagedFields.recordUpdate(before, after, meta, new ManagedFields.Manager("writer", "v1", ""), NOW);
        JsonNode mine = after.at("/metadata/managedFields").valueStream()
                .filter(e -> e.get("manager").asString().equals("writer")).findFirst().orElseThrow();
        if (c.fieldsV1() == null) {
            assertThat(mine.at("/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"nginx\"}/f:ports"))
                    .isEqualTo(Json.raw("""
                            {".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},
                             "f:containerPort":{}}}"""));
            return;
        }
        // Compared as text: the order of keys is part of what kubectl shows.
        assertThat(mine.get("fieldsV1").toString()).isEqualTo(Json.raw(c.fieldsV1()).toString());
        // The one-pass build of a create and the comparison with the zero value agree.
        if (before == null) {
            assertThat(FieldSet.fromFieldsV1(mine.get("fieldsV1")))
                    .isEqualTo(FieldDiff.between(null, Json.raw(c.after()), meta).changed());
        }
    }

    @ParameterizedTest(name = "[{index}] status owned: {0}")
    @CsvSource(delimiter = '|', value = {
            "false | {'f:metadata':{'f:labels':{'.':{},'f:kubernetes.io/metadata.name':{}}}}",
            "true | {'f:metadata':{'f:labels':{'.':{},'f:kubernetes.io/metadata.name':{}}},'f:status':{'f:phase':{}}}"})
    void aWriteToTheObjectItselfOwnsNothingInAStatusWithItsOwnSubresource(boolean statusOwned, String fieldsV1) {
        ObjectNode namespace = (ObjectNode) json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'dev',"
                + "'labels':{'kubernetes.io/metadata.name':'dev'}},'spec':{},'status':{'phase':'Active'}}");
        ObjectNode created = namespace.deepCopy();
        ManagedFields.Manager creator = new ManagedFields.Manager("kubectl-create", "v1", "");
        ManagedFields.recordUpdate(null, created, KubernetesPatchMeta.forKind("", "Namespace"), creator, NOW, statusOwned);
        assertThat(created.at("/metadata/managedFields/0/fieldsV1")).isEqualTo(json(fieldsV1));

        // An update by another manager that also changes the phase takes only the label it adds.
        ObjectNode updated = created.deepCopy();
        ((ObjectNode) updated.get("metadata").get("labels")).put("team", "a");
        ((ObjectNode) updated.get("status")).put("phase", "Terminating");
        ManagedFields.recordUpdate(created, updated, KubernetesPatchMeta.forKind("", "Namespace"), EDIT, NOW, false);
        assertThat(updated.at("/metadata/managedFields/1/fieldsV1")).isEqualTo(json("{'f:metadata':{'f:labels':{'f:team':{}}}}"));
        assertThat(updated.at("/metadata/managedFields/0/fieldsV1")).as("the creator keeps what it had")
                .isEqualTo(json(fieldsV1));
    }

    @Test
    void aMemberThatGainsChildrenKeepsItsMembershipAsADotAndLosesItAgain() {
        ObjectNode tree = (ObjectNode) json("{'f:spec':{'f:template':{}}}");
        ManagedFields.FieldsTree.add(tree, List.of("f:spec", "f:template", "f:metadata"));
        assertThat(tree).isEqualTo(json("{'f:spec':{'f:template':{'.':{},'f:metadata':{}}}}"));
        ManagedFields.FieldsTree.remove(tree, List.of("f:spec", "f:template"));
        assertThat(tree).isEqualTo(json("{'f:spec':{'f:template':{'f:metadata':{}}}}"));
        ManagedFields.FieldsTree.remove(tree, List.of("f:spec", "f:template", "f:metadata"));
        assertThat(tree).as("ancestors leading nowhere go too").isEqualTo(json("{}"));
    }

    @Test
    void entriesAreOrderedAsKubernetesOrdersThem() {
        ObjectNode before = object("", "", "[" + entry("z-late", "Update", "", NOW.plus(Duration.ofHours(1)),
                "{'f:metadata':{'f:labels':{'f:app':{}}}}") + "," + entry("a-early", "Update", "", EARLIER,
                "{'f:metadata':{'f:labels':{'f:tier':{}}}}") + "," + APPLIED + "]");
        ObjectNode after = object("'replicas':1", "'replicas':2", null);
        ManagedFields.recordUpdate(before, after, DEPLOYMENT, EDIT, NOW);
        assertThat(after.at("/metadata/managedFields").valueStream().map(e -> e.get("manager").asString()))
                .containsExactly("kubectl", "a-early", "kubectl-edit", "z-late");
    }

    @Test
    void pastTenUpdateEntriesTheOldestMergeIntoAncientChanges() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(entry("m" + i, "Update", "", EARLIER.plus(Duration.ofMinutes(i)),
                    "{'f:metadata':{'f:annotations':{'f:a" + i + "':{}}}}"));
        }
        ObjectNode before = object("", "", "[" + String.join(",", entries) + "]");
        ObjectNode after = object("'replicas':1", "'replicas':2", null);
        ManagedFields.recordUpdate(before, after, DEPLOYMENT, EDIT, NOW);
        List<String> summary = summary(after);
        assertThat(summary).hasSize(10);
        assertThat(summary.getFirst()).isEqualTo("ancient-changes Update apps/v1 @"
                + EARLIER.plus(Duration.ofMinutes(1)) + ": .metadata.annotations.a0 .metadata.annotations.a1");
        assertThat(summary.get(1)).startsWith("m2 Update");
        assertThat(summary.getLast()).isEqualTo("kubectl-edit Update apps/v1 @2026-11-26T12:00:00Z: .spec.replicas");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'' | kubectl/v1.32.3 (linux/amd64) kubernetes/32cc146 | kubectl",
            "'' | fabric8-kubernetes-client/8.0.0 | fabric8-kubernetes-client",
            "'' | Python-urllib/3.11 | Python-urllib",
            "'' | no-slash-at-all | no-slash-at-all",
            "mine | kubectl/v1.32.3 | mine",
            "'' | '' | ''"})
    void managerComesFromTheParameterElseTheUserAgent(String fieldManager, String userAgent, String expected) {
        assertThat(ManagedFields.managerName(fieldManager, userAgent)).isEqualTo(expected);
    }

    @Test
    void aUserAgentPrefixLosesUnprintableCharactersAndIsCut() {
        assertThat(ManagedFields.managerName(null, "a\u0001b\tc/1")).isEqualTo("abc");
        assertThat(ManagedFields.managerName(null, "x".repeat(200) + "/1")).isEqualTo("x".repeat(128));
    }

    @Test
    void fieldManagersAreValidatedAsKubernetesValidatesThem() {
        assertThat(ManagedFields.validateName("kubectl-edit")).isEmpty();
        assertThat(ManagedFields.validateName("x".repeat(128))).isEmpty();
        assertThat(ManagedFields.validateName("x".repeat(129))).containsExactly(
                new StatusCause("FieldValueTooLong", "Too long: may not be more than 128 bytes", "fieldManager"));
        assertThat(ManagedFields.validateName("a\u0001b")).containsExactly(new StatusCause("FieldValueInvalid",
                "Invalid value: \"a\\x01b\": invalid character U+0001 (at position 1)", "fieldManager"));
    }

    /** The cost this adds to every write, printed for the record (no assertion on time). */
    @Test
    void costOfRecordingAnUpdate() {
        ObjectNode pod = (ObjectNode) json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'d',"
                + "'labels':{'app':'web','pod-template-hash':'abc'},'ownerReferences':[{'apiVersion':'apps/v1',"
                + "'kind':'ReplicaSet','name':'web-abc','uid':'u','controller':true}]},'spec':{'containers':[{'name':"
                + "'web','image':'nginx:1','ports':[{'containerPort':80,'protocol':'TCP'}],'env':[{'name':'A','value':"
                + "'1'},{'name':'B','value':'2'}],'resources':{'requests':{'cpu':'100m'}},'terminationMessagePath':"
                + "'/dev/termination-log','imagePullPolicy':'IfNotPresent'}],'restartPolicy':'Always',"
                + "'terminationGracePeriodSeconds':30,'dnsPolicy':'ClusterFirst','schedulerName':'default-scheduler',"
                + "'nodeName':'n1'},'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
                + "'podIP':'10.0.0.5','startTime':'2026-11-26T12:00:00Z'}}");
        PatchMeta podMeta = KubernetesPatchMeta.forKind("", "Pod");
        ManagedFields.Manager creator = new ManagedFields.Manager("kube4j-controllers", "v1", "");
        ManagedFields.Manager kubelet = new ManagedFields.Manager("kube4j-node-agent", "v1", "status");
        ObjectNode created = pod.deepCopy();
        ManagedFields.recordUpdate(null, created, podMeta, creator, NOW);
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        int rounds = 3_000;
        long createNanos = 0;
        long statusNanos = 0;
        long serializeNanos = 0;
        for (int i = 0; i < rounds; i++) {
            ObjectNode next = pod.deepCopy();
            long t0 = System.nanoTime();
            ManagedFields.recordUpdate(null, next, podMeta, creator, NOW);
            createNanos += System.nanoTime() - t0;
            ObjectNode status = created.deepCopy();
            ((ObjectNode) status.get("status")).put("podIP", "10.0.0." + (i % 250));
            t0 = System.nanoTime();
            ManagedFields.recordUpdate(created, status, podMeta, kubelet, NOW);
            statusNanos += System.nanoTime() - t0;
            t0 = System.nanoTime();
            mapper.writeValueAsBytes(status);
            serializeNanos += System.nanoTime() - t0;
        }
        // Set beside what every write pays anyway: serializing the object once for the store.
        System.out.printf("managedFields cost per write: create of a pod %.1f us, status update %.1f us; "
                        + "serializing that pod once %.1f us%n",
                createNanos / 1e3 / rounds, statusNanos / 1e3 / rounds, serializeNanos / 1e3 / rounds);
        assertThat(((ArrayNode) created.at("/metadata/managedFields"))).hasSize(1);
    }
}
