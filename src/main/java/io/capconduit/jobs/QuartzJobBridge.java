package io.capconduit.jobs;

import java.util.HashMap;
import java.util.Map;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;

/**
 * What a Quartz trigger runs: starts the named Spring Batch job with the file's default parameters and the
 * scheduled fire time as {@code firedAt}. The clustered job store hands each fire to one instance, and
 * {@code @DisallowConcurrentExecution} keeps a slow run from overlapping the next one anywhere in the cluster.
 */
@DisallowConcurrentExecution
public class QuartzJobBridge implements org.quartz.Job {

    static final String JOB_NAME = "jobName";
    static final String PARAMETER_PREFIX = "parameter.";

    private static final Logger log = LoggerFactory.getLogger(QuartzJobBridge.class);

    private final BatchJobLauncher launcher;

    public QuartzJobBridge(BatchJobLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        JobDataMap data = context.getMergedJobDataMap();
        String jobName = data.getString(JOB_NAME);
        Map<String, String> parameters = new HashMap<>();
        data.forEach((key, value) -> {
            if (key.startsWith(PARAMETER_PREFIX)) {
                parameters.put(key.substring(PARAMETER_PREFIX.length()), String.valueOf(value));
            }
        });
        try {
            JobExecution execution = launcher.run(jobName, parameters, context.getScheduledFireTime().toInstant());
            log.debug("{} execution {} ended {}", jobName, execution.getId(), execution.getStatus());
        } catch (Exception e) {
            throw new JobExecutionException("Could not run " + jobName + ": " + e.getMessage(), e, false);
        }
    }
}
