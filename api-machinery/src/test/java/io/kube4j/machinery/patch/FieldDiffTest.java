package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class FieldDiffTest {

    private static final PatchMeta DEPLOYMENT = KubernetesPatchMeta.forKind("apps", "Deployment");

    private static final String BASE = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
            + "'namespace':'default','uid':'u1','resourceVersion':'5','generation':1,'labels':{'app':'web'},"
            + "'finalizers':['a']},'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},"
            + "'template':{'spec':{'containers':[{'name':'c1','image':'nginx:1','args':['-x']}]}}},"
            + "'status':{'replicas':1}}";

    /** {@code BASE} with one text replaced, for writes that change a little. */
    private static String base(String from, String to) {
        if (!BASE.contains(from)) throw new IllegalArgumentException(from);
        return BASE.replace(from, to);
    }

    private static final String C1 = ".spec.template.spec.containers[name=\"c1\"]";
    private static final String C2 = ".spec.template.spec.containers[name=\"c2\"]";

    record Case(String name, String before, String after, List<String> changed, List<String> removed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a create changes every field the object sets, but not the server's metadata; maps and lists "
                        + "the zero value lacks are the creator's too", null, BASE,
                        List.of(".metadata.finalizers", ".metadata.finalizers[=\"a\"]", ".metadata.labels",
                                ".metadata.labels.app", ".spec.replicas",
                                ".spec.selector", C1, C1 + ".args", C1 + ".image", C1 + ".name", ".status.replicas"),
                        List.of()),
                new Case("an identical object changes nothing", BASE, BASE, List.of(), List.of()),
                new Case("server-set metadata is nobody's", BASE,
                        base("'resourceVersion':'5','generation':1", "'resourceVersion':'9','generation':2,"
                                + "'managedFields':[{'manager':'x'}],'creationTimestamp':'2026-01-01T00:00:00Z'"),
                        List.of(), List.of()),
                new Case("a scalar given another value", BASE, base("'replicas':1,", "'replicas':3,"),
                        List.of(".spec.replicas"), List.of()),
                new Case("numbers compare as JSON numbers", BASE, base("'replicas':1,", "'replicas':1.0,"),
                        List.of(), List.of()),
                new Case("a field added to a map", BASE, base("'labels':{'app':'web'}", "'labels':{'app':'web','tier':'f'}"),
                        List.of(".metadata.labels.tier"), List.of()),
                new Case("a field taken out of a map", base("'labels':{'app':'web'}", "'labels':{'app':'web','tier':'f'}"),
                        BASE, List.of(), List.of(".metadata.labels.tier")),
                new Case("a field set to null is taken out", BASE, base("'replicas':1,", "'replicas':null,"),
                        List.of(), List.of(".spec.replicas")),
                new Case("a keyed element added, with its . entry", BASE,
                        base("'args':['-x']}]", "'args':['-x']},{'name':'c2','image':'redis'}]"),
                        List.of(C2, C2 + ".image", C2 + ".name"), List.of()),
                new Case("a keyed element removed, as a whole", base("'args':['-x']}]", "'args':['-x']},{'name':'c2'}]"),
                        BASE, List.of(), List.of(C2)),
                new Case("a field inside a keyed element", BASE, base("nginx:1", "nginx:2"),
                        List.of(C1 + ".image"), List.of()),
                new Case("an atomic list is one field", BASE, base("['-x']", "['-x','-y']"),
                        List.of(C1 + ".args"), List.of()),
                new Case("an atomic struct is one field", BASE,
                        base("'matchLabels':{'app':'web'}", "'matchLabels':{'app':'web','x':'y'}"),
                        List.of(".spec.selector"), List.of()),
                new Case("a set gains and loses values", BASE, base("'finalizers':['a']", "'finalizers':['b']"),
                        List.of(".metadata.finalizers[=\"b\"]"), List.of(".metadata.finalizers[=\"a\"]")),
                new Case("status counts", BASE, base("'status':{'replicas':1}", "'status':{'replicas':2}"),
                        List.of(".status.replicas"), List.of()),
                new Case("a map that becomes empty loses what it held, not itself", BASE,
                        base("'labels':{'app':'web'}", "'labels':{}"),
                        List.of(), List.of(".metadata.labels.app")),
                new Case("an empty map that gets fields gives the writer those fields only",
                        base("'labels':{'app':'web'}", "'labels':{}"), BASE,
                        List.of(".metadata.labels.app"), List.of()),
                new Case("a map brought where there was none is its writer's, with what it holds", BASE,
                        base("'labels'", "'annotations':{'a':'b'},'labels'"),
                        List.of(".metadata.annotations", ".metadata.annotations.a"), List.of()),
                new Case("an empty map brought where there was none is a leaf of its writer's", BASE,
                        base("'labels'", "'annotations':{},'labels'"),
                        List.of(".metadata.annotations"), List.of()),
                new Case("a list brought into an existing element is its writer's, each keyed element too (a port is "
                        + "keyed by its protocol as well, TCP when left out)", BASE,
                        base("'args':['-x']}", "'args':['-x'],'ports':[{'containerPort':80}]}"),
                        List.of(C1 + ".ports", C1 + ".ports[containerPort=80,protocol=\"TCP\"]",
                                C1 + ".ports[containerPort=80,protocol=\"TCP\"].containerPort"),
                        List.of()),
                new Case("a struct every container has (resources) is not its filler's, what goes in is", BASE,
                        base("'args':['-x']}", "'args':['-x'],'resources':{'limits':{'cpu':'1'}}}"),
                        List.of(C1 + ".resources.limits", C1 + ".resources.limits.cpu"), List.of()),
                new Case("the zero value's own empty struct brought in is no change", BASE,
                        base("'args':['-x']}", "'args':['-x'],'resources':{}}"), List.of(), List.of()),
                new Case("inside a new element everything is new, resources included", BASE,
                        base("'args':['-x']}]", "'args':['-x']},{'name':'c2','resources':{'limits':{'cpu':'1'}}}]"),
                        List.of(C2, C2 + ".name", C2 + ".resources", C2 + ".resources.limits",
                                C2 + ".resources.limits.cpu"), List.of()),
                new Case("a pod template's metadata is always there: only its new labels map is the writer's", BASE,
                        base("'template':{", "'template':{'metadata':{'labels':{'app':'web'}},"),
                        List.of(".spec.template.metadata.labels", ".spec.template.metadata.labels.app"), List.of()),
                new Case("owner references are atomic elements in a list the writer brings", BASE,
                        base("'finalizers'", "'ownerReferences':[{'uid':'u','kind':'ReplicaSet','name':'r'}],'finalizers'"),
                        List.of(".metadata.ownerReferences", ".metadata.ownerReferences[uid=\"u\"]"), List.of()),
                new Case("a changed owner reference is changed as a whole",
                        base("'finalizers'", "'ownerReferences':[{'uid':'u','kind':'ReplicaSet','name':'r'}],'finalizers'"),
                        base("'finalizers'", "'ownerReferences':[{'uid':'u','kind':'ReplicaSet','name':'s'}],'finalizers'"),
                        List.of(".metadata.ownerReferences[uid=\"u\"]"), List.of()),
                new Case("a subtree added at once lists every field in it, and the maps it brings (not the strategy "
                        + "struct a Deployment always has)", BASE,
                        base("'replicas':1,", "'replicas':1,'strategy':{'type':'RollingUpdate',"
                                + "'rollingUpdate':{'maxSurge':'25%'}},"),
                        List.of(".spec.strategy.rollingUpdate", ".spec.strategy.rollingUpdate.maxSurge",
                                ".spec.strategy.type"), List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void diff(Case c) {
        FieldDiff diff = FieldDiff.between(c.before() == null ? null : json(c.before()), json(c.after()), DEPLOYMENT);
        assertThat(rendered(diff.changed())).as("changed").containsExactlyInAnyOrderElementsOf(c.changed());
        assertThat(rendered(diff.removed())).as("removed").containsExactlyInAnyOrderElementsOf(c.removed());
        assertThat(diff.isEmpty()).isEqualTo(c.changed().isEmpty() && c.removed().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theOnePassFieldsOfACreateAreTheDiffFromNothing(Case c) {
        ObjectNode object = (ObjectNode) json(c.after());
        ObjectNode fields = FieldDiff.fieldsOf(object, DEPLOYMENT);
        assertThat(FieldSet.fromFieldsV1(fields)).isEqualTo(FieldDiff.between(null, object, DEPLOYMENT).changed());
        assertThat(fields.toString()).as("sorted as Kubernetes writes them")
                .isEqualTo(FieldDiff.between(null, object, DEPLOYMENT).changed().toFieldsV1().toString());
    }

    static List<String> rendered(FieldSet set) {
        return set.paths().stream().map(FieldSet::render).toList();
    }
}
