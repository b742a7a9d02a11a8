package io.capconduit.jobs;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.capconduit.jobs.BatchJobViews.BatchJob;
import io.capconduit.jobs.BatchJobViews.BatchJobExecution;
import io.capconduit.jobs.BatchJobViews.BatchJobParameter;
import io.capconduit.jobs.BatchJobViews.BatchJobParameterInput;
import io.capconduit.jobs.BatchJobViews.BatchJobSchedule;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Jobs, schedules and executions for the API; running, stopping and restarting them. Staff only. */
@Service
@PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
class JobsService {

    /** Job parameters that name files or folders on the server (the imports' file, the daily report's folder). */
    private static final Set<String> SERVER_PATHS = Set.of("file", "folder");

    /** Jobs with doors of their own, which check the file's folder, the list's owner and the file itself. */
    private static final Set<String> IMPORT_JOBS = Set.of("leadImportJob", "dncImportJob");

    private final BatchJobLauncher launcher;
    private final BatchJobDefinitions definitions;
    private final JobRepository repository;
    private final Scheduler scheduler;
    private final JdbcTemplate jdbc;
    private final BatchExecutionReads reads;
    private final List<RestartRefusal> restartRefusals;

    JobsService(BatchJobLauncher launcher, BatchJobDefinitions definitions, JobRepository repository,
            Scheduler scheduler, JdbcTemplate jdbc, List<RestartRefusal> restartRefusals) {
        this.launcher = launcher;
        this.definitions = definitions;
        this.repository = repository;
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.reads = new BatchExecutionReads(jdbc);
        this.restartRefusals = restartRefusals;
    }

    List<BatchJob> jobs() {
        return launcher.jobs().keySet().stream().sorted().map(this::view).toList();
    }

    Optional<BatchJob> job(String name) {
        return launcher.job(name).map(job -> view(name));
    }

    /** Most executions one job lists (BatchJob.executions' limit). */
    static final int MAX_EXECUTIONS = 200;

    /** The job's newest executions: {@link #executions(Collection, int)} for one job. */
    List<BatchJobExecution> executions(String jobName, int limit) {
        return executions(List.of(jobName), limit).get(jobName);
    }

    /** Each job's newest executions: {@link BatchExecutionReads#recent}. */
    Map<String, List<BatchJobExecution>> executions(Collection<String> jobNames, int limit) {
        return reads.recent(jobNames, limit);
    }

    Optional<BatchJobExecution> execution(long id) {
        return reads.byId(id);
    }

    BatchJobExecution run(String name, List<BatchJobParameterInput> overrides) throws Exception {
        Job job = launcher.job(name)
                .orElseThrow(() -> new InvalidInputException("name",
                        "no job named '" + InvalidInputException.shown(name) + "'"));
        if (IMPORT_JOBS.contains(name)) {
            throw new InvalidInputException("name", name + " is not run from here: start an import with "
                    + "importLeadsFromServerFile, importDncFromServerFile or an upload");
        }
        Map<String, String> parameters = new LinkedHashMap<>(
                definitions.forJob(name).map(BatchJobDefinition::parameters).orElse(Map.of()));
        Set<String> reads = DeclaredParameters.of(job);
        Set<String> named = new HashSet<>();
        List<BatchJobParameterInput> given = overrides == null ? List.of() : overrides;
        for (int i = 0; i < given.size(); i++) {
            BatchJobParameterInput parameter = given.get(i);
            String field = "parameters[" + i + "].name";
            if (parameter.name() == null || parameter.name().isBlank() || BatchJobLauncher.FIRED_AT.equals(parameter.name())) {
                throw new InvalidInputException(field, "must be a parameter name other than firedAt");
            }
            if (SERVER_PATHS.contains(parameter.name())) {
                // a path on the server is the server's configuration, never an API caller's to choose
                throw new InvalidInputException(field,
                        "'" + InvalidInputException.shown(parameter.name()) + "' names a path on the "
                        + "server: it comes from the application's configuration, not from runJob");
            }
            if (!reads.contains(parameter.name())) {
                // a misspelt name would run with the default instead (retentonDays: the purge keeps 30 days)
                throw new InvalidInputException(field, name + " has no parameter '" + parameter.name()
                        + "' (" + DeclaredParameters.readBy(job) + ")");
            }
            if (!named.add(parameter.name())) {
                // two values for one name: the last would run, without a word
                throw new InvalidInputException(field, parameter.name() + " is given twice");
            }
            parameters.put(parameter.name(), parameter.value());
        }
        try {
            return BatchJobExecution.of(launcher.launch(name, parameters, Instant.now()));
        } catch (RefusedJobParameter e) {
            throw new InvalidInputException(valueOf(given, e.parameter()), e.getMessage());
        } catch (InvalidJobParametersException e) {
            throw new InvalidInputException("parameters", e.getMessage());
        }
    }

