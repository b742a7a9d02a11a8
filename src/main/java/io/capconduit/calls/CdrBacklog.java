package io.capconduit.calls;

import java.time.Instant;

/** CDR rows not turned into call logs yet (counted up to a limit) and when the oldest of them was written. */
record CdrBacklog(long unreconciled, Instant oldestInsertedAt) {
}
