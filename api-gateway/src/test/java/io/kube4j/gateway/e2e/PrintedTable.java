package io.kube4j.gateway.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table as kubectl prints it (tab-aligned columns under upper-case headers), read back into
 * cells. Columns start where their header starts, so empty cells (an unset {@code -L} label) read
 * as "". Header names may hold single spaces ({@code NOMINATED NODE}); columns are at least two
 * spaces apart.
 */
record PrintedTable(List<String> headers, List<Map<String, String>> rows) {

    private static final Pattern HEADER = Pattern.compile("\\S+(?: \\S+)*");

    static PrintedTable parse(String printed) {
        List<String> lines = printed.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new AssertionError("no table printed");
        String header = lines.getFirst();
        List<String> headers = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Matcher m = HEADER.matcher(header);
        while (m.find()) {
            headers.add(m.group());
            starts.add(m.start());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                int from = Math.min(starts.get(i), line.length());
                int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                row.put(headers.get(i), line.substring(from, to).trim());
            }
            rows.add(row);
        }
        return new PrintedTable(List.copyOf(headers), List.copyOf(rows));
    }

    /** The row whose first column is {@code name}. */
    Map<String, String> row(String name) {
        return rows.stream().filter(r -> r.get(headers.getFirst()).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }

    List<String> column(String header) {
        return rows.stream().map(r -> r.get(header)).toList();
    }
}
