package io.kube4j.machinery.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LabelSelectorTest {

    private static final String NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            + "or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    @ParameterizedTest(name = "[{index}] \"{0}\" is \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "''|''",
            "'   '|''",
            "a=b|a=b",
            "a==b|a==b",
            "a!=b|a!=b",
            "a in (x,y)|a in (x,y)",
            "a in (y,x,y)|a in (x,y)",
            "a notin (x)|a notin (x)",
            "a|a",
            "!a|!a",
            "b=c,a=d|a=d,b=c",
            "' a = b , c '|a=b,c",
            "'env in ( prod , staging )'|env in (prod,staging)",
            "x>1|x>1",
            "x<5|x<5",
            "a=|a=",
            "a=,b|a=,b",
            "a in ()|a in ()",
            "a in (,x)|a in (,x)",
            "a in (x,)|a in (,x)",
            "example.com/app=x|example.com/app=x",
            "in=x|in=x",
            "a=in|a=in",
            "a in (in,notin)|a in (in,notin)",
            "tier notin (db),!canary,app=web|app=web,!canary,tier notin (db)"})
    void parsesToCanonicalForm(String input, String canonical) {
        assertThat(LabelSelector.parse(input).toString()).isEqualTo(canonical);
        assertThat(LabelSelector.parse(canonical).toString()).as("canonical form parses to itself").isEqualTo(canonical);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "a b|unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
            "a=b,|found '', expected: identifier after ','",
            "a=b c|found 'c', expected: ',' or 'end of string'",
            "=a|found '=', expected: !, identifier, or 'end of string'",
            "(a)|found '(', expected: !, identifier, or 'end of string'",
            "a in x|unable to parse requirement: found 'x' expected: '('",
            "a in (x|unable to parse requirement: found '', expected: ',' or ')'",
            "a in (x y)|unable to parse requirement: found 'y', expected: ',' or ')'",
            "a in (=)|unable to parse requirement: found '=', expected: ',', ')' or identifier",
            "a=(b)|unable to parse requirement: found '(', expected: identifier",
            "a=b=c|found '=', expected: ',' or 'end of string'",
            "a!!|unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt",
            "!|unable to parse requirement: found '', expected: identifier",
            "x>a|unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"})
    void refusesMalformedSelectorsWith400(String input, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(input)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo("BadRequest");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void refusesInvalidKeysAndValuesWithKubernetesMessages() {
        assertThatThrownBy(() -> LabelSelector.parse("-a=b")).hasMessage(
                "unable to parse requirement: <nil>: Invalid value: \"-a\": " + NAME_PART);
        assertThatThrownBy(() -> LabelSelector.parse("a=-b")).hasMessage(
                "unable to parse requirement: values[0][a]: Invalid value: \"-b\": " + LABEL_VALUE);
        assertThatThrownBy(() -> LabelSelector.parse("a/b/c")).hasMessageStartingWith(
                "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of");
        assertThatThrownBy(() -> LabelSelector.parse("a in (-x,y_)")).hasMessage(
                "unable to parse requirement: [values[0][a]: Invalid value: \"-x\": " + LABEL_VALUE
                        + ", values[1][a]: Invalid value: \"y_\": " + LABEL_VALUE + "]");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" on {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            "''|''|true",
            "''|a:b|true",
            "a=b|a:b|true",
            "a=b|a:c|false",
            "a=b|''|false",
            "a==b|a:b|true",
            "a!=b|''|true",
            "a!=b|a:b|false",
            "a!=b|a:c|true",
            "a in (x,y)|a:y|true",
            "a in (x,y)|a:z|false",
            "a in (x,y)|''|false",
            "a notin (x)|''|true",
            "a notin (x)|a:x|false",
            "a notin (x)|a:y|true",
            "a|a:|true",
            "a|b:1|false",
            "!a|b:1|true",
            "!a|a:1|false",
            "x>1|x:2|true",
            "x>1|x:1|false",
            "x>1|x:a|false",
            "x<1|x:-3|true",
            "x<1|''|false",
            "a=b,c|a:b,c:1|true",
            "a=b,c|a:b|false",
            "a=|a:|true",
            "a=|''|false"})
    void matchesLabels(String selector, String labels, boolean expected) {
        Map<String, String> map = new HashMap<>();
        if (!labels.isEmpty()) {
            for (String pair : labels.split(",")) {
                String[] kv = pair.split(":", -1);
                map.put(kv[0], kv[1]);
            }
        }
        assertThat(LabelSelector.parse(selector).matches(map)).isEqualTo(expected);
    }

    private static JsonNode json(String singleQuoted) {
        return JsonMapper.builder().build().readTree(singleQuoted.replace('\'', '"'));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "{}|''",
            "{'matchLabels':{'app':'web'}}|app=web",
            "{'matchLabels':{'b':'1','a':'2'}}|a=2,b=1",
            "{'matchExpressions':[{'key':'tier','operator':'In','values':['front','back']}]}|tier in (back,front)",
            "{'matchExpressions':[{'key':'tier','operator':'NotIn','values':['db']}]}|tier notin (db)",
            "{'matchExpressions':[{'key':'gpu','operator':'Exists'}]}|gpu",
            "{'matchExpressions':[{'key':'gpu','operator':'DoesNotExist'}]}|!gpu",
            "{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'env','operator':'In','values':['prod']}]}"
                    + "|app=web,env in (prod)"})
    void convertsLabelSelectorObjects(String object, String canonical) {
        LabelSelector selector = LabelSelector.fromJson(json(object));
        assertThat(selector.toString()).isEqualTo(canonical);
        assertThat(selector).isEqualTo(LabelSelector.parse(canonical));
    }

    @Test
    void emptyObjectSelectsEverythingAndNullNothing() {
        assertThat(LabelSelector.fromJson(json("{}")).isEmpty()).isTrue();
        assertThat(LabelSelector.fromJson(json("{}")).matches(Map.of("a", "b"))).isTrue();
        assertThat(LabelSelector.fromJson(null).matches(Map.of())).isFalse();
        assertThat(LabelSelector.fromJson(json("null")).isEmpty()).isFalse();
        assertThat(LabelSelector.everything().matches(null)).isTrue();
        assertThat(LabelSelector.nothing().matches(Map.of())).isFalse();
    }

    @Test
    void reportsBadObjectsAsKubernetesNewRequirementDoes() {
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchExpressions':[{'key':'a','operator':'In'}]}")))
                .hasMessage("values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromJson(
                json("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x','y']}]}")))
                .hasMessage("values: Invalid value: [\"x\",\"y\"]: values set must be empty for exists and does not exist");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchLabels':{'-k':'v'}}")))
                .hasMessage("key: Invalid value: \"-k\": " + NAME_PART);
    }

    @Test
    void refusesUnknownOperatorsInObjects() {
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("\"Gt\" is not a valid label selector operator");
                });
    }

    @Test
    void validatesLabelSelectorObjectsWithFieldCauses() {
        JsonNode selector = json("{'matchLabels':{'-bad':'ok','good':'-bad'},'matchExpressions':["
                + "{'key':'a','operator':'In'},"
                + "{'key':'b','operator':'Exists','values':['x']},"
                + "{'key':'c','operator':'Near','values':['x']},"
                + "{'key':'d/e/f','operator':'NotIn','values':['.x']}]}");

        assertThat(LabelSelector.validate(selector, "spec.selector")).containsExactly(
                StatusCause.invalid("spec.selector.matchLabels", "-bad", NAME_PART),
                StatusCause.invalid("spec.selector.matchLabels", "-bad", LABEL_VALUE),
                new StatusCause("FieldValueRequired",
                        "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                        "spec.selector.matchExpressions[0].values"),
                new StatusCause("FieldValueForbidden",
                        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                        "spec.selector.matchExpressions[1].values"),
                StatusCause.invalid("spec.selector.matchExpressions[2].operator", "Near", "not a valid selector operator"),
                new StatusCause("FieldValueInvalid", "Invalid value: \"d/e/f\": a qualified name must consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                        + "(e.g. 'example.com/MyName')", "spec.selector.matchExpressions[3].key"),
                StatusCause.invalid("spec.selector.matchExpressions[3].values[0]", ".x", LABEL_VALUE));
        assertThat(LabelSelector.validate(json("{'matchLabels':{'app':'web'}}"), "spec.selector")).isEmpty();
    }
}
