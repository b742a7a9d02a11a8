package io.capconduit.leads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** Second step of a DNC import: adds the staged numbers to {@code dnc_numbers} in one statement; known ones are duplicates. */
class DncMergeTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DncMergeTasklet.class);

    private final JdbcTemplate jdbc;
    private final String fileName;

    DncMergeTasklet(JdbcTemplate jdbc, String fileName) {
        this.jdbc = jdbc;
        this.fileName = fileName;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StepExecution step = contribution.getStepExecution();
        long instanceId = step.getJobExecution().getJobInstance().getInstanceId();
        // an earlier execution's merge still running (stopped, then restarted) finishes first
        LeadMergeParts.lockImport(jdbc, instanceId);
        if (LeadMergeTasklet.mergedEarlier(jdbc, step)) {
            return RepeatStatus.FINISHED;
        }
        String stage = StagingTasklet.stageTable(instanceId);
        LeadMergeTasklet.requireStageTable(jdbc, stage);
        // a database crash since the file was read empties the UNLOGGED staging table: refused, not "0 added"
        long staged = LeadMergeTasklet.stagedRows(jdbc, stage, step.getJobExecution().getExecutionContext());
        int added = jdbc.update("INSERT INTO dnc_numbers (phone, source, reason) SELECT phone, 'import', ? FROM "
                + stage + " ON CONFLICT (phone) DO NOTHING", "imported from " + fileName);
        // the hopper entries still waiting to call them go now (the dialer would pass them over for good): from the
        // live queue by key, a few hopper levels at most, against the staged numbers
        int cancelled = jdbc.update("UPDATE outbound_queue q SET status = 'DONE', done_at = now(), outcome = 'DNC' "
                + "FROM leads l WHERE l.id = q.lead_id AND q.status = 'QUEUED' AND l.phone IN (SELECT phone FROM "
                + stage + ")");
        if (cancelled > 0) {
            log.info("DNC import {}: {} queued calls to its numbers cancelled", fileName, cancelled);
        }
        jdbc.execute("DROP TABLE " + stage);
        LeadMergeTasklet.record(jdbc, step, staged, added, staged - added, 0);
        return RepeatStatus.FINISHED;
    }
}
