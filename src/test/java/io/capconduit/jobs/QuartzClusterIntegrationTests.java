package io.capconduit.jobs;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.scheduling.quartz.SpringBeanJobFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered schedulers (two app instances) on the test database: a trigger fires on one of them only, and
 * the bridge starts the Spring Batch job with the fire time as firedAt.
 */
@IntegrationTest
class QuartzClusterIntegrationTests {

    static final AtomicInteger FIRES = new AtomicInteger();

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    final String clusterName = "cluster-test-" + UUID.randomUUID();
    final List<SchedulerFactoryBean> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (SchedulerFactoryBean node : nodes) {
            node.destroy();
        }
    }

    @Test
    void aTriggerFiresOnceAcrossTwoSchedulersAndStartsTheBatchJob() throws Exception {
        Scheduler a = node("node-a");
        Scheduler b = node("node-b");
        Date fireAt = Date.from(Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        a.scheduleJob(JobBuilder.newJob(CountingJob.class).withIdentity("count", clusterName).build(),
                TriggerBuilder.newTrigger().withIdentity("count", clusterName).startAt(fireAt).build());
        a.scheduleJob(JobBuilder.newJob(QuartzJobBridge.class).withIdentity("bridge", clusterName)
                        .usingJobData(QuartzJobBridge.JOB_NAME, "capResetJob").build(),
                TriggerBuilder.newTrigger().withIdentity("bridge", clusterName).startAt(fireAt).build());
        FIRES.set(0);

        a.start();
        b.start();
        Instant deadline = Instant.now().plusSeconds(30);
        while ((FIRES.get() == 0 || executionsFiredAt(fireAt) == 0) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        Thread.sleep(Duration.ofSeconds(3).toMillis());

        assertThat(FIRES.get()).isEqualTo(1);
        assertThat(executionsFiredAt(fireAt)).isEqualTo(1);
    }

    /** The nodes above are configured as the application's own scheduler is (application.yml's spring.quartz). */
    @Test
    void theApplicationsSchedulerIsAClusteredDatabaseStore() throws Exception {
        Scheduler app = context.getBean(Scheduler.class);

        assertThat(app.getMetaData().isJobStoreClustered()).isTrue();
        assertThat(app.getMetaData().isJobStoreSupportsPersistence()).isTrue();
        assertThat(app.getMetaData().getSchedulerInstanceId()).isNotEqualTo("NON_CLUSTERED");
    }

    /**
     * Check-ins use the app's connection pool; a node that misses them for the interval plus Quartz's 7.5 s grace is
     * declared dead and its running non-concurrent jobs may start on another node. A pool busy for a few seconds
     * must not do that.
     */
    @Test
    void aNodeWithABusyConnectionPoolIsNotDeclaredDeadWithinHalfAMinute() {
        assertThat(context.getEnvironment().getProperty(
                "spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval", Long.class))
                .isGreaterThanOrEqualTo(20_000L);
    }

    private int executionsFiredAt(Date fireAt) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM batch_job_execution_params p
                JOIN batch_job_execution e ON e.job_execution_id = p.job_execution_id
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                WHERE i.job_name = 'capResetJob' AND p.parameter_name = 'firedAt' AND p.parameter_value = ?
                  AND e.status = 'COMPLETED'""", Integer.class, fireAt.toInstant().toString());
    }

    private Scheduler node(String instanceId) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceId", instanceId);
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        SpringBeanJobFactory jobFactory = new SpringBeanJobFactory();
        jobFactory.setApplicationContext(context);
        SchedulerFactoryBean factory = new SchedulerFactoryBean();
        factory.setSchedulerName(clusterName);
        factory.setDataSource(dataSource);
        factory.setQuartzProperties(properties);
        factory.setJobFactory(jobFactory);
        factory.setAutoStartup(false);
        factory.setWaitForJobsToCompleteOnShutdown(true);
        factory.afterPropertiesSet();
        nodes.add(factory);
        return factory.getScheduler();
    }

    public static class CountingJob implements Job {
        @Override
        public void execute(JobExecutionContext context) {
            FIRES.incrementAndGet();
        }
    }
}
