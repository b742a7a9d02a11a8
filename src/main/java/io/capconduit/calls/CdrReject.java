package io.capconduit.calls;

import java.time.Instant;

/** A cdr row CDR reconciliation skipped, with the reason, kept in cdr_rejects. */
public record CdrReject(long cdrId, String linkedId, String reason, Long jobExecutionId, Instant rejectedAt) {
}