    /** The path of the value given for {@code name} ({@code parameters[1].value}); a default's has none of its own. */
    private static String valueOf(List<BatchJobParameterInput> given, String name) {
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i).name().equals(name)) {
                return "parameters[" + i + "].value";
            }
        }
        return "parameters";
    }

    BatchJobExecution stop(long id) throws Exception {
        JobExecution execution = require(id);
        try {
            launcher.background().stop(execution);
        } catch (JobExecutionNotRunningException e) {
            throw new InvalidInputException("id", "execution " + id + " is not running (" + execution.getStatus() + ")");
        }
        return BatchJobExecution.of(require(id));
    }

    BatchJobExecution restart(long id) {
        JobExecution execution = require(id);
        String jobName = execution.getJobInstance().getJobName();
        if (launcher.job(jobName).isEmpty()) {
            throw new InvalidInputException("id", "execution " + id + " is of job '" + jobName + "', which this "
                    + "application no longer has (renamed or removed): it cannot be restarted");
        }
        if (launcher.isRunning(execution)) {
            throw new InvalidInputException("id", "execution " + id + still(execution)
                    + "; restart it once it has ended");
        }
        launcher.recoverAfterCrash(execution);
        JobExecution last = repository.getLastJobExecution(execution.getJobInstance());
        RestartRefusal.endedForGood(last).ifPresent(ended -> {
            throw new InvalidInputException("id", "execution " + id + " cannot be restarted: its run " + ended
                    + " (execution " + last.getId() + "); run the job again instead");
        });
        for (RestartRefusal refusal : restartRefusals) {
            // the feature knows what a run of its job needs (an import's file, say); a run without it only fails
            refusal.refusal(last != null ? last : execution).ifPresent(reason -> {
                throw new InvalidInputException("id", "execution " + id + " cannot be restarted: " + reason);
            });
        }
        try {
            return BatchJobExecution.of(launcher.restart(execution));
        } catch (JobRestartException e) {
            throw new InvalidInputException("id", "execution " + id + " cannot be restarted: " + e.getMessage());
        }
    }

    /** What still runs: a stopped execution finishing its chunk, or another execution of the same instance. */
    private String still(JobExecution execution) {
        JobExecution last = repository.getLastJobExecution(execution.getJobInstance());
        if (last == null || last.getId() == execution.getId()) {
            return execution.getStatus().isRunning() ? " is still running"
                    : " is still finishing its current chunk";
        }
        return " has a later execution still running (" + last.getId() + ")";
    }

    private JobExecution require(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("Job execution", id));
    }

    /** Batch 6's JDBC repository throws for an unknown id where the interface promises null. */
    private Optional<JobExecution> find(long id) {
        try {
            return Optional.ofNullable(repository.getJobExecution(id));
        } catch (EmptyResultDataAccessException e) {
            return Optional.empty();
        }
    }

    private BatchJob view(String name) {
        return new BatchJob(name, definitions.forJob(name).map(BatchJobDefinition::description).orElse(null));
    }

    /**
     * Each job's schedule, for the jobs a batch-jobs file names (the others have none), with its trigger's fire
     * times: one read of Quartz's triggers table (the JDBC job store's, spring.quartz.job-store-type) for every job
     * together, where the scheduler reads one trigger at a time with two statements of its own.
     */
    Map<String, BatchJobSchedule> schedules(Collection<String> jobNames) {
        List<BatchJobDefinition> scheduled = jobNames.stream().map(definitions::forJob).flatMap(Optional::stream)
                .toList();
        Map<String, BatchJobSchedule> schedules = new HashMap<>();
        if (scheduled.isEmpty()) {
            return schedules;
        }
        Map<String, Instant[]> fires = new HashMap<>();
        jdbc.query("""
                SELECT trigger_name, next_fire_time, prev_fire_time FROM qrtz_triggers
                WHERE sched_name = ? AND trigger_group = ? AND trigger_name = ANY (?)""",
                (ResultSet rs) -> {
                    fires.put(rs.getString(1), new Instant[] {fireTime(rs.getLong(2)), fireTime(rs.getLong(3))});
                }, schedulerName(), BatchJobScheduler.GROUP,
                scheduled.stream().map(BatchJobDefinition::job).toArray(String[]::new));
        for (BatchJobDefinition d : scheduled) {
            Instant[] fire = fires.getOrDefault(d.job(), new Instant[2]);
            schedules.put(d.job(), new BatchJobSchedule(d.file(), d.enabled(), d.cron(), d.timeZone().getId(), fire[0],
                    fire[1], BatchJobParameter.of(d.parameters())));
        }
        return schedules;
    }

    /** Quartz keeps a fire time as epoch milliseconds, 0 or -1 for none. */
    private static Instant fireTime(long millis) {
        return millis > 0 ? Instant.ofEpochMilli(millis) : null;
    }

    private String schedulerName() {
        try {
            return scheduler.getSchedulerName();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz scheduler unavailable", e);
        }
    }
}
