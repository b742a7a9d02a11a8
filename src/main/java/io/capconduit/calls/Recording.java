package io.capconduit.calls;

import java.time.Instant;

/**
 * A recording of a call: a file MixMonitor wrote, its name (relative to Asterisk's monitor spool) stamped in
 * {@code CDR(recording_file)} and linked to the call log by CDR reconciliation.
 */
public record Recording(long id, long callLogId, String fileName, Instant createdAt) {
}
