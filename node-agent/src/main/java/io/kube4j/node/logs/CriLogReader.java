package io.kube4j.node.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's log file in the CRI format ({@code <RFC3339Nano> <stream> <P|F> <text>}
 * per line; P marks a partial line that the next one continues) and writes it as
 * {@code kubectl logs} shows it: the text, with {@code --timestamps} the time first,
 * {@code --since} and {@code --tail} applied, and with {@code -f} following the file while the
 * container runs. Stateless; one call per request.
 */
public final class CriLogReader {

    /** What to read. {@code tailLines} and {@code since} are null when not asked for. */
    public record Options(boolean follow, Integer tailLines, Instant since, boolean timestamps) {
    }

    private CriLogReader() {
    }

    /**
     * Writes the log to {@code out}; when following, keeps reading until {@code running} says the
     * container stopped and the file is read to its end.
     */
    public static void write(Path file, Options options, OutputStream out, BooleanSupplier running) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Deque<String> tail = options.tailLines() == null ? null : new ArrayDeque<>();
            StringBuilder partial = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                String formatted = format(line, options, partial);
                if (formatted == null) continue;
                if (tail != null) {
                    if (options.tailLines() <= 0) continue;
                    tail.addLast(formatted);
                    if (tail.size() > options.tailLines()) tail.removeFirst();
                } else {
                    out.write(formatted.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (tail != null) {
                for (String s : tail) out.write(s.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            if (!options.follow()) return;
            StringBuilder pending = new StringBuilder();
            while (true) {
                int c = reader.read();
                if (c < 0) {
                    if (!running.getAsBoolean()) {
                        // One last read: the container may have written before it stopped.
                        String rest = reader.readLine();
                        if (rest == null) return;
                        pending.append(rest);
                        String formatted = format(pending.toString(), options, partial);
                        if (formatted != null) out.write(formatted.getBytes(StandardCharsets.UTF_8));
                        pending.setLength(0);
                        out.flush();
                        continue;
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    continue;
                }
                if (c == '\n') {
                    String formatted = format(pending.toString(), options, partial);
                    pending.setLength(0);
                    if (formatted != null) {
                        out.write(formatted.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } else {
                    pending.append((char) c);
                }
            }
        }
    }

    /** One CRI log line as kubectl shows it, or null when it is filtered out or continues on the next line. */
    static String format(String line, Options options, StringBuilder partial) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        int third = second < 0 ? -1 : line.indexOf(' ', second + 1);
        if (third < 0) return null;
        String time = line.substring(0, first);
        String tag = line.substring(second + 1, third);
        String text = line.substring(third + 1);
        if ("P".equals(tag)) {
            partial.append(text);
            return null;
        }
        String whole = partial + text;
        partial.setLength(0);
        if (options.since() != null) {
            try {
                if (Instant.parse(time).isBefore(options.since())) return null;
            } catch (DateTimeParseException ignored) {
                // Not a CRI line: shown.
            }
        }
        return (options.timestamps() ? time + " " : "") + whole + "\n";
    }
}
