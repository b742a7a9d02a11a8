package io.capconduit.leads;

import java.util.List;

import io.capconduit.jobs.KeptBesideHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Drops the staging tables of imports no restart will use: a JVM killed mid-import leaves its table behind, and
 * only the merge of a (restarted) import drops it. A table stays while its import runs or can still be restarted
 * into it: its last execution FAILED or STOPPED (as a crash's is marked at start-up, before this runs). It goes
 * when its import completed, was abandoned (or left UNKNOWN: Spring Batch restarts neither), or no longer exists;
 * and, in the nightly history purge, when its import failed longer ago than the retention and no merge of it is
 * under way: a restart then reads the file again, or says to import it again.
 */
@Component
class StagingTableLeftovers implements KeptBesideHistory {

    private static final Logger log = LoggerFactory.getLogger(StagingTableLeftovers.class);

    // the instance id of every staging table whose import no restart can continue, or, given a retention in days
    // (the last two parameters), whose import failed longer ago than that
    private static final String UNUSED = """
            SELECT substr(c.relname, 19)::bigint FROM pg_class c
            WHERE c.relname ~ '^lead_import_stage_[0-9]{1,18}$' AND c.relkind = 'r'
              AND c.relnamespace = current_schema()::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM batch_job_instance i
                JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id
                WHERE i.job_instance_id = substr(c.relname, 19)::bigint AND i.job_name IN (?, ?)
                  AND e.job_execution_id = (SELECT max(job_execution_id) FROM batch_job_execution
                                            WHERE job_instance_id = i.job_instance_id)
                  AND e.status NOT IN ('COMPLETED', 'ABANDONED', 'UNKNOWN')
                  AND (CAST(? AS integer) IS NULL OR e.end_time IS NULL
                       OR e.end_time >= now() - make_interval(days => CAST(? AS integer))
                       OR EXISTS (SELECT 1 FROM lead_import_merges m WHERE m.job_instance_id = i.job_instance_id)))
            ORDER BY 1""";

    private final JdbcTemplate jdbc;

    StagingTableLeftovers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** At start-up: after the executions a crash left running are marked FAILED (an application runner). */
    @EventListener(ApplicationReadyEvent.class)
    void dropLeftovers() {
        try {
            drop(null);
        }
        catch (RuntimeException ex) {
            log.warn("Could not look for the staging tables of ended imports: {}", ex.getMessage());
        }
    }

    @Override
    public void purge(int retentionDays) {
        drop(retentionDays);
    }

    private void drop(Integer retentionDays) {
        List<Long> instances = jdbc.queryForList(UNUSED, Long.class, LeadImportJobConfiguration.LEAD_JOB,
                LeadImportJobConfiguration.DNC_JOB, retentionDays, retentionDays);
        for (long instanceId : instances) {
            jdbc.execute("DROP TABLE IF EXISTS " + StagingTasklet.stageTable(instanceId));
        }
        if (!instances.isEmpty()) {
            log.info("Dropped the staging tables of {} ended imports no restart will use: {}", instances.size(),
                    instances);
        }
    }
}
