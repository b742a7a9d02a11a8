package io.capconduit.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.text.ParseException;
import java.time.ZoneId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import org.quartz.CronExpression;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses and checks one job file (format: batch-jobs/README.md). Every problem is an
 * {@link InvalidBatchJobDefinitionException} naming the file and the field, so a bad file stops start-up
 * with a message an operator can act on.
 */
final class BatchJobDefinitionReader {

    private static final List<String> KEYS = List.of("job", "description", "enabled", "schedule", "parameters");
    private static final List<String> SCHEDULE_KEYS = List.of("cron", "time-zone");
    /** The widths of the columns these end up in: Quartz's job description, Spring Batch's run parameters. */
    private static final int DESCRIPTION_LENGTH = 250;
    private static final int PARAMETER_NAME_LENGTH = 100;
    private static final int PARAMETER_VALUE_LENGTH = 2500;

    private BatchJobDefinitionReader() {
    }

    static BatchJobDefinition read(String file, InputStream content) throws IOException {
        Map<String, Object> root = asMap(file, "(file)", load(file, content));
        onlyKnownKeys(file, "", root, KEYS);
        String job = requiredText(file, "job", root.get("job"));
        String description = description(file, root.get("description"));
        boolean enabled = flag(file, root.getOrDefault("enabled", Boolean.TRUE));
        Map<String, Object> schedule = asMap(file, "schedule", root.get("schedule"));
        onlyKnownKeys(file, "schedule.", schedule, SCHEDULE_KEYS);
        String cron = requiredText(file, "schedule.cron", schedule.get("cron"));
        ZoneId zone = zone(file, schedule.getOrDefault("time-zone", "UTC"));
        checkCron(file, cron, zone);
        return new BatchJobDefinition(file, job, description, enabled, cron, zone,
                parameters(file, root.get("parameters")));
    }

    private static String description(String file, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw new InvalidBatchJobDefinitionException(file, "description", "must be text, not a structure");
        }
        return fitting(file, "description", value.toString(), DESCRIPTION_LENGTH);
    }

    /** A longer text would stop start-up (or a run) on the database's refusal, naming no file. */
    private static String fitting(String file, String field, String text, int limit) {
        if (text.length() > limit) {
            throw new InvalidBatchJobDefinitionException(file, field,
                    "is " + text.length() + " characters long; at most " + limit + " fit where it is stored");
        }
        return text;
    }

    /** Quartz's own reason for refusing a cron, and a cron that would never fire (30 February). */
    private static void checkCron(String file, String cron, ZoneId zone) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new InvalidBatchJobDefinitionException(file, "schedule.cron", "'" + cron + "' is not a Quartz cron "
                    + "expression (seconds minutes hours day-of-month month day-of-week): " + e.getMessage());
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        if (expression.getNextValidTimeAfter(new Date()) == null) {
            throw new InvalidBatchJobDefinitionException(file, "schedule.cron", "'" + cron + "' never fires");
        }
    }

    private static Object load(String file, InputStream content) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(content);
        } catch (YAMLException e) {
            throw new InvalidBatchJobDefinitionException(file, "(file)", "is not valid YAML: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String file, String field, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidBatchJobDefinitionException(file, field, "must be a mapping");
        }
        return (Map<String, Object>) map;
    }

    private static String requiredText(String file, String field, Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidBatchJobDefinitionException(file, field, "is required and must be text");
        }
        return text.trim();
    }

    private static boolean flag(String file, Object value) {
        if (!(value instanceof Boolean bool)) {
            throw new InvalidBatchJobDefinitionException(file, "enabled", "must be true or false");
        }
        return bool;
    }

    /** A misspelt key ({@code timezone:}, {@code params:}) would otherwise leave its setting at the default. */
    private static void onlyKnownKeys(String file, String prefix, Map<String, Object> map, List<String> known) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new InvalidBatchJobDefinitionException(file, prefix + key,
                        "is not a known field (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * An IANA zone only: Java reads offsets such as {@code UTC+3} too, but Quartz's {@link java.util.TimeZone}
     * turns them into GMT without a word.
     */
    private static ZoneId zone(String file, Object value) {
        String text = requiredText(file, "schedule.time-zone", value);
        try {
            return ZoneId.of(InputChecks.timeZone("schedule.time-zone", text));
        } catch (InvalidInputException e) {
            throw new InvalidBatchJobDefinitionException(file, "schedule.time-zone",
                    "'" + text + "' is not an IANA time zone (e.g. UTC, America/New_York)");
        }
    }

    private static Map<String, String> parameters(String file, Object value) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (value == null) {
            return parameters;
        }
        asMap(file, "parameters", value).forEach((name, parameter) -> {
            if (!(parameter instanceof String text)) {
                throw new InvalidBatchJobDefinitionException(file, "parameters." + name,
                        "must be a quoted string (e.g. \"120\"), not " + (parameter == null ? "empty"
                                : parameter instanceof Map || parameter instanceof Iterable ? "a structure" : "'" + parameter + "'"));
            }
            if ("firedAt".equals(name)) {
                throw new InvalidBatchJobDefinitionException(file, "parameters.firedAt",
                        "is set by the scheduler for every run and cannot be a default");
            }
            fitting(file, "parameters." + name, name, PARAMETER_NAME_LENGTH);
            parameters.put(name, fitting(file, "parameters." + name, text, PARAMETER_VALUE_LENGTH));
        });
        return parameters;
    }
}
