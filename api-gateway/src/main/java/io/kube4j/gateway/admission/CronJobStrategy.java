package io.kube4j.gateway.admission;

import io.kube4j.machinery.cron.CronSchedule;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.ZoneId;
import java.util.List;

/**
 * CronJobs (batch/v1): concurrencyPolicy Allow, suspend false, history limits 3 and 1, the job
 * template's pod defaults (not the Job's own defaults, as on Kubernetes); the schedule in the
 * five-field syntax or a macro; names of at most 52 characters.
 */
@Component
public final class CronJobStrategy extends BaseStrategy {

    private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");

    public CronJobStrategy() {
        super("batch", "CronJob");
    }

    @Override
    public void defaults(ObjectNode cronJob) {
        ObjectNode spec = Workloads.spec(cronJob);
        Defaulting.defaultText(spec, "concurrencyPolicy", "Allow");
        Defaulting.defaultBool(spec, "suspend", false);
        Defaulting.defaultInt(spec, "successfulJobsHistoryLimit", 3);
        Defaulting.defaultInt(spec, "failedJobsHistoryLimit", 1);
        ObjectNode jobTemplate = JsonTree.ensureObject(spec, "jobTemplate");
        PodSpecDefaults.templateMetadata(JsonTree.ensureObject(jobTemplate, "metadata"));
        ObjectNode jobSpec = JsonTree.ensureObject(jobTemplate, "spec");
        PodSpecDefaults.defaultTemplate(JsonTree.ensureObject(jobSpec, "template"));
    }

    @Override
    public void prepareForCreate(ObjectNode cronJob, AdmissionContext context) {
        Workloads.resetStatus(cronJob);
    }

    @Override
    public List<StatusCause> validate(ObjectNode cronJob, ObjectNode old) {
        Causes causes = new Causes();
        String name = JsonTree.stringOrEmpty(JsonTree.object(cronJob, "metadata"), "name");
        if (name.length() > 52) causes.invalid(FieldPath.of("metadata", "name"), name, "must be no more than 52 characters");
        FieldPath specPath = FieldPath.of("spec");
        ObjectNode spec = JsonTree.object(cronJob, "spec");
        if (spec == null) return causes.required(specPath).list();
        String schedule = JsonTree.stringOrEmpty(spec, "schedule");
        boolean oldHadTz = old != null && JsonTree.stringOrEmpty(JsonTree.object(old, "spec"), "schedule").contains("TZ");
        if (schedule.isEmpty()) {
            causes.required(specPath.child("schedule"));
        } else {
            validateSchedule(schedule, oldHadTz, JsonTree.present(spec, "timeZone"), specPath.child("schedule"), causes);
        }
        String timeZone = JsonTree.string(spec, "timeZone");
        if (timeZone != null && !isTimeZone(timeZone)) {
            causes.invalid(specPath.child("timeZone"), timeZone, "unknown time zone " + timeZone);
        }
        String concurrency = JsonTree.stringOrEmpty(spec, "concurrencyPolicy");
        if (!CONCURRENCY.contains(concurrency)) causes.notSupported(specPath.child("concurrencyPolicy"), concurrency, CONCURRENCY);
        for (String f : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            Workloads.nonNegative(spec, f, specPath, causes);
        }
        FieldPath templatePath = specPath.child("jobTemplate");
        ObjectNode jobTemplate = JsonTree.object(spec, "jobTemplate");
        ObjectNode jobSpec = JsonTree.object(jobTemplate, "spec");
        if (jobSpec == null) {
            causes.required(templatePath.child("spec"));
        } else {
            JsonNode selector = jobSpec.get("selector");
            if (selector != null && !selector.isNull() && !Boolean.TRUE.equals(JsonTree.bool(jobSpec, "manualSelector"))) {
                causes.invalid(templatePath.child("spec", "selector"), LabelSelectors.render(selector),
                        "`selector` will be auto-generated");
            }
            JobStrategy.validateJobSpec(jobSpec, templatePath.child("spec"), false, causes);
        }
        return causes.list();
    }

    static void validateSchedule(String schedule, boolean allowTz, boolean hasTimeZoneField, FieldPath path, Causes causes) {
        String expression = schedule.strip();
        if (expression.startsWith("TZ=") || expression.startsWith("CRON_TZ=")) {
            int space = expression.indexOf(' ');
            String zone = expression.substring(expression.indexOf('=') + 1, space < 0 ? expression.length() : space);
            if (!isTimeZone(zone)) {
                causes.invalid(path, schedule, "provided bad location " + zone + ": unknown time zone " + zone);
            }
            expression = space < 0 ? "" : expression.substring(space + 1);
        }
        try {
            CronSchedule.parse(expression);
        } catch (IllegalArgumentException e) {
            causes.invalid(path, schedule, e.getMessage());
        }
        if (allowTz && schedule.contains("TZ") && hasTimeZoneField) {
            causes.invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule");
        } else if (!allowTz && schedule.contains("TZ")) {
            causes.invalid(path, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
    }

    /** An IANA time zone name, as Go's time.LoadLocation accepts (not "Local", not offsets). */
    static boolean isTimeZone(String zone) {
        return zone.equals("UTC") || ZoneId.getAvailableZoneIds().contains(zone);
    }
}
