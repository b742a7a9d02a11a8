package io.capconduit.system;

import java.time.Duration;

/**
 * A user-triggered read ran past its statement timeout and PostgreSQL cancelled it. The message is shown to the
 * caller as is: it gives the limit and how to ask for less. Reported as GraphQL classification BAD_REQUEST with
 * {@code extensions.timeoutMillis}, and by the exports as HTTP 400.
 */
public class QueryTimedOutException extends RuntimeException {

    private final Duration limit;

    public QueryTimedOutException(Duration limit, String setting, Throwable cause) {
        super("The query took longer than its limit of " + TimedReads.describe(limit) + " (" + setting
                + ") and was stopped: narrow it (a shorter from..to, one sellerId, campaignId or clientId, "
                + "fewer rows per page) and ask again", cause);
        this.limit = limit;
    }

    public Duration limit() {
        return limit;
    }
}
