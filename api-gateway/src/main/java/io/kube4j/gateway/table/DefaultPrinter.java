package io.kube4j.gateway.table;

import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The printer of kinds kube-apiserver has no printer for (Roles, ClusterRoles, LimitRanges,
 * CustomResourceDefinitions...): {@code NAME CREATED AT}, the creation time in RFC 3339, UTC.
 */
final class DefaultPrinter implements TablePrinter {

    static final DefaultPrinter INSTANCE = new DefaultPrinter();

    private static final List<TableColumn> COLUMNS = List.of(
            TableColumn.nameColumn(),
            new TableColumn("Created At", "date", "", TableColumn.AGE_DESCRIPTION, 0));

    /** Go's zero time, which an object without a creation time shows. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneOffset.UTC);

    private DefaultPrinter() {}

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        Instant created = HumanDuration.parse(Fields.text(object, "metadata.creationTimestamp"));
        List<Object> cells = new ArrayList<>(2);
        cells.add(Fields.text(object, "metadata.name"));
        cells.add(created == null ? ZERO_TIME : RFC3339.format(created));
        return cells;
    }
}
