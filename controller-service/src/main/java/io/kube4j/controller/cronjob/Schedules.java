package io.kube4j.controller.cronjob;

import io.kube4j.machinery.cron.CronSchedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A CronJob's schedule in its time zone, and the arithmetic kube's cronjob controller does on it:
 * the most recent start time that was missed, how many were missed, the next one. Pure functions;
 * instances are immutable.
 *
 * @param cron the parsed five-field schedule or macro
 * @param zone {@code spec.timeZone}, a {@code TZ=}/{@code CRON_TZ=} prefix of the schedule, or UTC
 */
public record Schedules(CronSchedule cron, ZoneId zone) {

    /** More missed start times than this are reported as too many (kube: 100). */
    static final int TOO_MANY_MISSED = 100;
    private static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofDays(1),
            Duration.ofDays(32), Duration.ofDays(367), Duration.ofDays(5 * 366));

    /** The schedule of {@code schedule} in {@code timeZone} (null: UTC, or the schedule's own TZ= prefix); throws IllegalArgumentException. */
    public static Schedules of(String schedule, String timeZone) {
        String expression = schedule.strip();
        ZoneId zone = ZoneOffset.UTC;
        if (expression.startsWith("TZ=") || expression.startsWith("CRON_TZ=")) {
            int space = expression.indexOf(' ');
            if (space < 0) throw new IllegalArgumentException("invalid schedule " + schedule);
            zone = ZoneId.of(expression.substring(expression.indexOf('=') + 1, space));
            expression = expression.substring(space + 1).strip();
        }
        if (timeZone != null && !timeZone.isEmpty()) zone = ZoneId.of(timeZone);
        return new Schedules(CronSchedule.parse(expression), zone);
    }

    /** The first start time strictly after {@code after}, or null when the schedule never fires again. */
    public Instant next(Instant after) {
        ZonedDateTime t = cron.next(after.atZone(zone));
        return t == null ? null : t.toInstant();
    }

    /**
     * The start times in (earliest, now]: how many there were (counting stops just past
     * {@link #TOO_MANY_MISSED}) and the most recent, or null when there was none.
     */
    public record Missed(Instant mostRecent, int count) {
        public boolean tooMany() {
            return count > TOO_MANY_MISSED;
        }
    }

    public Missed missed(Instant earliest, Instant now) {
        Instant last = null;
        int count = 0;
        for (Instant t = next(earliest); t != null && !t.isAfter(now); t = next(t)) {
            last = t;
            if (++count > TOO_MANY_MISSED) break;
        }
        if (count <= TOO_MANY_MISSED) return new Missed(last, count);
        // Too many to walk: the most recent one lies in the smallest window before now that has one.
        for (Duration window : WINDOWS) {
            Instant from = now.minus(window);
            if (from.isBefore(earliest)) from = earliest;
            Instant recent = null;
            for (Instant t = next(from); t != null && !t.isAfter(now); t = next(t)) recent = t;
            if (recent != null) return new Missed(recent, count);
        }
        return new Missed(last, count);
    }
}
