package io.capconduit.jobs;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.capconduit.jobs.BatchJobViews.BatchJobExecution;

import io.capconduit.system.InvalidInputException;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The jobs service on launchers and job files of the test's own making (the API's security is not the point). */
@IntegrationTest
class JobsServiceIntegrationTests {

    @Autowired
    List<Job> jobs;

    @Autowired
    JobOperator operator;

    @Autowired
    JobRepository repository;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JobInstanceLocks locks;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    BatchJobDefinitions definitions;

    @Autowired
    Scheduler scheduler;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    /**
     * The API's executions list reads its page in a fixed number of statements however long it is (the repository,
     * asked per execution, took several each), and shows each execution exactly as it is shown on its own.
     */
    @Test
    void theExecutionsListTakesThreeStatementsWhateverItsLengthAndShowsEachAsOnItsOwn() throws Exception {
        Instant firedAt = Instant.now();
        long failed = 0;
        for (int i = 0; i < 12; i++) {
            failed = launcher.run("capResetJob", Map.of(), firedAt.plusMillis(i)).getId();
        }
        // the newest failed in its step: its message comes from the step, the SQL left out
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED', exit_message = '' "
                + "WHERE job_execution_id = ?", failed);
        jdbc.update("UPDATE batch_step_execution SET status = 'FAILED', exit_code = 'FAILED', exit_message = ? "
                + "WHERE job_execution_id = ?", "org.springframework.jdbc.BadSqlGrammarException: x\n"
                + "\tat a.b.C.d(C.java:1)\nCaused by: org.postgresql.util.PSQLException: ERROR: relation \"x\" does not exist",
                failed);
        AtomicInteger statements = new AtomicInteger();
        DataSource counting = counting(dataSource, statements);
        JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
        factory.setDataSource(counting);
        factory.setTransactionManager(new DataSourceTransactionManager(counting));
        factory.afterPropertiesSet();
        JobsService service = new JobsService(launcher, definitions, factory.getObject(), scheduler,
                new JdbcTemplate(counting), List.of());

        List<BatchJobExecution> listed = service.executions("capResetJob", 12);

        assertThat(statements).hasValue(3);
        assertThat(listed).hasSize(12);
        assertThat(listed.get(0).id()).isEqualTo(failed);
        assertThat(listed.get(0).exitMessage()).isEqualTo("capResetStep: ERROR: relation \"x\" does not exist");
        for (BatchJobExecution execution : listed) {
            assertThat(execution).isEqualTo(service.execution(execution.id()).orElseThrow());
        }
    }

    /** The data source, counting the statements its connections prepare or create. */
    private static DataSource counting(DataSource dataSource, AtomicInteger statements) {
        Set<String> creating = Set.of("prepareStatement", "createStatement", "prepareCall");
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (creating.contains(method.getName())) {
                                statements.incrementAndGet();
                            }
                            try {
                                return method.invoke(connection, args);
                            }
                            catch (InvocationTargetException ex) {
                                throw ex.getCause();
                            }
                        });
            }
        };
    }

    /**
     * A restart waits in the run-now pool while every thread is busy; a minute on it has still not taken its
     * instance's lock. It is this app's own, so it is not taken for crashed, and a second restart is refused.
     */
    @Test
    void aRestartWhileTheFirstRestartWaitsForAThreadIsRefused() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        BatchJobLauncher waiting = new BatchJobLauncher(jobs, operator, repository, transactionManager, locks,
                busyPool(busy));
        JobsService service = new JobsService(waiting, definitions, repository, scheduler, jdbc, List.of());
        try {
            long failed = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
            jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED' "
                    + "WHERE job_execution_id = ?", failed);
            long first = service.restart(failed).id();
            jdbc.update("UPDATE batch_job_execution SET create_time = create_time - interval '2 minutes' "
                    + "WHERE job_execution_id = ?", first);

            assertThatThrownBy(() -> service.restart(failed)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("has a later execution still running (" + first + ")");
            assertThat(status(first)).isEqualTo("STARTING");

            busy.countDown();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!"COMPLETED".equals(status(first)) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(status(first)).isEqualTo("COMPLETED");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_job_execution WHERE job_instance_id = "
                    + "(SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?)", Integer.class,
                    failed)).isEqualTo(2);
        } finally {
            busy.countDown();
            waiting.destroy();
        }
    }

    /**
     * Another app instance may still take a restart that waits long in this one's pool for crashed and mark it
     * FAILED: when it gets its thread at last it does not run (a restart of it may be running by then).
     */
    @Test
    void aRestartMarkedFailedWhileItWaitedForAThreadDoesNotRun() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        ThreadPoolTaskExecutor pool = busyPool(busy);
        BatchJobLauncher waiting = new BatchJobLauncher(jobs, operator, repository, transactionManager, locks, pool);
        try {
            long failed = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
            jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED' "
                    + "WHERE job_execution_id = ?", failed);
            long first = waiting.restart(repository.getJobExecution(failed)).getId();
            jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED', end_time = now() "
                    + "WHERE job_execution_id = ?", first);

            busy.countDown();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (pool.getThreadPoolExecutor().getCompletedTaskCount() < 2 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }

            assertThat(status(first)).isEqualTo("FAILED");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM batch_step_execution WHERE job_execution_id = ?",
                    Integer.class, first)).isZero();
        } finally {
            busy.countDown();
            waiting.destroy();
        }
    }

    /** A job with no batch-jobs file (not scheduled) is still run from the API; the imports have doors of their own. */
    @Test
    void aJobWithoutAFileRunsNowAndTheImportsAreRefusedByName() throws Exception {
        JobsService service = new JobsService(launcher, new BatchJobDefinitions(List.of()), repository, scheduler,
                jdbc, List.of());

        assertThat(service.run("capResetJob", List.of()).jobName()).isEqualTo("capResetJob");
        for (String imports : List.of("leadImportJob", "dncImportJob")) {
            assertThatThrownBy(() -> service.run(imports, List.of())).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("importLeadsFromServerFile");
        }
    }

    /**
     * A lead import waits in the imports' own pool; a restart or start-up recovery elsewhere in this app must not
     * take it for a run a crash left because it has been STARTING for over a minute.
     */
    @Test
    void aRunAnotherPoolOfThisAppHoldsCountsAsRunningWhileItWaits() throws Exception {
        long id = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTING', end_time = NULL, "
                + "create_time = create_time - interval '2 minutes' WHERE job_execution_id = ?", id);
        org.springframework.batch.core.job.JobExecution waiting = repository.getJobExecution(id);
        java.util.concurrent.CompletableFuture<Void> task = new java.util.concurrent.CompletableFuture<>();

        launcher.noteQueued(waiting.getJobInstanceId(), task);
        launcher.recoverAfterCrash(waiting);
        assertThat(status(id)).isEqualTo("STARTING");
        assertThat(launcher.isRunning(waiting)).isTrue();

        task.complete(null);   // its thread ended without running it: now it is one a crash left
        launcher.recoverAfterCrash(waiting);
        assertThat(status(id)).isEqualTo("FAILED");
    }

    private String status(long execution) {
        return jdbc.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?", String.class,
                execution);
    }

    /** A run-now pool of one thread, busy until {@code busy} counts down. */
    private static ThreadPoolTaskExecutor busyPool(CountDownLatch busy) {
        ThreadPoolTaskExecutor pool = BatchJobLauncher.pool(1);
        pool.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return pool;
    }
}
