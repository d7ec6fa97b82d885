package io.kube4j.machinery.patch;

import io.kube4j.machinery.object.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A keyed list element's path element is the JSON of its key, however the key is spelled. */
class FieldSetKeyElementTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "name          | \"nginx\"",
            "name          | \"\"",
            "name          | \"a b~{}[]:,\"",
            "name          | \"quote\\\"d\"",
            "name          | \"back\\\\slash\"",
            "name          | \"tab\\t\"",
            "name          | \"ü-日本\"",
            "name          | \"\\u2028\"",
            "containerPort | 80",
            "containerPort | -1",
            "containerPort | 9223372036854775807",
            "containerPort | 1.5",
            "containerPort | 99999999999999999999999",
            "containerPort | true",
            "containerPort | null",
            "containerPort | {\"a\":1}",
            "key\"q        | \"v\"",
            "ключ          | 1",
    })
    void isTheJsonOfTheKey(String mergeKey, String valueJson) {
        JsonNode value = Json.MAPPER.readTree(valueJson);
        ObjectNode key = Json.object();
        key.set(mergeKey, value);
        ObjectNode item = key.deepCopy();
        item.put("other", "ignored");
        assertThat(FieldSet.keyElement(FieldMeta.mergeByKey(mergeKey), item)).isEqualTo("k:" + key);
    }
}
