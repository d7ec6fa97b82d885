package io.kube4j.gateway.table;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableConvertorTest {

    private static final String CM = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"default",
             "uid":"1b2c","resourceVersion":"51","creationTimestamp":"2026-11-25T11:00:00Z","labels":{"app":"web"}},
             "data":{"a":"1"}}""";

    @Test
    void listTableHasKubernetesShape() {
        ObjectNode table = Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, List.of(Printed.json(CM)),
                Printed.json("{\"resourceVersion\":\"99\",\"continue\":\"tok\",\"remainingItemCount\":4,\"selfLink\":\"x\"}"),
                IncludeObject.METADATA, Printed.NOW);
        assertThat(table.toString()).isEqualTo("""
                {"kind":"Table","apiVersion":"meta.k8s.io/v1",\
                "metadata":{"resourceVersion":"99","continue":"tok","remainingItemCount":4},\
                "columnDefinitions":[\
                {"name":"Name","type":"string","format":"name","description":"%s","priority":0},\
                {"name":"Data","type":"string","format":"","description":"Data contains the configuration data.","priority":0},\
                {"name":"Age","type":"string","format":"","description":"%s","priority":0}],\
                "rows":[{"cells":["settings",1,"60m"],\
                "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":\
                {"name":"settings","namespace":"default","uid":"1b2c","resourceVersion":"51",\
                "creationTimestamp":"2026-11-25T11:00:00Z","labels":{"app":"web"}}}}]}"""
                .formatted(TableColumn.NAME_DESCRIPTION, TableColumn.AGE_DESCRIPTION));
    }

    @Test
    void emptyListHasColumnsAndNoRows() {
        ObjectNode table = Printed.CONVERTOR.toTable(BuiltInTypes.POD, List.of(), null, IncludeObject.METADATA, Printed.NOW);
        assertThat(table.get("rows").isArray()).isTrue();
        assertThat(table.get("rows").size()).isZero();
        assertThat(table.get("metadata").size()).isZero();
        assertThat(table.get("columnDefinitions").size()).isEqualTo(9);
    }

    @Test
    void singleObjectTableTakesTheObjectsResourceVersion() {
        ObjectNode table = Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, Printed.json(CM), IncludeObject.METADATA, Printed.NOW);
        assertThat(table.get("metadata").toString()).isEqualTo("{\"resourceVersion\":\"51\"}");
        assertThat(table.get("rows").size()).isEqualTo(1);
    }

    @Test
    void includeObjectChoosesWhatRowsCarry() {
        ObjectNode object = Printed.json(CM);
        ObjectNode none = Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, object, IncludeObject.NONE, Printed.NOW);
        assertThat(none.get("rows").get(0).has("object")).isFalse();
        ObjectNode whole = Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, object, IncludeObject.OBJECT, Printed.NOW);
        assertThat(whole.get("rows").get(0).get("object")).isEqualTo(object);
        assertThat(whole.get("rows").get(0).get("object")).isNotSameAs(object);
    }

    @Test
    void theGivenObjectsAreLeftUnchanged() {
        ObjectNode object = Printed.json(CM);
        ObjectNode before = object.deepCopy();
        ObjectNode table = Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, object, IncludeObject.METADATA, Printed.NOW);
        ((ObjectNode) table.get("rows").get(0).get("object").get("metadata")).put("name", "changed");
        assertThat(object).isEqualTo(before);
    }

    @Test
    void v1beta1TablesRelabelTheirRows() {
        ObjectNode table = TableConvertor.withVersion(
                Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, Printed.json(CM), IncludeObject.METADATA, Printed.NOW), "v1beta1");
        assertThat(table.get("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(table.get("rows").get(0).get("object").get("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
    }

    @Test
    void laterWatchEventsCarryNoColumnDefinitions() {
        ObjectNode table = TableConvertor.withoutColumnDefinitions(
                Printed.CONVERTOR.toTable(BuiltInTypes.CONFIG_MAP, Printed.json(CM), IncludeObject.OBJECT, Printed.NOW));
        assertThat(table.get("columnDefinitions").isNull()).isTrue();
        assertThat(table.get("rows").get(0).get("cells").toString()).isEqualTo("[\"settings\",1,\"60m\"]");
    }

    @Test
    void unknownKindsPrintNameAndCreationTime() {
        ResourceType widget = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, null, null, null);
        ObjectNode table = Printed.CONVERTOR.toTable(widget, Printed.json(CM), IncludeObject.NONE, Printed.NOW);
        assertThat(table.get("columnDefinitions").findValuesAsString("name")).containsExactly("Name", "Created At");
        assertThat(table.get("rows").get(0).get("cells").toString()).isEqualTo("[\"settings\",\"2026-11-25T11:00:00Z\"]");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        TableConvertor convertor = new TableConvertor();
        List<PrinterColumn> columns = List.of(new PrinterColumn("Data", "string", "", "", 0, ".data.a"));
        Set<String> results = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = IntStream.range(0, 200).<Future<?>>mapToObj(i -> pool.submit(() -> {
                results.add(convertor.toTable(columns, Printed.json(CM), IncludeObject.NONE, Printed.NOW)
                        .get("rows").toString());
                results.add(convertor.toTable(BuiltInTypes.POD, List.of(Printed.json(PodPrinterTest.pod(PodPrinterTest.ONE,
                        PodPrinterTest.status("Running", "", PodPrinterTest.running("web", true, 0))))), null,
                        IncludeObject.NONE, Printed.NOW).get("rows").toString());
            })).toList();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(results).hasSize(2);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(value = {"'', METADATA", "None, NONE", "Metadata, METADATA", "Object, OBJECT"}, nullValues = "null")
    void readsTheIncludeObjectParameter(String parameter, IncludeObject expected) {
        assertThat(IncludeObject.fromParameter(parameter)).isEqualTo(expected);
        assertThat(IncludeObject.fromParameter(null)).isEqualTo(IncludeObject.METADATA);
    }

    @Test
    void rejectsAnUnknownIncludeObjectWithABadRequest() {
        assertThatThrownBy(() -> IncludeObject.fromParameter("metadata"))
                .isInstanceOf(ApiException.class)
                .hasMessage("unrecognized includeObject value: \"metadata\"")
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(400));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json | v1",
            "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json | v1beta1",
            "application/json; as=Table; g=meta.k8s.io; v=v1 | v1",
            "application/json | none",
            "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io | none",
            "application/json;as=Table;v=v2;g=meta.k8s.io | none",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList | none",
    })
    void negotiatesTheTableVersion(String accept, String expected) {
        assertThat(TableMediaType.requestedVersion(accept).orElse(null)).isEqualTo(expected);
    }
}
