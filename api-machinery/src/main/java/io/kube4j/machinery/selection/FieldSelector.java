package io.kube4j.machinery.selection;

import io.kube4j.machinery.errors.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Field selectors (interim; the full implementation replaces this). */
public final class FieldSelector {
    private final List<String[]> terms;

    private FieldSelector(List<String[]> terms) {
        this.terms = terms;
    }

    public static FieldSelector everything() {
        return new FieldSelector(List.of());
    }

    public static FieldSelector parse(String selector) {
        List<String[]> terms = new ArrayList<>();
        for (String part : selector.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            if (p.contains("!=")) terms.add(new String[]{"!=", p.substring(0, p.indexOf("!=")), p.substring(p.indexOf("!=") + 2)});
            else if (p.contains("==")) terms.add(new String[]{"=", p.substring(0, p.indexOf("==")), p.substring(p.indexOf("==") + 2)});
            else if (p.contains("=")) terms.add(new String[]{"=", p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1)});
            else throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + p + "'");
        }
        return new FieldSelector(terms);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public List<String> fields() {
        return terms.stream().map(t -> t[1]).toList();
    }

    public boolean matches(Function<String, String> value) {
        for (String[] t : terms) {
            boolean eq = t[2].equals(value.apply(t[1]));
            if (t[0].equals("=") != eq) return false;
        }
        return true;
    }
}
