package io.kube4j.machinery.cron;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob schedule in the standard five-field syntax (minute hour day-of-month month
 * day-of-week) or one of the macros {@code @yearly}, {@code @annually}, {@code @monthly},
 * {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}, {@code @every <duration>}.
 * Fields accept {@code *}, {@code ?} (day fields), lists, ranges, steps and month and weekday
 * names. Immutable and thread-safe.
 *
 * <p>{@link #parse} throws {@link IllegalArgumentException} with the message kube-apiserver
 * returns for the same schedule, e.g. {@code expected exactly 5 fields, found 1: [foo]}.
 */
public final class CronSchedule {

    private record Bounds(int min, int max, Map<String, Integer> names) {}

    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
            Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
            Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS = Map.of(
            "sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
    private static final Bounds MINUTE = new Bounds(0, 59, Map.of());
    private static final Bounds HOUR = new Bounds(0, 23, Map.of());
    private static final Bounds DOM = new Bounds(1, 31, Map.of());
    private static final Bounds MONTH = new Bounds(1, 12, MONTHS);
    private static final Bounds DOW = new Bounds(0, 6, DAYS);

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domStar;
    private final boolean dowStar;
    private final Duration every;

    private CronSchedule(String text, BitSet[] fields, boolean domStar, boolean dowStar, Duration every) {
        this.text = text;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.domStar = domStar;
        this.dowStar = dowStar;
        this.every = every;
    }

    public static CronSchedule parse(String schedule) {
        if (schedule == null || schedule.isBlank()) throw new IllegalArgumentException("empty spec string");
        String spec = schedule.strip();
        if (spec.startsWith("@")) {
            if (spec.startsWith("@every ")) {
                Duration d = GoDurations.parse(spec.substring("@every ".length()).strip());
                if (d.compareTo(Duration.ofSeconds(1)) < 0) d = Duration.ofSeconds(1);
                return new CronSchedule(spec, new BitSet[5], false, false, d);
            }
            String expanded = MACROS.get(spec);
            if (expanded == null) throw new IllegalArgumentException("unrecognized descriptor: " + spec);
            CronSchedule parsed = parse(expanded);
            return new CronSchedule(spec, new BitSet[]{parsed.minutes, parsed.hours, parsed.daysOfMonth,
                    parsed.months, parsed.daysOfWeek}, parsed.domStar, parsed.dowStar, null);
        }
        List<String> fields = List.of(spec.split("\\s+"));
        if (fields.size() != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.size() + ": ["
                    + String.join(" ", fields) + "]");
        }
        BitSet[] sets = {
                field(fields.get(0), MINUTE), field(fields.get(1), HOUR), field(fields.get(2), DOM),
                field(fields.get(3), MONTH), field(fields.get(4), DOW)};
        boolean domStar = fields.get(2).startsWith("*") || fields.get(2).startsWith("?");
        boolean dowStar = fields.get(4).startsWith("*") || fields.get(4).startsWith("?");
        return new CronSchedule(spec, sets, domStar, dowStar, null);
    }

    private static BitSet field(String field, Bounds bounds) {
        BitSet bits = new BitSet();
        for (String expr : field.split(",")) {
            range(expr, bounds, bits);
        }
        return bits;
    }

    private static void range(String expr, Bounds b, BitSet bits) {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        boolean singleDigit = lowAndHigh.length == 1;
        int start;
        int end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = b.min;
            end = b.max;
        } else {
            start = value(lowAndHigh[0], b.names);
            if (lowAndHigh.length == 1) end = start;
            else if (lowAndHigh.length == 2) end = value(lowAndHigh[1], b.names);
            else throw new IllegalArgumentException("too many hyphens: " + expr);
        }
        int step;
        if (rangeAndStep.length == 1) {
            step = 1;
        } else if (rangeAndStep.length == 2) {
            step = number(rangeAndStep[1]);
            // "N/step" means N through the field's maximum.
            if (singleDigit) end = b.max;
        } else {
            throw new IllegalArgumentException("too many slashes: " + expr);
        }
        if (start < b.min) {
            throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + b.min + "): " + expr);
        }
        if (end > b.max) {
            throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + b.max + "): " + expr);
        }
        if (start > end) {
            throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
        }
        if (step == 0) throw new IllegalArgumentException("step of range should be a positive number: " + expr);
        for (int v = start; v <= end; v += step) bits.set(v);
    }

    private static int value(String text, Map<String, Integer> names) {
        Integer named = names.get(text.toLowerCase(Locale.ROOT));
        return named != null ? named : number(text);
    }

    private static int number(String text) {
        if (!text.matches("[0-9]+")) {
            throw new IllegalArgumentException("failed to parse int from " + text + ": strconv.Atoi: parsing \""
                    + text + "\": invalid syntax");
        }
        if (text.length() > 9) {
            throw new IllegalArgumentException("failed to parse int from " + text + ": strconv.Atoi: parsing \""
                    + text + "\": value out of range");
        }
        return Integer.parseInt(text);
    }

    /** The schedule as written. */
    @Override
    public String toString() {
        return text;
    }

    /** Whether the schedule fires in the minute that contains {@code time}. */
    public boolean matches(ZonedDateTime time) {
        if (every != null) return false;
        boolean dom = daysOfMonth.get(time.getDayOfMonth());
        boolean dow = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        // Classic cron: when both day fields are restricted, either may match.
        boolean day = (domStar || dowStar) ? dom && dow : dom || dow;
        return minutes.get(time.getMinute()) && hours.get(time.getHour()) && months.get(time.getMonthValue()) && day;
    }

    /** The first activation strictly after {@code after}, within five years; null if none (e.g. {@code 0 0 30 2 *}). */
    public ZonedDateTime next(ZonedDateTime after) {
        if (every != null) {
            return after.plus(every).truncatedTo(ChronoUnit.SECONDS);
        }
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = after.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            boolean dom = daysOfMonth.get(t.getDayOfMonth());
            boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
            boolean day = (domStar || dowStar) ? dom && dow : dom || dow;
            if (!day) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            return t;
        }
        return null;
    }

    /** Go's {@code time.ParseDuration} for {@code @every}: e.g. {@code 1h30m}, {@code 90s}. */
    static final class GoDurations {
        private GoDurations() {}

        static Duration parse(String s) {
            if (!s.matches("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+")) {
                throw new IllegalArgumentException("failed to parse duration @every " + s
                        + ": time: invalid duration \"" + s + "\"");
            }
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
            double nanos = 0;
            while (m.find()) {
                double v = Double.parseDouble(m.group(1));
                nanos += v * switch (m.group(2)) {
                    case "ns" -> 1;
                    case "us", "µs" -> 1e3;
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                };
            }
            return Duration.ofNanos((long) nanos);
        }
    }
}
