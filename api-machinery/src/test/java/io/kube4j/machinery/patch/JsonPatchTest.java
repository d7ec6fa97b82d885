package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import io.kube4j.machinery.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class JsonPatchTest {

    record Case(String name, String target, String patch, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** RFC 6902 appendix A, and the operations kubectl users send. */
    static Stream<Case> applying() {
        return Stream.of(
                new Case("A.1 add an object member", "{'foo':'bar'}",
                        "[{'op':'add','path':'/baz','value':'qux'}]", "{'baz':'qux','foo':'bar'}"),
                new Case("A.2 add an array element", "{'foo':['bar','baz']}",
                        "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}"),
                new Case("A.3 remove an object member", "{'baz':'qux','foo':'bar'}",
                        "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}"),
                new Case("A.4 remove an array element", "{'foo':['bar','qux','baz']}",
                        "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}"),
                new Case("A.5 replace a value", "{'baz':'qux','foo':'bar'}",
                        "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}"),
                new Case("A.6 move a value", "{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
                        "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
                        "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"),
                new Case("A.7 move an array element", "{'foo':['all','grass','cows','eat']}",
                        "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}"),
                new Case("A.8 test a value: success", "{'baz':'qux','foo':['a',2,'c']}",
                        "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
                        "{'baz':'qux','foo':['a',2,'c']}"),
                new Case("A.10 add a nested member object", "{'foo':'bar'}",
                        "[{'op':'add','path':'/child','value':{'grandchild':{}}}]",
                        "{'foo':'bar','child':{'grandchild':{}}}"),
                new Case("A.11 ignore unrecognized elements", "{'foo':'bar'}",
                        "[{'op':'add','path':'/baz','value':'qux','xyz':123}]", "{'foo':'bar','baz':'qux'}"),
                new Case("A.14 ~ escape ordering", "{'/':9,'~1':10}",
                        "[{'op':'test','path':'/~01','value':10}]", "{'/':9,'~1':10}"),
                new Case("A.16 add an array value", "{'foo':['bar']}",
                        "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}"),
                new Case("~1 escapes a slash in an annotation key", "{'metadata':{'annotations':{}}}",
                        "[{'op':'add','path':'/metadata/annotations/example.com~1owner','value':'me'}]",
                        "{'metadata':{'annotations':{'example.com/owner':'me'}}}"),
                new Case("~0 escapes a tilde", "{'a':{}}",
                        "[{'op':'add','path':'/a/x~0y','value':1}]", "{'a':{'x~y':1}}"),
                new Case("- appends to a list", "{'spec':{'containers':[{'name':'a'}]}}",
                        "[{'op':'add','path':'/spec/containers/-','value':{'name':'b'}}]",
                        "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}"),
                new Case("add at the end index appends", "{'l':[1,2]}",
                        "[{'op':'add','path':'/l/2','value':3}]", "{'l':[1,2,3]}"),
                new Case("add replaces an existing member", "{'spec':{'replicas':1}}",
                        "[{'op':'add','path':'/spec/replicas','value':3}]", "{'spec':{'replicas':3}}"),
                new Case("add to the root replaces the document", "{'a':1}",
                        "[{'op':'add','path':'','value':{'b':2}}]", "{'b':2}"),
                new Case("replace the root", "{'a':1}",
                        "[{'op':'replace','path':'','value':{'c':3}}]", "{'c':3}"),
                new Case("replace an array element", "{'l':['a','b']}",
                        "[{'op':'replace','path':'/l/1','value':'c'}]", "{'l':['a','c']}"),
                new Case("replace with null keeps the key", "{'a':1}",
                        "[{'op':'replace','path':'/a','value':null}]", "{'a':null}"),
                new Case("copy", "{'a':{'b':[1]}}",
                        "[{'op':'copy','from':'/a','path':'/c'},{'op':'add','path':'/c/b/-','value':2}]",
                        "{'a':{'b':[1]},'c':{'b':[1,2]}}"),
                new Case("move to the same place is a no-op", "{'a':1}",
                        "[{'op':'move','from':'/a','path':'/a'}]", "{'a':1}"),
                new Case("test compares numbers by value", "{'a':1}",
                        "[{'op':'test','path':'/a','value':1.0}]", "{'a':1}"),
                new Case("test compares objects regardless of key order", "{'a':{'x':1,'y':2}}",
                        "[{'op':'test','path':'/a','value':{'y':2,'x':1}}]", "{'a':{'x':1,'y':2}}"),
                new Case("test a resourceVersion then change", "{'metadata':{'resourceVersion':'5'},'spec':{'replicas':1}}",
                        "[{'op':'test','path':'/metadata/resourceVersion','value':'5'},"
                                + "{'op':'replace','path':'/spec/replicas','value':2}]",
                        "{'metadata':{'resourceVersion':'5'},'spec':{'replicas':2}}"),
                new Case("remove a label", "{'metadata':{'labels':{'app':'x','tier':'web'}}}",
                        "[{'op':'remove','path':'/metadata/labels/tier'}]", "{'metadata':{'labels':{'app':'x'}}}"),
                new Case("operations see earlier ones", "{}",
                        "[{'op':'add','path':'/a','value':{}},{'op':'add','path':'/a/b','value':1}]",
                        "{'a':{'b':1}}"),
                new Case("null patch changes nothing", "{'a':1}", "null", "{'a':1}"),
                new Case("empty patch changes nothing", "{'a':1}", "[]", "{'a':1}"));
    }

    @ParameterizedTest
    @MethodSource("applying")
    void applies(Case c) {
        JsonNode target = json(c.target());
        JsonNode before = target.deepCopy();
        JsonNode patch = json(c.patch());
        JsonNode patchBefore = patch.deepCopy();

        JsonNode result = JsonPatch.apply(target, patch);

        assertThat(result).isEqualTo(json(c.expected()));
        assertThat(target).as("target untouched").isEqualTo(before);
        assertThat(patch).as("patch untouched").isEqualTo(patchBefore);
    }

    static Stream<Case> rejected() {
        return Stream.of(
                new Case("A.9 test a value: error", "{'baz':'qux'}",
                        "[{'op':'test','path':'/baz','value':'bar'}]", null),
                new Case("A.12 add to a nonexistent target", "{'foo':'bar'}",
                        "[{'op':'add','path':'/baz/bat','value':'qux'}]", null),
                new Case("A.13 invalid op", "{'foo':'bar'}",
                        "[{'op':'bogus','path':'/baz','value':'qux'}]", null),
                new Case("A.15 comparing strings and numbers", "{'/':9,'~1':10}",
                        "[{'op':'test','path':'/~01','value':'10'}]", null),
                new Case("remove a missing member", "{'a':1}", "[{'op':'remove','path':'/b'}]", null),
                new Case("remove past the end", "{'l':[1]}", "[{'op':'remove','path':'/l/1'}]", null),
                new Case("remove with -", "{'l':[1]}", "[{'op':'remove','path':'/l/-'}]", null),
                new Case("remove the root", "{'l':[1]}", "[{'op':'remove','path':''}]", null),
                new Case("replace a missing member", "{'a':1}", "[{'op':'replace','path':'/b','value':2}]", null),
                new Case("add past the end", "{'l':[1]}", "[{'op':'add','path':'/l/5','value':2}]", null),
                new Case("leading zero index", "{'l':[1,2]}", "[{'op':'add','path':'/l/01','value':2}]", null),
                new Case("negative index", "{'l':[1,2]}", "[{'op':'add','path':'/l/-1','value':2}]", null),
                new Case("index into a scalar", "{'a':1}", "[{'op':'add','path':'/a/b','value':2}]", null),
                new Case("move into its own child", "{'a':{'b':{}}}",
                        "[{'op':'move','from':'/a','path':'/a/b/c'}]", null),
                new Case("move from a missing path", "{'a':1}", "[{'op':'move','from':'/x','path':'/y'}]", null),
                new Case("copy from a missing path", "{'a':1}", "[{'op':'copy','from':'/x','path':'/y'}]", null),
                new Case("test a missing path", "{'a':1}", "[{'op':'test','path':'/b','value':null}]", null),
                new Case("missing op", "{'a':1}", "[{'path':'/a','value':2}]", null),
                new Case("missing path", "{'a':1}", "[{'op':'add','value':2}]", null),
                new Case("missing value", "{'a':1}", "[{'op':'add','path':'/b'}]", null),
                new Case("pointer without a leading slash", "{'a':1}", "[{'op':'add','path':'b','value':1}]", null),
                new Case("bad escape", "{'a':1}", "[{'op':'add','path':'/a~2','value':1}]", null),
                new Case("a failure undoes earlier operations", "{'a':1}",
                        "[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':2}]", null));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void refusesWith422LikeKubeApiserver(Case c) {
        JsonNode target = json(c.target());
        JsonNode before = target.deepCopy();
        assertThatThrownBy(() -> JsonPatch.apply(target, json(c.patch())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
                    assertThat(e.causes()).isEmpty();
                    assertThat(e.getCause()).isNotNull();
                });
        assertThat(target).isEqualTo(before);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{'op':'add'}|json: cannot unmarshal object into Go value of type jsonpatch.Patch",
            "\"x\"|json: cannot unmarshal string into Go value of type jsonpatch.Patch",
            "[\"x\"]|json: cannot unmarshal string into Go value of type jsonpatch.Operation",
            "[[1]]|json: cannot unmarshal array into Go value of type jsonpatch.Operation"})
    void refusesMalformedBodiesWith400(String patch, String message) {
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json(patch)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("BadRequest");
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void refusesTooManyOperationsWith413() {
        StringBuilder ops = new StringBuilder("[");
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            ops.append(i == 0 ? "" : ",").append("{'op':'test','path':'','value':{}}");
        }
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json(ops + "]")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(413);
                    assertThat(e.getMessage()).isEqualTo(
                            "The allowed maximum operations in a JSON patch is 10000, got 10001");
                });
    }

    @Test
    void resultSharesNoNodeWithThePatch() {
        JsonNode patch = json("[{'op':'add','path':'/a','value':{'b':1}}]");
        JsonNode result = JsonPatch.apply(json("{}"), patch);
        ((tools.jackson.databind.node.ObjectNode) result.get("a")).put("b", 2);
        assertThat(patch.get(0).get("value").get("b").intValue()).isEqualTo(1);
    }
}
