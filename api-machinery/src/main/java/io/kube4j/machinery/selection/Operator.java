package io.kube4j.machinery.selection;

/** The operators of a label selector requirement, with the spelling of the query-string syntax. */
public enum Operator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    EXISTS(""),
    DOES_NOT_EXIST("!"),
    GREATER_THAN("gt"),
    LESS_THAN("lt");

    private final String text;

    Operator(String text) {
        this.text = text;
    }

    /** The operator as Kubernetes names it in messages ({@code in}, {@code =}, {@code gt}...). */
    public String text() {
        return text;
    }
}
