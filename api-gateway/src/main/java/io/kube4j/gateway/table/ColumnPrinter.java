package io.kube4j.gateway.table;

import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A printer given as data: a list of columns, each with the function that computes its cell.
 * Most kinds need nothing more; kinds whose cells share one computation (pods) implement
 * {@link TablePrinter} directly.
 */
final class ColumnPrinter implements TablePrinter {

    /** A column and its cell, computed from the object and the current time. */
    record Column(TableColumn definition, BiFunction<ObjectNode, Instant, Object> cell) {}

    private final List<TableColumn> definitions;
    private final List<Column> columns;

    private ColumnPrinter(List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.definitions = this.columns.stream().map(Column::definition).toList();
    }

    static ColumnPrinter of(Column... columns) {
        return new ColumnPrinter(List.of(columns));
    }

    /** A column whose cell does not depend on time. */
    static Column col(TableColumn definition, Function<ObjectNode, Object> cell) {
        return new Column(definition, (o, now) -> cell.apply(o));
    }

    /** A column whose cell depends on the current time (ages, durations). */
    static Column timed(TableColumn definition, BiFunction<ObjectNode, Instant, Object> cell) {
        return new Column(definition, cell);
    }

    /** The name column. */
    static Column name() {
        return col(TableColumn.nameColumn(), o -> Fields.text(o, "metadata.name"));
    }

    /** The age column: time since {@code metadata.creationTimestamp}. */
    static Column age() {
        return timed(TableColumn.ageColumn(), (o, now) -> HumanDuration.since(Fields.text(o, "metadata.creationTimestamp"), now));
    }

    @Override
    public List<TableColumn> columns() {
        return definitions;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        List<Object> cells = new ArrayList<>(columns.size());
        for (Column c : columns) {
            cells.add(c.cell().apply(object, now));
        }
        return cells;
    }
}
