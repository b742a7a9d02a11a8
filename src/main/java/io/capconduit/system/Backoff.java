package io.capconduit.system;

import java.time.Duration;

/** Waits that double after each failure up to a ceiling: AMI reconnects, re-asked channel lists, retried migrations. */
public final class Backoff {

    /** Doublings past this change nothing (the ceiling is reached long before) and would overflow. */
    private static final int MAX_DOUBLINGS = 20;

    private Backoff() {
    }

    /** {@code first} doubled {@code doublings} times (none below 1), at most {@code max}. */
    public static Duration doubling(Duration first, int doublings, Duration max) {
        Duration wait = first.multipliedBy(1L << Math.min(Math.max(doublings, 0), MAX_DOUBLINGS));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
