package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import io.kube4j.machinery.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class StrategicMergePatchTest {

    record Case(String name, String group, String kind, String target, String patch, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case pod(String name, String target, String patch, String expected) {
        return new Case(name, "", "Pod", target, patch, expected);
    }

    private static Case deployment(String name, String target, String patch, String expected) {
        return new Case(name, "apps", "Deployment", target, patch, expected);
    }

    private static final String NGINX_DEPLOYMENT = "{'metadata':{'name':'web','labels':{'app':'web','tier':'front'}},"
            + "'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':["
            + "{'name':'nginx','image':'nginx:1.14','ports':[{'containerPort':80},{'containerPort':443}],"
            + "'env':[{'name':'A','value':'1'}]}]}}}}";

    /** Patches of the shape {@code kubectl apply} sends: computed from the last-applied configuration. */
    static Stream<Case> kubectlApplyPatches() {
        return Stream.of(
                deployment("change an image", NGINX_DEPLOYMENT,
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                                + "'containers':[{'image':'nginx:1.25','name':'nginx'}]}}}}",
                        NGINX_DEPLOYMENT.replace("nginx:1.14", "nginx:1.25")),
                deployment("remove a container port", NGINX_DEPLOYMENT,
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                                + "'containers':[{'$setElementOrder/ports':[{'containerPort':80}],'name':'nginx',"
                                + "'ports':[{'$patch':'delete','containerPort':443}]}]}}}}",
                        NGINX_DEPLOYMENT.replace(",{'containerPort':443}", "")),
                deployment("add an env var", NGINX_DEPLOYMENT,
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                                + "'containers':[{'$setElementOrder/env':[{'name':'A'},{'name':'B'}],"
                                + "'env':[{'name':'B','value':'2'}],'name':'nginx'}]}}}}",
                        NGINX_DEPLOYMENT.replace("{'name':'A','value':'1'}",
                                "{'name':'A','value':'1'},{'name':'B','value':'2'}")),
                deployment("add an env var before an existing one", NGINX_DEPLOYMENT,
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                                + "'containers':[{'$setElementOrder/env':[{'name':'Z'},{'name':'A'}],"
                                + "'env':[{'name':'Z','value':'0'}],'name':'nginx'}]}}}}",
                        NGINX_DEPLOYMENT.replace("{'name':'A','value':'1'}",
                                "{'name':'Z','value':'0'},{'name':'A','value':'1'}")),
                deployment("delete a label and record the new configuration", NGINX_DEPLOYMENT,
                        "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'},"
                                + "'labels':{'tier':null}}}",
                        NGINX_DEPLOYMENT.replace("'labels':{'app':'web','tier':'front'}}",
                                "'labels':{'app':'web'},'annotations':"
                                        + "{'kubectl.kubernetes.io/last-applied-configuration':'{}'}}")),
                deployment("scale and change a port at once", NGINX_DEPLOYMENT,
                        "{'spec':{'replicas':5,'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                                + "'containers':[{'$setElementOrder/ports':[{'containerPort':80},"
                                + "{'containerPort':8443}],'name':'nginx','ports':[{'containerPort':8443},"
                                + "{'$patch':'delete','containerPort':443}]}]}}}}",
                        NGINX_DEPLOYMENT.replace("'replicas':2", "'replicas':5").replace("443}", "8443}")),
                deployment("add a second container", NGINX_DEPLOYMENT,
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'},"
                                + "{'name':'sidecar'}],'containers':[{'image':'busybox','name':'sidecar'}]}}}}",
                        NGINX_DEPLOYMENT.replace("}]}}}}", "},{'image':'busybox','name':'sidecar'}]}}}}")),
                deployment("remove a container", NGINX_DEPLOYMENT.replace("}]}}}}",
                                "},{'name':'sidecar','image':'busybox'}]}}}}"),
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                                + "'containers':[{'$patch':'delete','name':'sidecar'}]}}}}",
                        NGINX_DEPLOYMENT),
                deployment("switch the rollout strategy, dropping rollingUpdate with $retainKeys",
                        "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
                        "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}",
                        "{'spec':{'strategy':{'type':'Recreate'}}}"),
                deployment("change a volume's source with $retainKeys",
                        "{'spec':{'template':{'spec':{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','emptyDir':{}}]}}}}",
                        "{'spec':{'template':{'spec':{'$setElementOrder/volumes':[{'name':'v'},{'name':'w'}],"
                                + "'volumes':[{'$retainKeys':['configMap','name'],'configMap':{'name':'cm'},"
                                + "'emptyDir':null,'name':'v'}]}}}}",
                        "{'spec':{'template':{'spec':{'volumes':[{'name':'v','configMap':{'name':'cm'}},"
                                + "{'name':'w','emptyDir':{}}]}}}}"),
                deployment("reorder containers only", "{'spec':{'template':{'spec':{'containers':"
                                + "[{'name':'a'},{'name':'b'}]}}}}",
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'b'},{'name':'a'}]}}}}"),
                deployment("keep a container the server added, in its place",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'s'}]}}}}",
                        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'},"
                                + "{'name':'b'}],'containers':[{'name':'c','image':'x'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'c','image':'x'},"
                                + "{'name':'b'},{'name':'s'}]}}}}"),
                new Case("finalizers with $setElementOrder and $deleteFromPrimitiveList", "", "ConfigMap",
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'$setElementOrder/finalizers':['b','c'],"
                                + "'$deleteFromPrimitiveList/finalizers':['a'],'finalizers':['c']}}",
                        "{'metadata':{'finalizers':['b','c']}}"),
                new Case("replace a list without strategy (args)", "", "Pod",
                        "{'spec':{'containers':[{'name':'a','args':['x','y']}]}}",
                        "{'spec':{'$setElementOrder/containers':[{'name':'a'}],"
                                + "'containers':[{'args':['z'],'name':'a'}]}}",
                        "{'spec':{'containers':[{'name':'a','args':['z']}]}}"));
    }

    /** Patches people write by hand with {@code kubectl patch --type strategic}, and the directives. */
    static Stream<Case> handWrittenPatches() {
        return Stream.of(
                pod("merge a map, null deletes, unmatched null ignored",
                        "{'metadata':{'labels':{'a':'1','b':'2'}}}",
                        "{'metadata':{'labels':{'a':null,'c':'3','z':null}}}",
                        "{'metadata':{'labels':{'b':'2','c':'3'}}}"),
                pod("new container goes first when there is no order directive",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'c'}]}}",
                        "{'spec':{'containers':[{'name':'c'},{'name':'a'},{'name':'b'}]}}"),
                pod("patch elements come in patch order, live ones keep their place",
                        "{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'},{'name':'c'}]}}",
                        "{'spec':{'containers':[{'name':'c','image':'3'},{'name':'a','image':'2'}]}}",
                        "{'spec':{'containers':[{'name':'b'},{'name':'c','image':'3'},{'name':'a','image':'2'}]}}"),
                pod("merge keys compare numbers by value", "{'spec':{'containers':[{'name':'a','ports':"
                                + "[{'containerPort':80,'name':'http'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80.0,'protocol':'TCP'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80.0,'name':'http',"
                                + "'protocol':'TCP'}]}]}}"),
                pod("merge env by name", "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'2'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'2'}]}]}}"),
                pod("merge volumeMounts by mountPath",
                        "{'spec':{'containers':[{'name':'a','volumeMounts':[{'mountPath':'/d','name':'v'}]}]}}",
                        "{'spec':{'containers':[{'name':'a','volumeMounts':[{'mountPath':'/d','readOnly':true}]}]}}",
                        "{'spec':{'containers':[{'name':'a','volumeMounts':[{'mountPath':'/d','name':'v',"
                                + "'readOnly':true}]}]}}"),
                pod("tolerations have no strategy: replaced",
                        "{'spec':{'tolerations':[{'key':'a'},{'key':'b'}]}}",
                        "{'spec':{'tolerations':[{'key':'c'}]}}",
                        "{'spec':{'tolerations':[{'key':'c'}]}}"),
                pod("imagePullSecrets merge by name",
                        "{'spec':{'imagePullSecrets':[{'name':'a'}]}}",
                        "{'spec':{'imagePullSecrets':[{'name':'b'}]}}",
                        "{'spec':{'imagePullSecrets':[{'name':'b'},{'name':'a'}]}}"),
                pod("initContainers merge by name",
                        "{'spec':{'initContainers':[{'name':'i','image':'a'}]}}",
                        "{'spec':{'initContainers':[{'name':'i','image':'b'}]}}",
                        "{'spec':{'initContainers':[{'name':'i','image':'b'}]}}"),
                pod("status conditions merge by type",
                        "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
                        "{'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}"),
                pod("containerStatuses are replaced",
                        "{'status':{'containerStatuses':[{'name':'a','ready':false},{'name':'b'}]}}",
                        "{'status':{'containerStatuses':[{'name':'a','ready':true}]}}",
                        "{'status':{'containerStatuses':[{'name':'a','ready':true}]}}"),
                pod("ownerReferences merge by uid",
                        "{'metadata':{'ownerReferences':[{'uid':'1','name':'a'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'2','name':'b'}]}}",
                        "{'metadata':{'ownerReferences':[{'uid':'2','name':'b'},{'uid':'1','name':'a'}]}}"),
                pod("finalizers merge as a set, new ones first",
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'finalizers':['b','c']}}",
                        "{'metadata':{'finalizers':['a','b','c']}}"),
                pod("a finalizer added alone goes first",
                        "{'metadata':{'finalizers':['a','b']}}",
                        "{'metadata':{'finalizers':['c']}}",
                        "{'metadata':{'finalizers':['c','a','b']}}"),
                pod("$deleteFromPrimitiveList removes values",
                        "{'metadata':{'finalizers':['a','b','c']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','x']}}",
                        "{'metadata':{'finalizers':['a','c']}}"),
                pod("$deleteFromPrimitiveList of an absent list deletes nothing",
                        "{'metadata':{}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
                        "{'metadata':{}}"),
                pod("$patch: replace on a map",
                        "{'spec':{'nodeSelector':{'a':'1','b':'2'}}}",
                        "{'spec':{'nodeSelector':{'$patch':'replace','c':'3'}}}",
                        "{'spec':{'nodeSelector':{'c':'3'}}}"),
                pod("$patch: delete on a map empties it",
                        "{'spec':{'securityContext':{'runAsUser':1}}}",
                        "{'spec':{'securityContext':{'$patch':'delete'}}}",
                        "{'spec':{'securityContext':{}}}"),
                pod("$patch: replace in a list element replaces the list",
                        "{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'2'},{'$patch':'replace'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'2'}]}}"),
                pod("$patch: delete in a list element removes it",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}",
                        "{'spec':{'containers':[{'name':'b'}]}}"),
                pod("$patch: replace of the whole object",
                        "{'metadata':{'name':'x'},'spec':{}}",
                        "{'$patch':'replace','metadata':{'name':'y'}}",
                        "{'metadata':{'name':'y'}}"),
                pod("$retainKeys clears unlisted keys",
                        "{'spec':{'a':1,'b':2,'c':3}}",
                        "{'spec':{'$retainKeys':['a','b'],'b':5}}",
                        "{'spec':{'a':1,'b':5}}"),
                pod("a value of another type replaces", "{'spec':{'x':{'a':1}}}", "{'spec':{'x':'s'}}",
                        "{'spec':{'x':'s'}}"),
                pod("a new value loses its nulls and every object carrying $patch", "{}",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b','$patch':'delete'}],"
                                + "'securityContext':{'$patch':'delete'},'affinity':{'$patch':'replace','x':1},"
                                + "'nodeSelector':{'a':'1','b':null}}}",
                        "{'spec':{'containers':[{'name':'a'}],'nodeSelector':{'a':'1'}}}"),
                pod("a value of another type is taken the same way", "{'spec':{'nodeSelector':'x'}}",
                        "{'spec':{'nodeSelector':{'a':'1','b':null}}}",
                        "{'spec':{'nodeSelector':{'a':'1'}}}"),
                pod("a replaced list keeps its elements without directive keys",
                        "{'spec':{'tolerations':[{'key':'x'}]}}",
                        "{'spec':{'tolerations':[{'key':'c','$patch':'delete'}]}}",
                        "{'spec':{'tolerations':[{'key':'c'}]}}"),
                pod("an empty patch changes nothing", "{'a':{'b':[1]}}", "{}", "{'a':{'b':[1]}}"),
                pod("an empty merging list in the patch changes nothing",
                        "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[]}}",
                        "{'spec':{'containers':[{'name':'a'}]}}"),
                new Case("service ports merge by port", "", "Service",
                        "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
                        "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443}]}}"),
                new Case("node addresses merge by type", "", "Node",
                        "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.1'},{'type':'Hostname','address':'n'}]}}",
                        "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'}]}}",
                        "{'status':{'addresses':[{'type':'InternalIP','address':'10.0.0.2'},{'type':'Hostname','address':'n'}]}}"),
                new Case("CronJob's job template merges containers", "batch", "CronJob",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'}]}}}}}}",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}}}",
                        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'},{'name':'b'}]}}}}}}"),
                new Case("StatefulSet template merges containers", "apps", "StatefulSet",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'x'}]}}}}",
                        "{'spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'b','image':'x'}]}}}}"),
                new Case("a PodDisruptionBudget's selector is replaced, not merged", "policy", "PodDisruptionBudget",
                        "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}"),
                new Case("a Deployment's selector merges", "apps", "Deployment",
                        "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}",
                        "{'spec':{'selector':{'matchLabels':{'a':'1','b':'2'}}}}"),
                new Case("custom resources replace lists", "example.com", "Widget",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'x'}]}}",
                        "{'spec':{'containers':[{'name':'b','image':'x'}]}}"));
    }

    @ParameterizedTest
    @MethodSource({"kubectlApplyPatches", "handWrittenPatches"})
    void applies(Case c) {
        JsonNode target = json(c.target());
        JsonNode before = target.deepCopy();
        JsonNode patch = json(c.patch());
        JsonNode patchBefore = patch.deepCopy();

        JsonNode result = StrategicMergePatch.apply(target, patch, KubernetesPatchMeta.forKind(c.group(), c.kind()));

        assertThat(result).isEqualTo(json(c.expected()));
        assertThat(target).as("target untouched").isEqualTo(before);
        assertThat(patch).as("patch untouched").isEqualTo(patchBefore);
    }

    record Failure(String name, String target, String patch, int code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Failure> failures() {
        String pod = "{'spec':{'containers':[{'name':'a'}]}}";
        return Stream.of(
                new Failure("patch is a list", pod, "[1]", 400,
                        "json: cannot unmarshal array into Go value of type map[string]interface {}"),
                new Failure("target is no object", "[1]", "{}", 400, "invalid JSON document"),
                new Failure("$patch: merge in a map", pod, "{'spec':{'$patch':'merge','a':'b'}}", 400,
                        "unknown patch type: merge in map: map[$patch:merge a:b]"),
                new Failure("unknown directive in a map", pod, "{'spec':{'$patch':'bogus'}}", 400,
                        "unknown patch type: bogus in map: map[$patch:bogus]"),
                new Failure("$patch: merge in a list", pod, "{'spec':{'containers':[{'$patch':'merge'}]}}", 400,
                        "merging lists cannot yet be specified in the patch"),
                new Failure("unknown directive in a list", pod,
                        "{'spec':{'containers':[{'$patch':'bogus','name':'a'}]}}", 400,
                        "unknown patch type: bogus in map: map[$patch:bogus name:a]"),
                new Failure("delete without merge key", pod, "{'spec':{'containers':[{'$patch':'delete'}]}}", 400,
                        "map: map[$patch:delete] does not contain declared merge key: name"),
                new Failure("element without merge key", pod, "{'spec':{'containers':[{'image':'x'}]}}", 400,
                        "map: map[image:x] does not contain declared merge key: name"),
                new Failure("$retainKeys not a list", pod, "{'spec':{'$retainKeys':'a'}}", 400,
                        "invalid patch format of retainKeys"),
                new Failure("patch sets a key outside $retainKeys", pod,
                        "{'spec':{'$retainKeys':['a'],'b':1}}", 400, "invalid patch format of retainKeys"),
                new Failure("$deleteFromPrimitiveList not a list", "{'metadata':{'finalizers':['a']}}",
                        "{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}", 400,
                        "invalid patch format of primitive list"),
                new Failure("$deleteFromPrimitiveList without a field", "{'metadata':{'finalizers':['a']}}",
                        "{'metadata':{'$deleteFromPrimitiveListfinalizers':['a']}}", 400,
                        "invalid patch format of primitive list"),
                new Failure("$setElementOrder without a field", pod,
                        "{'spec':{'$setElementOrdercontainers':[{'name':'a'}]}}", 400,
                        "invalid patch format of setElementOrder list"),
                new Failure("$setElementOrder not a list", pod,
                        "{'spec':{'$setElementOrder/containers':'a'}}", 400,
                        "expected a []interface {}, but received a string"),
                new Failure("patch element missing from $setElementOrder", pod,
                        "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'b'}]}}", 400,
                        "The order in patch list:\n[map[name:b]]\n doesn't match $setElementOrder list:\n"
                                + "[map[name:a]]\n"),
                new Failure("elements of different types", "{'metadata':{'finalizers':['a']}}",
                        "{'metadata':{'finalizers':[1]}}", 400,
                        "list element types are not identical: [[a] [1]]"),
                new Failure("lists of lists", "{'metadata':{'finalizers':[['a']]}}",
                        "{'metadata':{'finalizers':[['b']]}}", 422,
                        "the server rejected our request due to an error in our request"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void refuses(Failure f) {
        assertThatThrownBy(() -> StrategicMergePatch.apply(json(f.target()), json(f.patch()),
                KubernetesPatchMeta.forKind("", "Pod")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(f.code());
                    assertThat(e.getMessage()).isEqualTo(f.message());
                });
    }
}
