package io.capconduit.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;

import javax.sql.DataSource;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronTrigger;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.scheduling.quartz.SpringBeanJobFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the batch-jobs folder holds at start-up is what Quartz's database store schedules: a changed file
 * replaces its trigger and parameters, a removed or disabled one is unscheduled. Each start-up here is a new
 * {@link BatchJobScheduler} on a scheduler of its own name in the test database (the app's is left alone).
 */
@IntegrationTest
class BatchJobSchedulerIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path folder;

    SchedulerFactoryBean factory;

    @AfterEach
    void stop() throws Exception {
        factory.getScheduler().clear();
        factory.destroy();
    }

    @Test
    void aChangedFileTakesEffectAtTheNextStartAndARemovedOrDisabledOneIsUnscheduled() throws Exception {
        Scheduler scheduler = scheduler();
        write("cdr.yml", "cdrReconciliationJob", true, "0/30 * * * * ?", "UTC", "graceSeconds: \"120\"");
        write("purge.yml", "routeClaimPurgeJob", true, "0 17 3 * * ?", "UTC", "retentionDays: \"35\"");
        write("cap.yml", "capResetJob", true, "0 * * * * ?", "UTC", "{}");
        startUp(scheduler);

        assertThat(scheduler.getJobKeys(GroupMatcher.anyJobGroup())).extracting(JobKey::getName)
                .containsExactlyInAnyOrder("cdrReconciliationJob", "routeClaimPurgeJob", "capResetJob");
        assertThat(cron(scheduler, "cdrReconciliationJob").getCronExpression()).isEqualTo("0/30 * * * * ?");

        // edited while the app was down: another schedule, zone and parameter; one file gone, one disabled
        write("cdr.yml", "cdrReconciliationJob", true, "0 0/5 * * * ?", "America/New_York", "graceSeconds: \"300\"");
        Files.delete(folder.resolve("purge.yml"));
        write("cap.yml", "capResetJob", false, "0 * * * * ?", "UTC", "{}");
        startUp(scheduler);

        assertThat(scheduler.getJobKeys(GroupMatcher.anyJobGroup())).extracting(JobKey::getName)
                .containsExactly("cdrReconciliationJob");
        CronTrigger trigger = cron(scheduler, "cdrReconciliationJob");
        assertThat(trigger.getCronExpression()).isEqualTo("0 0/5 * * * ?");
        assertThat(trigger.getTimeZone()).isEqualTo(TimeZone.getTimeZone("America/New_York"));
        assertThat(scheduler.getJobDetail(trigger.getJobKey()).getJobDataMap())
                .containsEntry(QuartzJobBridge.PARAMETER_PREFIX + "graceSeconds", "300");
    }

    /** Checked at start-up against the job's own validator, not on the first night it runs. */
    @Test
    void aDailyReportFileWithAZoneOrDateTheJobCannotUseStopsStartUp() throws Exception {
        Scheduler scheduler = scheduler();
        write("report.yml", "dailyReportJob", true, "0 30 9 * * ?", "UTC", "timeZone: Mars/Olympus");

        assertThatThrownBy(() -> startUp(scheduler)).isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file report.yml, field parameters: ")
                .hasMessageContaining("timeZone").hasMessageContaining("Mars/Olympus");

        write("report.yml", "dailyReportJob", true, "0 30 9 * * ?", "UTC", "reportDate: \"2026-02-30\"");

        assertThatThrownBy(() -> startUp(scheduler)).isInstanceOf(InvalidBatchJobDefinitionException.class)
                .hasMessageStartingWith("batch-jobs file report.yml, field parameters: ")
                .hasMessageContaining("reportDate").hasMessageContaining("2026-02-30");
        assertThat(scheduler.getJobKeys(GroupMatcher.anyJobGroup())).isEmpty();
    }

    /**
     * The nightly jobs' fire time passed while the app was down (a deploy at 02:00): start-up leaves their stored
     * trigger as it was, and Quartz fires the missed run once as soon as the scheduler starts.
     */
    @Test
    void aDailyFireMissedWhileTheAppWasDownRunsOnceAtStartUp() throws Exception {
        Scheduler scheduler = scheduler();
        ZonedDateTime due = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(2);
        write("cap.yml", "capResetJob", true, "%d %d %d * * ?".formatted(due.getSecond(), due.getMinute(),
                due.getHour()), "UTC", "{}");
        startUp(scheduler);
        jdbc.update("UPDATE qrtz_triggers SET next_fire_time = ? WHERE sched_name = ? AND trigger_name = ?",
                due.toInstant().toEpochMilli(), scheduler.getSchedulerName(), "capResetJob");
        LocalDateTime before = jdbc.queryForObject("SELECT max(create_time) FROM batch_job_execution",
                LocalDateTime.class);

        startUp(scheduler);
        scheduler.start();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (capResetRunsSince(before) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        Thread.sleep(2_000);
        assertThat(capResetRunsSince(before)).isEqualTo(1);
    }

    /** Left alone when unchanged only while it fires: a paused or broken trigger is replaced, as before. */
    @Test
    void anUnchangedTriggerThatDoesNotFireIsReplaced() throws Exception {
        Scheduler scheduler = scheduler();
        write("cdr.yml", "cdrReconciliationJob", true, "0/30 * * * * ?", "UTC", "graceSeconds: \"120\"");
        startUp(scheduler);
        TriggerKey trigger = TriggerKey.triggerKey("cdrReconciliationJob", BatchJobScheduler.GROUP);
        scheduler.pauseTrigger(trigger);

        startUp(scheduler);

        assertThat(scheduler.getTriggerState(trigger)).isEqualTo(Trigger.TriggerState.NORMAL);
    }

    private int capResetRunsSince(LocalDateTime time) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                WHERE i.job_name = 'capResetJob' AND e.create_time > ?""", Integer.class, time);
    }

    private void startUp(Scheduler scheduler) {
        new BatchJobScheduler(new BatchJobDefinitions(BatchJobDefinitions.load(folder.toString())), launcher,
                scheduler).afterSingletonsInstantiated();
    }

    private static CronTrigger cron(Scheduler scheduler, String job) throws Exception {
        return (CronTrigger) scheduler.getTriggersOfJob(scheduler.getJobKeys(GroupMatcher.anyJobGroup()).stream()
                .filter(key -> key.getName().equals(job)).findFirst().orElseThrow()).get(0);
    }

    private void write(String file, String job, boolean enabled, String cron, String zone, String parameters)
            throws Exception {
        Files.writeString(folder.resolve(file), """
                job: %s
                description: test
                enabled: %s
                schedule:
                  cron: "%s"
                  time-zone: %s
                parameters: %s
                """.formatted(job, enabled, cron, zone,
                parameters.equals("{}") ? "{}" : "\n  " + parameters));
    }

    private Scheduler scheduler() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.threadPool.threadCount", "1");
        factory = new SchedulerFactoryBean();
        factory.setSchedulerName("schedule-test-" + UUID.randomUUID());
        factory.setDataSource(dataSource);
        factory.setQuartzProperties(properties);
        SpringBeanJobFactory jobFactory = new SpringBeanJobFactory();
        jobFactory.setApplicationContext(context);
        factory.setJobFactory(jobFactory);
        factory.setAutoStartup(false);
        factory.afterPropertiesSet();
        return factory.getScheduler();
    }
}
