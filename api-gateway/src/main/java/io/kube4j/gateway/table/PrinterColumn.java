package io.kube4j.gateway.table;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code additionalPrinterColumns} entry of a CustomResourceDefinition version.
 *
 * @param name        the column header
 * @param type        {@code integer}, {@code number}, {@code string}, {@code boolean} or {@code date}
 * @param format      an optional OpenAPI format
 * @param description an optional description; a default naming the path is used when empty
 * @param priority    0, or 1 and above for columns shown only with {@code -o wide}
 * @param jsonPath    a simple JSONPath evaluated against each object, e.g. {@code .spec.replicas}
 */
public record PrinterColumn(String name, String type, String format, String description, int priority, String jsonPath) {

    public PrinterColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jsonPath, "jsonPath");
        type = type == null ? "" : type;
        format = format == null ? "" : format;
        description = description == null ? "" : description;
    }

    /**
     * The column a CRD version without printer columns is served with: its age, from
     * {@code .metadata.creationTimestamp}.
     */
    public static final PrinterColumn AGE = new PrinterColumn("Age", "date", "", TableColumn.AGE_DESCRIPTION, 0,
            ".metadata.creationTimestamp");

    /**
     * The printer columns of one served version of a CustomResourceDefinition
     * ({@code apiextensions.k8s.io/v1}): its {@code additionalPrinterColumns}, or {@link #AGE} alone
     * when it declares none, as kube-apiserver serves them.
     *
     * @param crd     the CustomResourceDefinition as stored
     * @param version the served version's name, e.g. {@code v1}
     */
    public static List<PrinterColumn> forVersion(JsonNode crd, String version) {
        List<PrinterColumn> columns = new ArrayList<>();
        for (JsonNode v : Fields.list(crd, "spec.versions")) {
            if (!version.equals(Fields.text(v, "name"))) {
                continue;
            }
            for (JsonNode c : Fields.list(v, "additionalPrinterColumns")) {
                columns.add(new PrinterColumn(Fields.text(c, "name"), Fields.text(c, "type"), Fields.text(c, "format"),
                        Fields.text(c, "description"), (int) Fields.integer(c, "priority", 0), Fields.text(c, "jsonPath")));
            }
        }
        return columns.isEmpty() ? List.of(AGE) : List.copyOf(columns);
    }
}
