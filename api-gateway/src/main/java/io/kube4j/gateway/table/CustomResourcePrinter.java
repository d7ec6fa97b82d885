package io.kube4j.gateway.table;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The printer of a custom resource: the name, then one column per {@link PrinterColumn}, each cell
 * the first value its JSONPath selects, typed by the column's type. A value that is absent or of
 * the wrong type gives a null cell, which kubectl leaves blank.
 *
 * <p>A column whose path does not parse ends the list: it and the columns after it are left out,
 * which is what kube-apiserver serves for such a definition.
 */
final class CustomResourcePrinter implements TablePrinter {

    private record Compiled(TableColumn definition, JsonPath path) {}

    private final List<Compiled> columns;
    private final List<TableColumn> definitions;

    CustomResourcePrinter(List<PrinterColumn> printerColumns) {
        List<Compiled> compiled = new ArrayList<>();
        for (PrinterColumn c : printerColumns) {
            JsonPath path;
            try {
                path = JsonPath.compile(c.jsonPath());
            } catch (IllegalArgumentException e) {
                break;
            }
            String description = c.description().isEmpty()
                    ? "Custom resource definition column (in JSONPath format): " + c.jsonPath()
                    : c.description();
            compiled.add(new Compiled(new TableColumn(c.name(), c.type(), c.format(), description, c.priority()), path));
        }
        this.columns = List.copyOf(compiled);
        List<TableColumn> defs = new ArrayList<>();
        defs.add(TableColumn.nameColumn());
        compiled.forEach(c -> defs.add(c.definition()));
        this.definitions = List.copyOf(defs);
    }

    @Override
    public List<TableColumn> columns() {
        return definitions;
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        List<Object> cells = new ArrayList<>(definitions.size());
        cells.add(Fields.text(object, "metadata.name"));
        for (Compiled c : columns) {
            List<JsonNode> found = c.path().find(object);
            cells.add(found.isEmpty() ? null : cell(c.definition().type(), found.getFirst(), now));
        }
        return cells;
    }

    static Object cell(String type, JsonNode value, Instant now) {
        if (value == null || value.isNull()) {
            return null;
        }
        return switch (type) {
            case "string" -> GoText.print(value);
            case "integer" -> value.isIntegralNumber() ? (Object) value.asLong()
                    : value.isNumber() ? (Object) (long) value.asDouble() : null;
            case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
            case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
            case "date" -> {
                if (!value.isString()) {
                    yield null;
                }
                String text = value.stringValue();
                if (text.isEmpty()) {
                    yield HumanDuration.UNKNOWN;
                }
                Instant t = HumanDuration.parse(text);
                yield t == null ? "<invalid>" : HumanDuration.format(Duration.between(t, now));
            }
            default -> null;
        };
    }

    /** Scalars as Go's {@code fmt} prints them, containers as compact JSON: what kubectl's JSONPath prints. */
    static final class GoText {
        private GoText() {}

        static String print(JsonNode value) {
            if (value.isContainer()) {
                return value.toString();
            }
            if (value.isString()) {
                return value.stringValue();
            }
            if (value.isIntegralNumber()) {
                return value.bigIntegerValue().toString();
            }
            if (value.isNumber()) {
                return formatFloat(value.asDouble());
            }
            return value.asString();
        }

        /** Go's {@code %v} of a float64: shortest digits, exponent form below 1e-4 and from 1e6. */
        static String formatFloat(double d) {
            if (Double.isNaN(d)) return "NaN";
            if (Double.isInfinite(d)) return d > 0 ? "+Inf" : "-Inf";
            if (d == 0) return (1 / d < 0) ? "-0" : "0";
            BigDecimal decimal = new BigDecimal(Double.toString(d)).stripTrailingZeros();
            String digits = decimal.unscaledValue().abs().toString();
            int exponent = digits.length() - decimal.scale() - 1;
            String sign = d < 0 ? "-" : "";
            if (exponent < -4 || exponent >= 6) {
                String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
                String exp = Integer.toString(Math.abs(exponent));
                return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
            }
            return sign + decimal.abs().toPlainString();
        }
    }
}
