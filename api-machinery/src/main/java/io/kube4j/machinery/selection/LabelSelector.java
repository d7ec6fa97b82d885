package io.kube4j.machinery.selection;

import io.kube4j.machinery.errors.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Equality-based label selectors (interim; the full syntax replaces this). */
public final class LabelSelector {
    private final List<String[]> terms;

    private LabelSelector(List<String[]> terms) {
        this.terms = terms;
    }

    public static LabelSelector everything() {
        return new LabelSelector(List.of());
    }

    public static LabelSelector parse(String selector) {
        List<String[]> terms = new ArrayList<>();
        for (String part : selector.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            String[] kv;
            if (p.contains("!=")) kv = new String[]{"!=", p.substring(0, p.indexOf("!=")).trim(), p.substring(p.indexOf("!=") + 2).trim()};
            else if (p.contains("==")) kv = new String[]{"=", p.substring(0, p.indexOf("==")).trim(), p.substring(p.indexOf("==") + 2).trim()};
            else if (p.contains("=")) kv = new String[]{"=", p.substring(0, p.indexOf('=')).trim(), p.substring(p.indexOf('=') + 1).trim()};
            else if (p.startsWith("!")) kv = new String[]{"!", p.substring(1).trim(), ""};
            else if (p.matches("[A-Za-z0-9./_-]+")) kv = new String[]{"exists", p, ""};
            else throw ApiException.badRequest("unable to parse requirement: " + p);
            terms.add(kv);
        }
        return new LabelSelector(terms);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (String[] t : terms) {
            String v = labels.get(t[1]);
            boolean ok = switch (t[0]) {
                case "=" -> t[2].equals(v);
                case "!=" -> !t[2].equals(v);
                case "!" -> v == null;
                default -> v != null;
            };
            if (!ok) return false;
        }
        return true;
    }
}
