package io.capconduit.jobs;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.time.Instant;

import javax.sql.DataSource;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class JobsGraphQlIntegrationTests {

    private static final String JOBS = """
            { batchJobs { name description
                          schedule { file cron timeZone enabled nextFireTime defaultParameters { name value } }
                          executions(limit: 5) { id status steps { name status writeCount } } } }""";
    private static final String RUN = """
            mutation ($name: String!) {
              runJob(name: $name) { id jobName parameters { name value } }
            }""";
    private static final String EXECUTION = """
            query ($id: ID!) { batchJobExecution(id: $id) { status exitCode startTime endTime
                                 steps { name status readCount writeCount processSkipCount commitCount } } }""";

    private static final String STOP = "mutation ($id: ID!) { stopJobExecution(id: $id) { status } }";
    private static final String RESTART = "mutation ($id: ID!) { restartJobExecution(id: $id) { id } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    JobInstanceLocks locks;

    @Autowired
    JobRepository repository;

    @Autowired
    Scheduler scheduler;

    @Test
    void staffSeeEveryJobWithItsScheduleAndTheStartUpCapReset() {
        var response = graphQl.as("staff").document(JOBS).execute();

        response.path("batchJobs[?(@.name == 'cdrReconciliationJob')].schedule.cron").entityList(String.class)
                .containsExactly("0/30 * * * * ?");
        response.path("batchJobs[?(@.name == 'cdrReconciliationJob')].schedule.nextFireTime").entityList(String.class)
                .satisfies(times -> assertThat(times).singleElement().isNotNull());
        response.path("batchJobs[?(@.name == 'cdrReconciliationJob')].schedule.defaultParameters[?(@.name == 'graceSeconds')].value")
                .entityList(String.class).containsExactly("120");
        response.path("batchJobs[?(@.name == 'capResetJob')].executions[*].steps[0].name").entityList(String.class)
                .satisfies(names -> assertThat(names).contains("capResetStep"));
    }

    @Test
    void anAdminRunsAJobNowAndFollowsItsExecution() throws InterruptedException {
        String id = graphQl.as("admin").document(RUN).variable("name", "capResetJob").execute()
                .path("runJob.parameters[*].name").entityList(String.class).containsExactly("firedAt")
                .path("runJob.id").entity(String.class).get();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String status = "";
        while (!"COMPLETED".equals(status) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            status = graphQl.as("admin").document(EXECUTION).variable("id", id).execute()
                    .path("batchJobExecution.status").entity(String.class).get();
        }
        graphQl.as("admin").document(EXECUTION).variable("id", id).execute()
                .path("batchJobExecution.status").entity(String.class).isEqualTo("COMPLETED")
                .path("batchJobExecution.steps[0].name").entity(String.class).isEqualTo("capResetStep")
                .path("batchJobExecution.steps[0].commitCount").entity(Integer.class).isEqualTo(1)
                .path("batchJobExecution.endTime").entity(String.class).satisfies(t -> assertThat(t).isNotBlank());
    }

    @Test
    void aBadExecutionsLimitIsABadRequestAndAnExplicitNullIsTheDefault() {
        graphQl.as("staff").document("{ batchJob(name: \"capResetJob\") { executions(limit: -1) { id } } }").execute()
                .errors().expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "limit".equals(error.getExtensions().get("field")))
                .verify();
        graphQl.as("staff").document("{ batchJob(name: \"capResetJob\") { executions(limit: null) { id } } }").execute()
                .path("batchJob.executions").entityList(Object.class).satisfies(list -> assertThat(list).isNotEmpty());
    }

    @Test
    void anUnknownJobIsABadRequestNamingTheField() {
        graphQl.as("admin").document(RUN).variable("name", "noSuchJob").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "name".equals(error.getExtensions().get("field")))
                .verify();
    }

    /**
     * runJob chooses no file or folder on the server: the import jobs have their own doors (which keep to the
     * import folder and the caller's lists), and the daily report's folder is the configured one.
     */
    @Test
    void runJobReadsAndWritesNoPathOfTheCallersChoosing() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class);

        for (String job : List.of("dncImportJob", "leadImportJob")) {
            graphQl.as("staff").document("mutation ($name: String!) { runJob(name: $name, parameters: "
                    + "[{name: \"file\", value: \"/etc/passwd\"}, {name: \"listId\", value: \"1\"}]) { id } }")
                    .variable("name", job).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "name".equals(error.getExtensions().get("field"))
                            && error.getMessage().contains("importLeadsFromServerFile"))
                    .verify();
        }
        graphQl.as("staff").document("""
                mutation { runJob(name: "dailyReportJob", parameters: [{name: "folder", value: "/tmp/anywhere"}]) { id } }
                """).execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "parameters[0].name".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("'folder' names a path on the server"))
                .verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class)).isEqualTo(before);
    }

    /** The refusal names the value at fault, by its index as every list element is named, and says why. */
    @Test
    void aParameterTheJobRefusesIsABadRequestNamingItAndRunsNothing() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class);

        graphQl.as("admin").document("""
                mutation { runJob(name: "cdrReconciliationJob", parameters: [{name: "graceSeconds", value: "60"},
                           {name: "workers", value: "lots"}]) { id } }""").execute().errors()
                .expect(badInput("parameters[1].value").and(error -> error.getMessage().equals(
                        "parameters[1].value: workers must be a whole number from 1 to 16, not 'lots'")))
                .verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class)).isEqualTo(before);
    }

    /** Two values for one name: whichever came last would run, silently. */
    @Test
    void aParameterGivenTwiceIsABadRequestAndRunsNothing() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class);

        graphQl.as("admin").document("""
                mutation { runJob(name: "cdrReconciliationJob", parameters: [{name: "graceSeconds", value: "0"},
                           {name: "graceSeconds", value: "600"}]) { id } }""").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "parameters[1].name".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("graceSeconds is given twice"))
                .verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class)).isEqualTo(before);
    }

    /** As in a batch-jobs file: a name the job does not read would otherwise run it with the default. */
    @Test
    void aParameterTheJobDoesNotReadIsABadRequestAndRunsNothing() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class);

        graphQl.as("admin").document("""
                mutation { runJob(name: "batchHistoryPurgeJob", parameters: [{name: "retentonDays", value: "365"}]) {
                           id } }""").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "parameters[0].name".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("batchHistoryPurgeJob has no parameter 'retentonDays' "
                                + "(it reads [batchSize, retentionDays])"))
                .verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class)).isEqualTo(before);
    }

    /** A job whose validator declares no parameter reads none: any name is a misspelling or a mistake. */
    @Test
    void aParameterForAJobThatReadsNoneIsABadRequestAndRunsNothing() {
        Long before = jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class);

        for (String job : List.of("capResetJob", "hopperFillJob", "leadInboxJob")) {
            graphQl.as("admin").document("mutation ($name: String!) { runJob(name: $name, parameters: "
                    + "[{name: \"note\", value: \"from test\"}]) { id } }").variable("name", job).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "parameters[0].name".equals(error.getExtensions().get("field"))
                            && error.getMessage().contains(job + " has no parameter 'note' (it reads none)"))
                    .verify();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution", Long.class)).isEqualTo(before);
    }

    @Test
    void stoppingAFinishedExecutionIsABadRequestAndAnUnknownOneIsNotFound() throws Exception {
        long finished = launcher.run("capResetJob", Map.of(), Instant.now()).getId();

        graphQl.as("staff").document(STOP).variable("id", finished).execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "id".equals(error.getExtensions().get("field")))
                .verify();
        graphQl.as("staff").document(STOP).variable("id", Long.MAX_VALUE).execute().errors()
                .expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))).verify();
    }

    /**
     * A reconciliation held back by a lock on its checkpoint is stopped from the API: it ends STOPPED after the
     * range it was on, and its restart reconciles the rest.
     */
    @Test
    void aRunningExecutionIsStoppedAfterItsCurrentRangeAndItsRestartFinishesTheRest() throws Exception {
        String prefix = HeldCdrReconciliation.newCdrRows(jdbc, "stop-test", 3);
        long last = jdbc.queryForObject("SELECT max(id) FROM cdr", Long.class);
        String id;
        try (Connection holder = HeldCdrReconciliation.holdCdrCheckpoint(dataSource)) {
            id = HeldCdrReconciliation.runOneRowAChunk(graphQl);
            awaitStatus(id, "STARTED");

            graphQl.as("staff").document(STOP).variable("id", id).execute()
                    .path("stopJobExecution.status").entity(String.class)
                    .satisfies(status -> assertThat(status).isIn("STOPPING", "STOPPED"));
            holder.rollback();
        }
        // the step's thread goes on with the range it was waiting for, then ends
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline) && jdbc.queryForObject("SELECT count(*) FROM batch_step_execution "
                + "WHERE job_execution_id = ? AND end_time IS NULL", Integer.class, Long.parseLong(id)) > 0) {
            Thread.sleep(50);
        }
        awaitStatus(id, "STOPPED");
        assertThat(jdbc.queryForObject("SELECT value::bigint FROM app_state WHERE key = 'cdr_reconciliation_last_id'",
                Long.class)).isLessThan(last);

        String restarted = restartOnceEnded(id);
        awaitStatus(restarted, "COMPLETED");
        assertThat(jdbc.queryForObject("SELECT value::bigint FROM app_state WHERE key = 'cdr_reconciliation_last_id'",
                Long.class)).isGreaterThanOrEqualTo(last);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id LIKE ?", Integer.class,
                prefix + "%")).isEqualTo(3);
    }

    /**
     * Spring Batch marks a stopped execution STOPPED at once, while its step's thread still waits inside its
     * chunk: a restart then would run a second execution beside the first, so it is refused until the first ends.
     */
    @Test
    void aStoppedExecutionStillInItsChunkIsNotRestartedUntilItsThreadEnds() throws Exception {
        String prefix = HeldCdrReconciliation.newCdrRows(jdbc, "stop-test", 2);
        String id;
        try (Connection holder = HeldCdrReconciliation.holdCdrCheckpoint(dataSource)) {
            id = HeldCdrReconciliation.runOneRowAChunk(graphQl);
            awaitStatus(id, "STARTED");
            graphQl.as("staff").document(STOP).variable("id", id).execute();
            awaitStatus(id, "STOPPED");

            graphQl.as("staff").document(RESTART).variable("id", id).execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                            && "id".equals(error.getExtensions().get("field"))
                            && error.getMessage().contains("still finishing its current chunk; restart it once it "
                                    + "has ended"))
                    .verify();
            assertThat(executionsOfTheSameInstance(id)).isEqualTo(1);
            holder.rollback();
        }
        String restarted = restartOnceEnded(id);
        awaitStatus(restarted, "COMPLETED");
        assertThat(executionsOfTheSameInstance(id)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id LIKE ?", Integer.class,
                prefix + "%")).isEqualTo(2);
    }

    /** A JVM crash leaves its execution STARTED with no end time: no thread runs it, so its restart continues it. */
    @Test
    void anExecutionACrashLeftStartedIsMarkedFailedAndRestarted() throws Exception {
        long crashed = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        CrashedExecutions.leftRunningByACrash(jdbc, crashed);

        String restarted = graphQl.as("staff").document(RESTART).variable("id", crashed).execute()
                .path("restartJobExecution.id").entity(String.class).get();

        awaitStatus(restarted, "COMPLETED");
        assertThat(jdbc.queryForMap("SELECT status, end_time IS NOT NULL AS ended FROM batch_job_execution "
                + "WHERE job_execution_id = ?", crashed)).containsEntry("status", "FAILED").containsEntry("ended", true);
        assertThat(jdbc.queryForList("SELECT status FROM batch_step_execution WHERE job_execution_id = ?",
                String.class, crashed)).containsOnly("FAILED");
    }

    /** An execution that reads STARTED while another app instance holds its instance's lock is running there. */
    @Test
    void anExecutionAnotherAppInstanceRunsIsNotTakenForCrashed() throws Exception {
        JobExecution elsewhere = launcher.run("capResetJob", Map.of(), Instant.now());
        CrashedExecutions.leftRunningByACrash(jdbc, elsewhere.getId());
        try (Connection otherInstance = dataSource.getConnection()) {
            CrashedExecutions.advisoryLock(otherInstance, "pg_advisory_lock", elsewhere.getJobInstanceId());
            try {
                graphQl.as("staff").document(RESTART).variable("id", elsewhere.getId()).execute().errors()
                        .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                                && error.getMessage().contains("is still running"))
                        .verify();
            } finally {
                CrashedExecutions.advisoryLock(otherInstance, "pg_advisory_unlock", elsewhere.getJobInstanceId());
            }
        }
        assertThat(jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?",
                String.class, elsewhere.getId())).isEqualTo("STARTED");
        assertThat(executionsOfTheSameInstance(String.valueOf(elsewhere.getId()))).isEqualTo(1);
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', end_time = now() WHERE job_execution_id = ?",
                elsewhere.getId());
    }

    /**
     * A shutdown waits a while for the runs going on, then asks them to stop after their current chunk: within a
     * deploy's grace period they end STOPPED, restartable, instead of being killed mid-run and left STARTED.
     */
    @Test
    void aShutdownStopsTheRunsStillGoingOnceItsWaitIsOver() throws Exception {
        HeldCdrReconciliation.newCdrRows(jdbc, "stop-test", 2);
        String id;
        try (Connection holder = HeldCdrReconciliation.holdCdrCheckpoint(dataSource)) {
            id = HeldCdrReconciliation.runOneRowAChunk(graphQl);
            awaitStatus(id, "STARTED");

            new RunningJobsAtShutdown(launcher, locks, repository, scheduler).stopAfter(Duration.ofMillis(200));
            holder.rollback();
        }

        awaitStatus(id, "STOPPED");
        awaitStatus(restartOnceEnded(id), "COMPLETED");
    }

    /** Listed by execution, not by instance: a restart of an old run is the newest execution. */
    @Test
    void aRestartOfAnOldRunIsListedFirst() throws Exception {
        long old = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED' WHERE job_execution_id = ?",
                old);
        for (int run = 0; run < 3; run++) {
            launcher.run("capResetJob", Map.of(), Instant.now());
        }

        String restarted = graphQl.as("staff").document(RESTART).variable("id", old).execute()
                .path("restartJobExecution.id").entity(String.class).get();

        graphQl.as("staff").document("{ batchJob(name: \"capResetJob\") { executions(limit: 3) { id } } }").execute()
                .path("batchJob.executions[*].id").entityList(String.class)
                .satisfies(ids -> assertThat(ids).hasSize(3).first().isEqualTo(restarted));
        awaitStatus(restarted, "COMPLETED");
    }

    /** A job renamed or removed since its execution ran has nothing to restart it with. */
    @Test
    void restartingAnExecutionOfAJobThatIsGoneIsABadRequestNamingIt() throws Exception {
        JobExecution retired = launcher.run("capResetJob", Map.of(), Instant.now());
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED' WHERE job_execution_id = ?",
                retired.getId());
        jdbc.update("UPDATE batch_job_instance SET job_name = 'capRollJob' WHERE job_instance_id = ?",
                retired.getJobInstanceId());

        graphQl.as("staff").document(RESTART).variable("id", retired.getId()).execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "id".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("'capRollJob', which this application no longer has"))
                .verify();
        assertThat(executionsOfTheSameInstance(String.valueOf(retired.getId()))).isEqualTo(1);
    }

    /** Spring Batch's own refusal lists the instance's parameters; ours says what ended it and what to do instead. */
    @Test
    void restartingACompletedRunSaysItCompletedAndRestartsNothing() throws Exception {
        JobExecution done = launcher.run("capResetJob", Map.of(), Instant.now());
        assertThat(done.getStatus()).isEqualTo(BatchStatus.COMPLETED);

        graphQl.as("staff").document(RESTART).variable("id", done.getId()).execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "id".equals(error.getExtensions().get("field"))
                        && error.getMessage().equals("id: execution " + done.getId() + " cannot be restarted: its run "
                                + "completed (execution " + done.getId() + "); run the job again instead"))
                .verify();
        assertThat(executionsOfTheSameInstance(String.valueOf(done.getId()))).isEqualTo(1);
    }

    /** Restarts the execution as soon as the restart is accepted, i.e. once its thread has ended. */
    private String restartOnceEnded(String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            var response = graphQl.as("staff").document(RESTART).variable("id", id).execute();
            try {
                return response.path("restartJobExecution.id").entity(String.class).get();
            } catch (AssertionError refused) {
                if (Instant.now().isAfter(deadline)) {
                    throw refused;
                }
                Thread.sleep(50);
            }
        }
    }

    private int executionsOfTheSameInstance(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM batch_job_execution WHERE job_instance_id = "
                + "(SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?)", Integer.class,
                Long.parseLong(id));
    }

    private void awaitStatus(String id, String wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String status = "";
        while (!wanted.equals(status) && Instant.now().isBefore(deadline)) {
            status = graphQl.as("staff").document(EXECUTION).variable("id", id).execute()
                    .path("batchJobExecution.status").entity(String.class).get();
            if (!wanted.equals(status)) {
                Thread.sleep(50);
            }
        }
        assertThat(status).as("execution %s", id).isEqualTo(wanted);
    }

    @Test
    void sellersMayNotSeeOrRunJobs() {
        graphQl.as("seller1").document("{ batchJobs { name } }").execute().errors()
                .expect(error -> "FORBIDDEN".equals(error.getExtensions().get("classification"))).verify();
        graphQl.as("seller1").document(RUN).variable("name", "capResetJob").execute().errors()
                .expect(error -> "FORBIDDEN".equals(error.getExtensions().get("classification"))).verify();
    }
}
