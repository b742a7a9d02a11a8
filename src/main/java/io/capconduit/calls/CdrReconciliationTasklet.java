package io.capconduit.calls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Reconciles one cdr id range per call (one transaction each, the checkpoint moving with the call logs), so
 * a crash loses nothing and a restart goes on from the last committed range. Counts: read = cdr rows,
 * write = call logs inserted or rebuilt, process skip = rejected rows (listed in cdr_rejects).
 */
class CdrReconciliationTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(CdrReconciliationTasklet.class);

    private final CdrReconciliationMapper mapper;

    CdrReconciliationTasklet(CdrReconciliationMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        StepExecution step = contribution.getStepExecution();
        JobParameters parameters = step.getJobExecution().getJobParameters();
        int graceSeconds = Integer.parseInt(parameters.getString("graceSeconds", "120"));
        int chunkSize = Integer.parseInt(parameters.getString("chunkSize", "250000"));
        long from = mapper.lockCheckpoint();
        long ready = mapper.readyUpTo(from, chunkSize, graceSeconds);
        if (ready <= from) {
            return RepeatStatus.FINISHED;
        }
        long to = Math.min(ready, from + chunkSize);
        mapper.raiseWorkMem();
        int rows = mapper.countRows(from, to);
        int rejected = mapper.rejectBadRows(from, to, step.getJobExecutionId());
        int calls = mapper.upsertCallLogs(from, to);
        mapper.settleOutboundQueue(from, to);
        mapper.releaseRouteClaims(from, to);
        mapper.saveCheckpoint(to);
        for (int i = 0; i < rows; i++) {
            contribution.incrementReadCount();
        }
        contribution.incrementWriteCount(calls);
        contribution.incrementProcessSkipCount(rejected);
        if (rejected > 0) {
            log.warn("CDR ids {}..{}: skipped {} bad rows (reasons in cdr_rejects, job execution {})", from + 1, to,
                    rejected, step.getJobExecutionId());
        }
        return to < ready ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }
}
