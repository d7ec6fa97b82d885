package io.kube4j.gateway.table;

import io.kube4j.machinery.registry.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side printing: turns objects into the {@code meta.k8s.io/v1 Table} that {@code kubectl get}
 * asks for, with the columns and cell texts of kube-apiserver's printers.
 *
 * <pre>{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"42"},
 *  "columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"…","priority":0},…],
 *  "rows":[{"cells":["nginx","1/1","Running","0","5m","10.244.1.5","node-1","&lt;none&gt;","&lt;none&gt;"],
 *           "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{…}}}]}</pre>
 *
 * <p>Every column is always present, wide ones (priority 1) included; kubectl shows those only with
 * {@code -o wide}. Built-in kinds print with their own printer, custom resources with the printer
 * columns of their CRD version ({@link PrinterColumn#forVersion}), any other kind with
 * {@code NAME CREATED AT}.
 *
 * <p>Contract: pure apart from a cache of compiled custom-resource printers; thread-safe; never
 * changes the objects it is given (rows carry copies); never throws on a malformed object. Ages
 * and durations are computed against the {@code now} argument.
 */
public final class TableConvertor {

    public static final String API_VERSION = "meta.k8s.io/v1";

    /** How many distinct custom-resource column lists are kept compiled. */
    private static final int CACHE_LIMIT = 512;

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Map<List<PrinterColumn>, TablePrinter> customPrinters = new ConcurrentHashMap<>();

    /**
     * The table of a list of objects of a built-in (or printer-less) type.
     *
     * @param type         the objects' type; selects the printer
     * @param objects      the list's items, in order
     * @param listMetadata the list's {@code metadata} ({@code resourceVersion}, {@code continue},
     *                     {@code remainingItemCount}), copied to the table's; may be null
     * @param include      what each row's {@code object} carries
     * @param now          the time ages are measured to
     */
    public ObjectNode toTable(ResourceType type, List<ObjectNode> objects, ObjectNode listMetadata,
                              IncludeObject include, Instant now) {
        return build(BuiltInPrinters.forType(type), objects, listMetadata(listMetadata), include, now);
    }

    /** The table of one object (a {@code get} of one name, or one watch event). */
    public ObjectNode toTable(ResourceType type, ObjectNode object, IncludeObject include, Instant now) {
        return build(BuiltInPrinters.forType(type), List.of(object), objectMetadata(object), include, now);
    }

    /**
     * The table of a list of custom resources, printed with their CRD's printer columns.
     *
     * @param columns the served version's columns; {@link PrinterColumn#forVersion} extracts them
     *                from the CRD, with the default {@code Age} column when it declares none
     */
    public ObjectNode toTable(List<PrinterColumn> columns, List<ObjectNode> objects, ObjectNode listMetadata,
                              IncludeObject include, Instant now) {
        return build(customPrinter(columns), objects, listMetadata(listMetadata), include, now);
    }

    /** The table of one custom resource, printed with its CRD's printer columns. */
    public ObjectNode toTable(List<PrinterColumn> columns, ObjectNode object, IncludeObject include, Instant now) {
        return build(customPrinter(columns), List.of(object), objectMetadata(object), include, now);
    }

    /**
     * The same table as another Table version ({@code v1} or {@code v1beta1}, see
     * {@link TableMediaType#requestedVersion}): the table and its rows' {@code PartialObjectMetadata}
     * take that version's {@code apiVersion}. Changes and returns the given table.
     */
    public static ObjectNode withVersion(ObjectNode table, String version) {
        String apiVersion = TableMediaType.apiVersion(version);
        table.put("apiVersion", apiVersion);
        for (JsonNode row : table.path("rows")) {
            if (row.get("object") instanceof ObjectNode object && "PartialObjectMetadata".equals(Fields.text(object, "kind"))) {
                object.put("apiVersion", apiVersion);
            }
        }
        return table;
    }

    /**
     * The table of a watch event after the first: kube-apiserver sends the column definitions with
     * the first event of a watch only, and kubectl keeps the ones it got. The definitions become
     * null, as Go writes an absent list. Changes and returns the given table.
     */
    public static ObjectNode withoutColumnDefinitions(ObjectNode table) {
        table.putNull("columnDefinitions");
        return table;
    }

    /** The column definitions of a type, as the table carries them. */
    public List<TableColumn> columns(ResourceType type) {
        return BuiltInPrinters.forType(type).columns();
    }

    private TablePrinter customPrinter(List<PrinterColumn> columns) {
        List<PrinterColumn> key = List.copyOf(Objects.requireNonNull(columns, "columns"));
        if (customPrinters.size() >= CACHE_LIMIT) {
            customPrinters.clear();
        }
        return customPrinters.computeIfAbsent(key, CustomResourcePrinter::new);
    }

    private ObjectNode build(TablePrinter printer, List<ObjectNode> objects, ObjectNode metadata,
                             IncludeObject include, Instant now) {
        Objects.requireNonNull(include, "include");
        Objects.requireNonNull(now, "now");
        ObjectNode table = nodes.objectNode();
        table.put("kind", "Table");
        table.put("apiVersion", API_VERSION);
        table.set("metadata", metadata);
        ArrayNode columnDefinitions = table.putArray("columnDefinitions");
        for (TableColumn c : printer.columns()) {
            ObjectNode column = columnDefinitions.addObject();
            column.put("name", c.name());
            column.put("type", c.type());
            column.put("format", c.format());
            column.put("description", c.description());
            column.put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : printer.cells(object, now)) {
                cells.add(cellNode(cell));
            }
            List<TablePrinter.RowCondition> conditions = printer.conditions(object);
            if (!conditions.isEmpty()) {
                ArrayNode conditionNodes = row.putArray("conditions");
                for (TablePrinter.RowCondition c : conditions) {
                    ObjectNode condition = conditionNodes.addObject();
                    condition.put("type", c.type());
                    condition.put("status", c.status());
                    condition.put("reason", c.reason());
                    condition.put("message", c.message());
                }
            }
            switch (include) {
                case NONE -> { }
                case METADATA -> row.set("object", partialObjectMetadata(object));
                case OBJECT -> row.set("object", object.deepCopy());
            }
        }
        return table;
    }

    private ObjectNode partialObjectMetadata(ObjectNode object) {
        ObjectNode partial = nodes.objectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", API_VERSION);
        JsonNode metadata = object.get("metadata");
        partial.set("metadata", metadata instanceof ObjectNode m ? m.deepCopy() : nodes.objectNode());
        return partial;
    }

    private JsonNode cellNode(Object cell) {
        return switch (cell) {
            case null -> nodes.nullNode();
            case String s -> nodes.stringNode(s);
            case Long l -> nodes.numberNode(l);
            case Integer i -> nodes.numberNode(i.longValue());
            case Boolean b -> nodes.booleanNode(b);
            // Go writes a whole float64 without a fraction: 3, not 3.0.
            case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> nodes.numberNode(d.longValue());
            case Double d -> nodes.numberNode(d);
            default -> nodes.stringNode(cell.toString());
        };
    }

    /** The table's metadata from a list's: only the fields that are set, as Go's omitempty writes them. */
    private ObjectNode listMetadata(ObjectNode listMetadata) {
        ObjectNode metadata = nodes.objectNode();
        if (listMetadata == null) {
            return metadata;
        }
        copyText(listMetadata, "resourceVersion", metadata);
        copyText(listMetadata, "continue", metadata);
        JsonNode remaining = listMetadata.get("remainingItemCount");
        if (remaining != null && remaining.isNumber()) {
            metadata.put("remainingItemCount", remaining.asLong());
        }
        return metadata;
    }

    private ObjectNode objectMetadata(ObjectNode object) {
        ObjectNode metadata = nodes.objectNode();
        if (object != null && object.get("metadata") instanceof ObjectNode m) {
            copyText(m, "resourceVersion", metadata);
        }
        return metadata;
    }

    private static void copyText(JsonNode from, String field, ObjectNode to) {
        String value = Fields.text(from.path(field));
        if (!value.isEmpty()) {
            to.put(field, value);
        }
    }
}
