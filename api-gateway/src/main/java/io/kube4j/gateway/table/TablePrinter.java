package io.kube4j.gateway.table;

import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * The columns of one kind and the cells of one object, as kube-apiserver's printer for that kind
 * computes them. The table always carries every column, wide ones included: kubectl hides columns
 * of priority 1 unless asked for {@code -o wide}.
 *
 * <p>Contract: pure and thread-safe; {@link #cells} returns exactly one cell per column, each a
 * {@link String}, {@link Long}, {@link Double}, {@link Boolean} or null (kubectl prints
 * {@code <none>} for null); it never changes the object and never throws on a malformed object.
 */
public interface TablePrinter {

    /** The column definitions, in order. */
    List<TableColumn> columns();

    /** The cells of one row; {@code now} is the reference time of every age and duration. */
    List<Object> cells(ObjectNode object, Instant now);

    /**
     * The row's {@code conditions} (kube-apiserver marks finished pods {@code Completed}), empty
     * for most kinds.
     */
    default List<RowCondition> conditions(ObjectNode object) {
        return List.of();
    }

    /** A {@code TableRowCondition}. */
    record RowCondition(String type, String status, String reason, String message) {}
}
