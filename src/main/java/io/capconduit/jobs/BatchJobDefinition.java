package io.capconduit.jobs;

import java.time.ZoneId;
import java.util.Map;

/** One {@code batch-jobs/*.yml} file: which Job bean to start, when, and with which default parameters. */
public record BatchJobDefinition(String file, String job, String description, boolean enabled, String cron,
        ZoneId timeZone, Map<String, String> parameters) {
}
