package io.capconduit.calls;

/**
 * CDR reconciliation's checkpoint: the last cdr id whose calls have their logs, kept in {@code app_state}. Rows past
 * it are still to be read (or are being read now), so the purges keep them and what they will settle.
 */
public final class CdrCheckpoint {

    /** The checkpoint's value, as a scalar subquery or a statement of its own. */
    public static final String READ = "SELECT value::bigint FROM app_state WHERE key = 'cdr_reconciliation_last_id'";

    private CdrCheckpoint() {
    }
}
