package io.capconduit.leads;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** Second step of a DNC import: adds the staged numbers to {@code dnc_numbers} in one statement; known ones are duplicates. */
class DncMergeTasklet implements Tasklet {

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
        long staged = jdbc.queryForObject("SELECT count(*) FROM " + stage, Long.class);
        int added = jdbc.update("INSERT INTO dnc_numbers (phone, source, reason) SELECT phone, 'import', ? FROM "
                + stage + " ON CONFLICT (phone) DO NOTHING", "imported from " + fileName);
        jdbc.execute("DROP TABLE " + stage);
        LeadMergeTasklet.record(jdbc, step, staged, added, staged - added, 0);
        return RepeatStatus.FINISHED;
    }
}
