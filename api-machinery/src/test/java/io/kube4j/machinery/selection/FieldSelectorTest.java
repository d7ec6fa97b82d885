package io.kube4j.machinery.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.kube4j.machinery.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

    @ParameterizedTest(name = "[{index}] \"{0}\" is \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "''|''",
            "metadata.name=x|metadata.name=x",
            "spec.nodeName==node-1|spec.nodeName=node-1",
            "status.phase!=Running|status.phase!=Running",
            "status.phase!=Running,metadata.name=a|metadata.name=a,status.phase!=Running",
            "a=x\\,y|a=x\\,y",
            "a=x\\=y|a=x\\=y",
            "a=x\\\\y|a=x\\\\y",
            "a=|a=",
            "a=b,,c=d|a=b,c=d",
            "involvedObject.kind=Pod,involvedObject.name=web-1|involvedObject.kind=Pod,involvedObject.name=web-1"})
    void parsesToCanonicalForm(String input, String canonical) {
        assertThat(FieldSelector.parse(input).toString()).isEqualTo(canonical);
    }

    @Test
    void unescapesValuesAndExposesRequirements() {
        FieldSelector selector = FieldSelector.parse("b!=x\\,y,a==1");
        assertThat(selector.requirements()).containsExactly(
                new FieldSelector.FieldRequirement("a", true, "1"),
                new FieldSelector.FieldRequirement("b", false, "x,y"));
        assertThat(selector.requiresExactMatch("a")).contains("1");
        assertThat(selector.requiresExactMatch("b")).isEmpty();
        assertThat(selector.fields()).containsExactly("a", "b");
        assertThat(FieldSelector.parse("").isEmpty()).isTrue();
        assertThat(FieldSelector.oneTerm("spec.nodeName", "n=1").toString()).isEqualTo("spec.nodeName=n\\=1");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "a|invalid selector: 'a'; can't understand 'a'",
            "a=b,c|invalid selector: 'a=b,c'; can't understand 'c'",
            "a=b=c|invalid field selector: unescaped character in value: 61",
            "a\\=b=c|invalid field selector: unescaped character in value: 61",
            "a=b\\x|invalid field selector: invalid escape sequence: \\x",
            "a=b\\|invalid field selector: invalid escape sequence: \\"})
    void refusesMalformedSelectorsWith400(String input, String message) {
        assertThatThrownBy(() -> FieldSelector.parse(input)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "''|true",
            "metadata.name=web|true",
            "metadata.name=db|false",
            "metadata.name!=db|true",
            "spec.nodeName=|true",
            "spec.nodeName!=|false",
            "spec.nodeName=node-1|false",
            "metadata.name=web,status.phase=Running|true",
            "metadata.name=web,status.phase!=Running|false"})
    void matchesFieldValues(String selector, boolean expected) {
        Map<String, String> fields = Map.of("metadata.name", "web", "status.phase", "Running");
        assertThat(FieldSelector.parse(selector).matches(fields::get)).isEqualTo(expected);
    }
}
