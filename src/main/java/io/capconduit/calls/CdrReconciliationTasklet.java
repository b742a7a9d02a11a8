package io.capconduit.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.capconduit.jobs.WholeNumberParameters;
import io.capconduit.system.SideBySide;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.DeadlockLoserDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles one cdr id range per call (one transaction each, the checkpoint moving with the call logs), so
 * a crash loses nothing and a restart goes on from the last committed range. Counts: read = cdr rows,
 * write = call logs inserted or rebuilt, process skip = rejected rows (listed in cdr_rejects; the first few of each
 * range also in the step's exit message, which the jobs API shows).
 * <p>
 * The call logs of a range are written by {@code workers} transactions side by side (default 2: one
 * PostgreSQL backend per core), each for the linked ids of its share, while the step's own transaction holds
 * the checkpoint's lock. A share commits before the checkpoint moves; if another share or the step then fails,
 * the range is done again and that share's calls, now seen before, are rebuilt from their rows: the same call
 * logs, once each.
 */
class CdrReconciliationTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(CdrReconciliationTasklet.class);
    /** Rejected rows named in the step's exit message per range (the exit message is cut at 2,500 characters). */
    private static final int REASONS_SHOWN = 5;
    /** Tries of a share that loses a deadlock to another share (each loss costs PostgreSQL's deadlock_timeout). */
    private static final int DEADLOCK_ATTEMPTS = 3;

    /** The job's parameters, checked when it is launched (the job's validator). */
    static final WholeNumberParameters PARAMETERS = new WholeNumberParameters()
            .with("graceSeconds", 120, 0, 86_400)
            .with("chunkSize", 250_000, 1, 10_000_000)
            .with("workers", 2, 1, 16);

    private final CdrReconciliationMapper mapper;
    private final TransactionTemplate shareTransaction;

    CdrReconciliationTasklet(CdrReconciliationMapper mapper, PlatformTransactionManager transactionManager) {
        this.mapper = mapper;
        this.shareTransaction = new TransactionTemplate(transactionManager);
        this.shareTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        StepExecution step = contribution.getStepExecution();
        JobParameters parameters = step.getJobExecution().getJobParameters();
        int graceSeconds = PARAMETERS.value(parameters, "graceSeconds");
        int chunkSize = PARAMETERS.value(parameters, "chunkSize");
        int workers = PARAMETERS.value(parameters, "workers");
        long from = mapper.lockCheckpoint();
        long lastIdGiven = mapper.lastIdGiven();
        if (lastIdGiven < from) {
            from = restartFromTheFirstRow(step, from, lastIdGiven);
        }
        long ready = mapper.readyUpTo(from, chunkSize, graceSeconds);
        if (ready <= from) {
            return RepeatStatus.FINISHED;
        }
        ready = Math.min(ready, settledUpTo(from));
        if (ready <= from) {
            return RepeatStatus.FINISHED;
        }
        long to = Math.min(ready, from + chunkSize);
        mapper.raiseWorkMem();
        int rows = mapper.countRows(from, to);
        int rejected = mapper.rejectBadRows(from, to, step.getJobExecutionId());
        int calls = upsertCallLogs(from, to, workers);
        mapper.keepRejectedRecordings(from, to);
        mapper.settleOutboundQueue(from, to);
        mapper.correctLostAnswers(from, to);
        mapper.releaseRouteClaims(from, to);
        mapper.saveCheckpoint(to);
        mapper.announceCallLogs(from, to);
        for (int i = 0; i < rows; i++) {
            contribution.incrementReadCount();
        }
        contribution.incrementWriteCount(calls);
        contribution.incrementProcessSkipCount(rejected);
        if (rejected > 0) {
            reportRejects(step, from, to, rejected);
        }
        return to < ready ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }

    /**
     * cdr's ids were handed out again below the checkpoint (the table emptied with its ids restarted, or restored
     * from a backup): every row there is read again from the first, since a rebuilt call log is the same call log.
     */
    private long restartFromTheFirstRow(StepExecution step, long checkpoint, long lastIdGiven) {
        String report = String.format("cdr ids restarted below the checkpoint (the id sequence is at %d, the checkpoint "
                + "at %d): every cdr row is read again from the first", lastIdGiven, checkpoint);
        log.warn("CDR reconciliation: {}", report);
        step.setExitStatus(step.getExitStatus().addExitDescription(report));
        mapper.saveCheckpoint(0);
        return 0;
    }

    private void reportRejects(StepExecution step, long from, long to, int rejected) {
        String reasons = String.join("; ", mapper.rejectReasons(from, to, step.getJobExecutionId(), REASONS_SHOWN));
        String report = String.format("CDR ids %d..%d: skipped %d bad rows (%s%s; all in cdr_rejects, job execution %d)",
                from + 1, to, rejected, reasons, rejected > REASONS_SHOWN ? "; ..." : "", step.getJobExecutionId());
        log.warn("{}", report);
        step.setExitStatus(step.getExitStatus().addExitDescription(report));
    }

    /**
     * The highest id below which no cdr row can still appear. Ids are taken when a row is inserted and the row
     * shows when its transaction commits, so with several Asterisk servers writing at once a lower id can
     * commit after a higher one: a range ending past it would move the checkpoint over a row not yet visible,
     * and that row would never become a call log. So the bound is read once the inserts under way have
     * committed, in a short transaction of its own (its lock holds inserts back for a moment only). If an
     * insert stays open past the lock timeout, this run does nothing and the next one tries again.
     */
    private long settledUpTo(long from) {
        try {
            return shareTransaction.execute(status -> {
                mapper.boundLockWait();
                mapper.waitForCdrInserts();
                return mapper.maxId();
            });
        }
        catch (org.springframework.dao.PessimisticLockingFailureException ex) {
            log.warn("CDR reconciliation: an insert into cdr stayed open for 5 s; trying again at the next run ({})",
                    ex.getMostSpecificCause().getMessage());
            return from;
        }
    }

    private int upsertShare(long from, long to, int share, int shares) {
        mapper.collectRangeCalls(from, to, share, shares);
        return mapper.upsertCallLogs(from, to, share, shares);
    }

    /**
     * One share in a transaction of its own. The shares' call logs are disjoint, but the rollup triggers of both add
     * to the same hour's buckets, each trigger in its own order (a statement's update trigger, moving rebuilt calls,
     * fires before its insert trigger): two shares can deadlock there. PostgreSQL then rolls one back; it is done
     * again once the other has committed, rather than failing the run for the next one to redo the range.
     */
    private int upsertShareRetryingADeadlock(long from, long to, int share, int shares) {
        for (int attempt = 1; ; attempt++) {
            try {
                return shareTransaction.execute(status -> {
                    mapper.raiseWorkMem();
                    return upsertShare(from, to, share, shares);
                });
            }
            catch (DeadlockLoserDataAccessException ex) {
                if (attempt == DEADLOCK_ATTEMPTS) {
                    throw ex;
                }
                log.info("CDR reconciliation: share {} of ids {}..{} lost a deadlock with another share; "
                        + "writing it again", share, from + 1, to);
            }
        }
    }

    private int upsertCallLogs(long from, long to, int shares) throws Exception {
        if (shares == 1) {
            return upsertShare(from, to, 0, 1);   // in the step's own transaction
        }
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int share = 0; share < shares; share++) {
            int mine = share;
            tasks.add(() -> upsertShareRetryingADeadlock(from, to, mine, shares));
        }
        // every share ends before the step's transaction does
        return SideBySide.runAll("cdr-reconcile", tasks).stream().mapToInt(Integer::intValue).sum();
    }
}
