package io.capconduit.jobs;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.quartz.CronScheduleBuilder;
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
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Turns the job files into Quartz jobs and cron triggers at start-up (replacing what an earlier start stored,
 * removing jobs whose file is gone or disabled). A file naming no Job bean stops start-up.
 */
@Component
class BatchJobScheduler implements SmartInitializingSingleton {

    static final String GROUP = "batch-jobs";

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
            JobParametersValidator validator = jobs.get(definition.job()).getJobParametersValidator();
            try {
                validator.validate(parameters.toJobParameters());
            } catch (InvalidJobParametersException e) {
                throw new InvalidBatchJobDefinitionException(definition.file(), "parameters", e.getMessage());
            }
            if (validator instanceof DeclaredParameters declared) {
                for (String name : definition.parameters().keySet()) {
                    if (!declared.parameterNames().contains(name)) {
                        throw new InvalidBatchJobDefinitionException(definition.file(), "parameters." + name,
                                definition.job() + " has no such parameter (it reads "
                                        + new TreeSet<>(declared.parameterNames()) + ")");
                    }
                }
            }
        }
    }

    private void schedule() throws SchedulerException {
        Set<JobKey> wanted = new HashSet<>();
        for (BatchJobDefinition definition : definitions.all()) {
            if (definition.enabled()) {
                JobDetail detail = detail(definition);
                scheduler.scheduleJob(detail, Set.of(trigger(definition, detail.getKey())), true);
                wanted.add(detail.getKey());
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
        return TriggerBuilder.newTrigger()
                .withIdentity(TriggerKey.triggerKey(definition.job(), GROUP))
                .forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(definition.cron())
                        .inTimeZone(java.util.TimeZone.getTimeZone(definition.timeZone()))
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
