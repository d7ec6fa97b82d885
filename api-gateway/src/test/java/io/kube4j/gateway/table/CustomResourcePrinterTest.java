package io.kube4j.gateway.table;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CustomResourcePrinterTest {

    private static final ObjectNode CRD = Printed.json("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"databases.example.com"},
             "spec":{"group":"example.com","names":{"kind":"Database","plural":"databases"},"scope":"Namespaced",
              "versions":[
               {"name":"v1","served":true,"storage":true,"additionalPrinterColumns":[
                 {"name":"Engine","type":"string","jsonPath":".spec.engine"},
                 {"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
                 {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\\"Ready\\")].status"},
                 {"name":"Backup","type":"boolean","jsonPath":".spec.backup","priority":1},
                 {"name":"Load","type":"number","jsonPath":".status.load","description":"Average load"},
                 {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]},
               {"name":"v1beta1","served":true,"storage":false}]}}""");

    private static final String DB = """
            {"apiVersion":"example.com/v1","kind":"Database","metadata":{"name":"orders","namespace":"shop",
              "creationTimestamp":"2026-11-25T09:00:00Z","resourceVersion":"77"},
             "spec":{"engine":"postgres","replicas":3,"backup":true},
             "status":{"load":0.75,"conditions":[{"type":"Ready","status":"True"}]}}""";

    @Test
    void columnsComeFromTheServedVersion() {
        List<PrinterColumn> v1 = PrinterColumn.forVersion(CRD, "v1");
        assertThat(v1).extracting(PrinterColumn::name).containsExactly("Engine", "Replicas", "Ready", "Backup", "Load", "Age");
        assertThat(v1.get(3).priority()).isEqualTo(1);
        assertThat(PrinterColumn.forVersion(CRD, "v1beta1")).containsExactly(PrinterColumn.AGE);
    }

    @Test
    void printsTypedCellsFromJsonPaths() {
        ObjectNode table = Printed.CONVERTOR.toTable(PrinterColumn.forVersion(CRD, "v1"), Printed.json(DB),
                IncludeObject.NONE, Printed.NOW);
        assertThat(table.get("columnDefinitions").toString()).isEqualTo("""
                [{"name":"Name","type":"string","format":"name","description":"%s","priority":0},\
                {"name":"Engine","type":"string","format":"","description":"Custom resource definition column (in JSONPath format): .spec.engine","priority":0},\
                {"name":"Replicas","type":"integer","format":"","description":"Custom resource definition column (in JSONPath format): .spec.replicas","priority":0},\
                {"name":"Ready","type":"string","format":"","description":"Custom resource definition column (in JSONPath format): .status.conditions[?(@.type==\\"Ready\\")].status","priority":0},\
                {"name":"Backup","type":"boolean","format":"","description":"Custom resource definition column (in JSONPath format): .spec.backup","priority":1},\
                {"name":"Load","type":"number","format":"","description":"Average load","priority":0},\
                {"name":"Age","type":"date","format":"","description":"Custom resource definition column (in JSONPath format): .metadata.creationTimestamp","priority":0}]"""
                .formatted(TableColumn.NAME_DESCRIPTION));
        assertThat(table.get("rows").get(0).get("cells").toString())
                .isEqualTo("[\"orders\",\"postgres\",3,\"True\",true,0.75,\"3h\"]");
        assertThat(table.get("metadata").toString()).isEqualTo("{\"resourceVersion\":\"77\"}");
    }

    @Test
    void missingValuesAndWrongTypesAreNullCells() {
        ObjectNode table = Printed.CONVERTOR.toTable(PrinterColumn.forVersion(CRD, "v1"),
                List.of(Printed.json("""
                        {"metadata":{"name":"bare"},"spec":{"replicas":"three","backup":"yes"},"status":{"load":2}}""")),
                null, IncludeObject.NONE, Printed.NOW);
        assertThat(table.get("rows").get(0).get("cells").toString())
                .isEqualTo("[\"bare\",null,null,null,null,2,null]");
    }

    @Test
    void versionWithoutColumnsPrintsNameAndAge() {
        ObjectNode table = Printed.CONVERTOR.toTable(PrinterColumn.forVersion(CRD, "v1beta1"), Printed.json(DB),
                IncludeObject.NONE, Printed.NOW);
        assertThat(table.get("columnDefinitions").findValuesAsString("name")).containsExactly("Name", "Age");
        assertThat(table.get("rows").get(0).get("cells").toString()).isEqualTo("[\"orders\",\"3h\"]");
    }

    @Test
    void anUnparseableColumnEndsTheList() {
        List<PrinterColumn> columns = List.of(
                new PrinterColumn("Engine", "string", "", "", 0, ".spec.engine"),
                new PrinterColumn("Broken", "string", "", "", 0, ".spec.containers["),
                new PrinterColumn("Replicas", "integer", "", "", 0, ".spec.replicas"));
        ObjectNode table = Printed.CONVERTOR.toTable(columns, Printed.json(DB), IncludeObject.NONE, Printed.NOW);
        assertThat(table.get("columnDefinitions").findValuesAsString("name")).containsExactly("Name", "Engine");
    }

    @ParameterizedTest(name = "{0} as {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "\"text\"            | string  | \"text\"",
            "42                  | string  | \"42\"",
            "1.5                 | string  | \"1.5\"",
            "1500000.5           | string  | \"1.5000005e+06\"",
            "0.00001             | string  | \"1e-05\"",
            "true                | string  | \"true\"",
            "{\"a\":[1,2]}       | string  | \"{\\\"a\\\":[1,2]}\"",
            "[\"x\",\"y\"]       | string  | \"[\\\"x\\\",\\\"y\\\"]\"",
            "7                   | integer | 7",
            "7.9                 | integer | 7",
            "\"7\"               | integer | null",
            "7                   | number  | 7",
            "2.25                | number  | 2.25",
            "false               | boolean | false",
            "\"2026-11-25T11:59:00Z\" | date | \"60s\"",
            "\"yesterday\"       | date    | \"<invalid>\"",
            "5                   | date    | null",
            "\"x\"               | unknown | null",
    })
    void typesCellsAsKubeApiserverDoes(String json, String type, String expected) {
        JsonNode value = Printed.MAPPER.readTree(json);
        Object cell = CustomResourcePrinter.cell(type, value, Printed.NOW);
        ObjectNode table = Printed.CONVERTOR.toTable(
                List.of(new PrinterColumn("C", type, "", "", 0, ".v")),
                Printed.json("{\"metadata\":{\"name\":\"n\"},\"v\":" + json + "}"), IncludeObject.NONE, Printed.NOW);
        assertThat(table.get("rows").get(0).get("cells").get(1).toString()).isEqualTo(expected);
        assertThat(cell == null).isEqualTo("null".equals(expected));
    }
}
