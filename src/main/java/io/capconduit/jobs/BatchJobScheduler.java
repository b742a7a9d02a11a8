package io.capconduit.jobs;

import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;

import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Turns the job files into Quartz jobs and cron triggers at start-up (replacing what an earlier start stored when
 * its file changed, removing jobs whose file is gone or disabled). A file naming no Job bean stops start-up. An
 * unchanged trigger is left as it is, so that Quartz sees the fire it missed while the app was down: a job that
 * runs daily or less often makes up a missed fire once at start-up, one that runs more often waits for its next.
 */
@Component
class BatchJobScheduler implements SmartInitializingSingleton {

    static final String GROUP = "batch-jobs";

    /** Jobs fired at least this far apart make up a missed fire (23 h: a day shortened by a DST change). */
    private static final Duration MAKE_UP_FROM = Duration.ofHours(23);

    private static final Logger log = LoggerFactory.getLogger(BatchJobScheduler.class);

    private final BatchJobDefinitions definitions;
    private final BatchJobLauncher launcher;
    private final Scheduler scheduler;

    BatchJobScheduler(BatchJobDefinitions definitions, BatchJobLauncher launcher, Scheduler scheduler) {
        this.definitions = definitions;
        this.launcher = launcher;
        this.scheduler = scheduler;
    }

    @Override
    public void afterSingletonsInstantiated() {
        checkJobsExist(definitions, launcher.jobs().keySet());
        checkParameters(definitions, launcher.jobs());
        try {
            schedule();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot store the batch-jobs schedules in Quartz", e);
        }
    }

    static void checkJobsExist(BatchJobDefinitions definitions, Set<String> jobNames) {
        for (BatchJobDefinition definition : definitions.all()) {
            if (!jobNames.contains(definition.job())) {
                throw new InvalidBatchJobDefinitionException(definition.file(), "job", "no Spring Batch Job bean named '"
                        + definition.job() + "' (known jobs: " + new TreeSet<>(jobNames) + ")");
            }
        }
    }

    /** A file's parameters must pass its job's validator, or every scheduled run would be refused. */
    static void checkParameters(BatchJobDefinitions definitions, Map<String, Job> jobs) {
        for (BatchJobDefinition definition : definitions.all()) {
            JobParametersBuilder parameters = new JobParametersBuilder();
            definition.parameters().forEach(parameters::addString);
            Job job = jobs.get(definition.job());
            try {
                job.getJobParametersValidator().validate(parameters.toJobParameters());
            } catch (InvalidJobParametersException e) {
                throw new InvalidBatchJobDefinitionException(definition.file(), "parameters", e.getMessage());
            }
            Set<String> reads = DeclaredParameters.of(job);
            for (String name : definition.parameters().keySet()) {
                if (!reads.contains(name)) {
                    throw new InvalidBatchJobDefinitionException(definition.file(), "parameters." + name,
                            definition.job() + " has no such parameter (" + DeclaredParameters.readBy(job) + ")");
                }
            }
        }
    }

    private void schedule() throws SchedulerException {
        Set<JobKey> wanted = new HashSet<>();
        for (BatchJobDefinition definition : definitions.all()) {
            if (definition.enabled()) {
                JobDetail detail = detail(definition);
                Trigger trigger = trigger(definition, detail.getKey());
                wanted.add(detail.getKey());
                if (unchanged(detail, trigger)) {
                    log.info("Scheduled {} as before ({}: '{}' in {})", definition.job(), definition.file(),
                            definition.cron(), definition.timeZone());
                    continue;
                }
                scheduler.scheduleJob(detail, Set.of(trigger), true);
                log.info("Scheduled {} ({}: '{}' in {})", definition.job(), definition.file(), definition.cron(),
                        definition.timeZone());
            }
        }
        for (JobKey stored : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
            if (!wanted.contains(stored)) {
                scheduler.deleteJob(stored);
                log.info("Unscheduled {}: its batch-jobs file is gone or disabled", stored.getName());
            }
        }
    }

    /**
     * Whether Quartz already stores this job and trigger as the file now reads, in a state it fires from (a trigger
     * left in ERROR or PAUSED is replaced, as every start did before).
     */
    private boolean unchanged(JobDetail detail, Trigger trigger) throws SchedulerException {
        JobDetail storedDetail = scheduler.getJobDetail(detail.getKey());
        if (!(scheduler.getTrigger(trigger.getKey()) instanceof CronTrigger stored) || storedDetail == null) {
            return false;
        }
        Trigger.TriggerState state = scheduler.getTriggerState(trigger.getKey());
        if (state != Trigger.TriggerState.NORMAL && state != Trigger.TriggerState.BLOCKED) {
            return false;
        }
        CronTrigger wanted = (CronTrigger) trigger;
        return stored.getCronExpression().equals(wanted.getCronExpression())
                && stored.getTimeZone().getID().equals(wanted.getTimeZone().getID())
                && stored.getMisfireInstruction() == wanted.getMisfireInstruction()
                && stored.getJobKey().equals(wanted.getJobKey())
                && Objects.equals(storedDetail.getDescription(), detail.getDescription())
                && storedDetail.getJobClass().equals(detail.getJobClass())
                && new HashMap<>(storedDetail.getJobDataMap().getWrappedMap())
                        .equals(new HashMap<>(detail.getJobDataMap().getWrappedMap()));
    }

    private static JobDetail detail(BatchJobDefinition definition) {
        JobBuilder builder = JobBuilder.newJob(QuartzJobBridge.class)
                .withIdentity(JobKey.jobKey(definition.job(), GROUP))
                .withDescription(definition.description())
                .usingJobData(QuartzJobBridge.JOB_NAME, definition.job())
                .storeDurably()
                .requestRecovery(false);
        definition.parameters().forEach((name, value) ->
                builder.usingJobData(QuartzJobBridge.PARAMETER_PREFIX + name, value));
        return builder.build();
    }

    static Trigger trigger(BatchJobDefinition definition, JobKey job) {
        TimeZone zone = TimeZone.getTimeZone(definition.timeZone());
        CronScheduleBuilder schedule = CronScheduleBuilder.cronSchedule(definition.cron()).inTimeZone(zone);
        return TriggerBuilder.newTrigger()
                .withIdentity(TriggerKey.triggerKey(definition.job(), GROUP))
                .forJob(job)
                .withSchedule(makesUpMissedFires(definition.cron(), zone)
                        ? schedule.withMisfireHandlingInstructionFireAndProceed()
                        : schedule.withMisfireHandlingInstructionDoNothing())
                .build();
    }

    /**
     * A daily report or a nightly import missed during downtime would wait a day: it fires once as soon as the
     * app is back. A job that runs every few seconds or minutes just waits for its next fire.
     */
    static boolean makesUpMissedFires(String cron, TimeZone zone) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(zone);
            Date first = expression.getNextValidTimeAfter(new Date());
            Date second = first == null ? null : expression.getNextValidTimeAfter(first);
            return second != null && Duration.between(first.toInstant(), second.toInstant()).compareTo(MAKE_UP_FROM) >= 0;
        } catch (ParseException e) {
            throw new IllegalArgumentException(cron, e);
        }
    }
}
