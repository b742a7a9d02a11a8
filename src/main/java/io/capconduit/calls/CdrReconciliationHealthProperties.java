package io.capconduit.calls;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CDR reconciliation backlog in the health components.
 *
 * @param maxAge an unreconciled row written longer ago than this makes it DEGRADED: the reconciler (every 30 s,
 *               holding rows back 120 s for their other legs) is stuck or failing
 * @param cacheFor how long one reading answers health requests: load balancers poll the status, which runs every
 *                 contributor, as often as every second
 * @param countLimit rows counted at most; a larger backlog reads as this many (and {@code atLeast})
 */
@ConfigurationProperties("capconduit.health.cdr-reconciliation")
record CdrReconciliationHealthProperties(@DefaultValue("10m") Duration maxAge, @DefaultValue("10s") Duration cacheFor,
        @DefaultValue("100000") int countLimit) {
}
