package io.capconduit.jobs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.step.StepExecution;

/** The GraphQL shapes of jobs, schedules and executions (schema: graphql-schema/jobs.graphqls). */
final class BatchJobViews {

    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[\\w$]+\\.)+[\\w$]*(?:Exception|Error)[\\w$]*:\\s*");
    private static final Pattern DATABASE_ERROR = Pattern.compile("(?m)\\bERROR: [^\\n]*");
    private static final Pattern SQL_TEXT = Pattern.compile("(?s)(?:for SQL \\[.*?\\]; (?=SQL state \\[)|### SQL:.*|### The error may.*?(?=###|$))");

    private BatchJobViews() {
    }

    record BatchJob(String name, String description) {
    }

    record BatchJobSchedule(String file, boolean enabled, String cron, String timeZone, Instant nextFireTime,
            Instant previousFireTime, List<BatchJobParameter> defaultParameters) {
    }

    record BatchJobParameter(String name, String value, String type, boolean identifying) {

        static List<BatchJobParameter> of(Map<String, String> defaults) {
            return defaults.entrySet().stream()
                    .map(e -> new BatchJobParameter(e.getKey(), e.getValue(), "String", true)).toList();
        }
    }

    record BatchJobParameterInput(String name, String value) {
    }

    record BatchJobExecution(long id, String jobName, long jobInstanceId, String status, String exitCode,
            String exitMessage, Instant createTime, Instant startTime, Instant endTime,
            List<BatchJobParameter> parameters, List<BatchStepExecution> steps) {

        static BatchJobExecution of(JobExecution e) {
            List<BatchJobParameter> parameters = e.getJobParameters().parameters().stream()
                    .sorted(Comparator.comparing(JobParameter::name))
                    .map(p -> new BatchJobParameter(p.name(), String.valueOf(p.value()), p.type().getSimpleName(),
                            p.identifying()))
                    .toList();
            List<BatchStepExecution> steps = e.getStepExecutions().stream()
                    .sorted(Comparator.comparing(StepExecution::getId)).map(BatchStepExecution::of).toList();
            return of(e.getId(), e.getJobInstance().getJobName(), e.getJobInstanceId(), e.getStatus(),
                    e.getExitStatus().getExitCode(), e.getExitStatus().getExitDescription(), e.getCreateTime(),
                    e.getStartTime(), e.getEndTime(), parameters, steps);
        }

        /** From the repository's columns, read for many executions at once ({@code parameters} sorted by name). */
        static BatchJobExecution of(long id, String jobName, long jobInstanceId, BatchStatus status, String exitCode,
                String exitDescription, LocalDateTime createTime, LocalDateTime startTime, LocalDateTime endTime,
                List<BatchJobParameter> parameters, List<BatchStepExecution> steps) {
            return new BatchJobExecution(id, jobName, jobInstanceId, status.name(), exitCode,
                    exitMessage(status, exitDescription, steps), instant(createTime), instant(startTime),
                    instant(endTime), parameters, steps);
        }

        /**
         * The job's own exit description, else why its first unsuccessful step ended: Spring Batch keeps a failed
         * step's error on the step only, and an execution that failed should say why where it is listed.
         */
        private static String exitMessage(BatchStatus status, String exitDescription, List<BatchStepExecution> steps) {
            String own = readable(exitDescription);
            if (own != null || !status.isUnsuccessful()) {
                return own;
            }
            return steps.stream().filter(s -> s.exitMessage() != null
                            && BatchStatus.valueOf(s.status()).isUnsuccessful())
                    .map(s -> s.name() + ": " + s.exitMessage()).findFirst().orElse(null);
        }
    }

    record BatchStepExecution(long id, String name, String status, long readCount, long writeCount,
            long filterCount, long commitCount, long rollbackCount, long readSkipCount, long processSkipCount,
            long writeSkipCount, long skipCount, Instant startTime, Instant endTime, String exitCode,
            String exitMessage) {

        static BatchStepExecution of(StepExecution s) {
            return new BatchStepExecution(s.getId(), s.getStepName(), s.getStatus().name(), s.getReadCount(),
                    s.getWriteCount(), s.getFilterCount(), s.getCommitCount(), s.getRollbackCount(),
                    s.getReadSkipCount(), s.getProcessSkipCount(), s.getWriteSkipCount(), s.getSkipCount(),
                    instant(s.getStartTime()), instant(s.getEndTime()), s.getExitStatus().getExitCode(),
                    readable(s.getExitStatus().getExitDescription()));
        }
    }

    static Instant instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /**
     * An exit description for the API. One of ours is a sentence and stays as it is. Spring Batch's, for a step
     * that threw, is the stack trace (cut at 2,500 characters, maybe inside a MyBatis message's SQL), whose SQL
     * text and class names are nobody's business outside the log: what remains is PostgreSQL's own error line
     * if there is one, else the innermost cause's message.
     */
    static String readable(String description) {
        if (blankToNull(description) == null
                || !(description.contains("\n\tat ") || CLASS_PREFIX.matcher(description).lookingAt())) {
            return blankToNull(description);
        }
        Matcher database = DATABASE_ERROR.matcher(description);
        if (database.find()) {
            return database.group().strip();
        }
        String message = null;
        for (String line : description.split("\n")) {
            String text = line.strip();
            if (message == null && !text.isEmpty()) {
                message = text;
            }
            if (text.startsWith("Caused by: ")) {
                message = text.substring("Caused by: ".length());
            }
        }
        message = SQL_TEXT.matcher(CLASS_PREFIX.matcher(message).replaceFirst("")).replaceAll("").strip();
        return message.isEmpty() ? "failed with an internal error (details in the application log)" : message;
    }
}
