package io.kube4j.gateway.table;

import java.util.Objects;

/**
 * One {@code TableColumnDefinition} of a {@code meta.k8s.io/v1 Table}.
 *
 * @param name        the header kubectl prints, upper-cased by kubectl ({@code Ready} → {@code READY})
 * @param type        an OpenAPI type: {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code date}
 * @param format      an OpenAPI format hint, {@code name} for the object's name column, else empty
 * @param description what the column shows
 * @param priority    0 for the default view, 1 for columns kubectl shows only with {@code -o wide}
 */
public record TableColumn(String name, String type, String format, String description, int priority) {

    public TableColumn {
        Objects.requireNonNull(name, "name");
        type = type == null || type.isEmpty() ? "string" : type;
        format = format == null ? "" : format;
        description = description == null ? "" : description;
    }

    static final String NAME_DESCRIPTION = "Name must be unique within a namespace. It is required when creating"
            + " resources and identifies the object within its kind.";
    static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when"
            + " this object was created, in RFC 3339 form and UTC.";

    /** The {@code Name} column every printer starts with. */
    static TableColumn nameColumn() {
        return new TableColumn("Name", "string", "name", NAME_DESCRIPTION, 0);
    }

    /** The {@code Age} column. */
    static TableColumn ageColumn() {
        return new TableColumn("Age", "string", "", AGE_DESCRIPTION, 0);
    }

    static TableColumn string(String name, String description) {
        return new TableColumn(name, "string", "", description, 0);
    }

    static TableColumn integer(String name, String description) {
        return new TableColumn(name, "integer", "", description, 0);
    }

    static TableColumn bool(String name, String description) {
        return new TableColumn(name, "boolean", "", description, 0);
    }

    /** The same column, shown only with {@code -o wide}. */
    TableColumn wide() {
        return new TableColumn(name, type, format, description, 1);
    }
}
