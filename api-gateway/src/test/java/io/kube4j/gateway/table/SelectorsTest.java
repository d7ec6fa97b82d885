package io.kube4j.gateway.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.machinery.object.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|<none>",
            "{\"matchLabels\": {}}|<none>",
            "{\"matchLabels\": {\"b\": \"2\", \"a\": \"1\"}}|a=1,b=2",
            "{\"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"In\", \"values\": [\"web\", \"api\"]}]}|tier in (api,web)",
            "{\"matchExpressions\": [{\"key\": \"x\", \"operator\": \"NotIn\", \"values\": [\"1\"]}, {\"key\": \"a\", \"operator\": \"Exists\"}]}|a,x notin (1)",
            "{\"matchLabels\": {\"z\": \"1\"}, \"matchExpressions\": [{\"key\": \"gone\", \"operator\": \"DoesNotExist\"}]}|!gone,z=1",
            "{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Like\", \"values\": [\"1\"]}]}|<error>"})
    void formatsSelectorsAsKubectlPrintsThem(String selector, String printed) {
        assertThat(Selectors.formatLabelSelector(Json.parseObject(selector.getBytes()))).isEqualTo(printed);
    }
}
