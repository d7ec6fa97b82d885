package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import io.kube4j.machinery.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

class MergePatchTest {

    record Case(String target, String patch, String expected) {}

    /** RFC 7386 appendix A, every row. */
    static Stream<Case> rfcExamples() {
        return Stream.of(
                new Case("{'a':'b'}", "{'a':'c'}", "{'a':'c'}"),
                new Case("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}"),
                new Case("{'a':'b'}", "{'a':null}", "{}"),
                new Case("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}"),
                new Case("{'a':['b']}", "{'a':'c'}", "{'a':'c'}"),
                new Case("{'a':'c'}", "{'a':['b']}", "{'a':['b']}"),
                new Case("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}"),
                new Case("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}"),
                new Case("['a','b']", "['c','d']", "['c','d']"),
                new Case("{'a':'b'}", "['c']", "['c']"),
                new Case("{'a':'foo'}", "null", "null"),
                new Case("{'a':'foo'}", "'bar'", "'bar'"),
                new Case("{'e':null}", "{'a':1}", "{'e':null,'a':1}"),
                new Case("[1,2]", "{'a':'b','c':null}", "{'a':'b'}"),
                new Case("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}"),
                // RFC section 3's example document
                new Case("{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},"
                        + "'tags':['example','sample'],'content':'This will be unchanged'}",
                        "{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},"
                                + "'tags':['example']}",
                        "{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],"
                                + "'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
    }

    @ParameterizedTest
    @MethodSource("rfcExamples")
    void mergesAsRfc7386(Case c) {
        JsonNode target = json(c.target());
        JsonNode before = target.deepCopy();
        JsonNode patch = json(c.patch());
        JsonNode patchBefore = patch.deepCopy();
        assertThat(MergePatch.merge(target, patch)).isEqualTo(json(c.expected()));
        assertThat(target).isEqualTo(before);
        assertThat(patch).isEqualTo(patchBefore);
    }

    static Stream<Case> kubernetesObjects() {
        return Stream.of(
                new Case("{'metadata':{'labels':{'app':'a','tier':'web'}}}", "{'metadata':{'labels':{'tier':null}}}",
                        "{'metadata':{'labels':{'app':'a'}}}"),
                new Case("{'spec':{'replicas':1,'template':{}}}", "{'spec':{'replicas':3}}",
                        "{'spec':{'replicas':3,'template':{}}}"),
                new Case("{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'y'}]}}",
                        "{'spec':{'containers':[{'name':'a','image':'y'}]}}"),
                new Case("{'data':{'k':'v'}}", "{}", "{'data':{'k':'v'}}"));
    }

    @ParameterizedTest
    @MethodSource("kubernetesObjects")
    void appliesToObjects(Case c) {
        assertThat(MergePatch.apply(json(c.target()), json(c.patch()))).isEqualTo(json(c.expected()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"null", "\"x\"", "[1]", "3"})
    void refusesPatchesThatAreNoObject(String patch) {
        assertThatThrownBy(() -> MergePatch.apply(json("{'a':1}"), json(patch)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("Invalid JSON Patch");
                });
    }
}
