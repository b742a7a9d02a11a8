package io.capconduit.jobs;

/**
 * What a feature keeps for restarts beside the job repository (an import's staging table): the nightly history
 * purge hands it the retention, after recovering the executions a crash left running, so what no restart will
 * use goes too.
 */
public interface KeptBesideHistory {

    /** Deletes what no restart can use, and what ended more than {@code retentionDays} ago. */
    void purge(int retentionDays);
}
