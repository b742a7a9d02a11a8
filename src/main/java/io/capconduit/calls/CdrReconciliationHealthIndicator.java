package io.capconduit.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The CDR reconciliation backlog ({@code cdrReconciliation} in the health components): how many cdr rows wait for
 * their call logs and how long the oldest has waited, so a stuck reconciler shows. DEGRADED, not DOWN, past
 * {@code maxAge}: calls still route and the API still answers; the status is in no status order, so the aggregate
 * status load balancers read stays UP. One reading is kept for {@code cacheFor}.
 */
@Component
class CdrReconciliationHealthIndicator implements HealthIndicator {

    /** The oldest unreconciled row waits longer than the reconciler ever holds one back. */
    static final Status DEGRADED = new Status("DEGRADED", "CDR reconciliation is behind");

    private final CdrReconciliationMapper mapper;
    private final CdrReconciliationHealthProperties properties;
    private volatile Reading last;

    CdrReconciliationHealthIndicator(CdrReconciliationMapper mapper, CdrReconciliationHealthProperties properties) {
        this.mapper = mapper;
        this.properties = properties;
    }

    private record Reading(Health health, long nanos) {
    }

    @Override
    public Health health() {
        Reading reading = last;
        long now = System.nanoTime();
        if (reading == null || now - reading.nanos() >= properties.cacheFor().toNanos()) {
            reading = new Reading(read(), now);
            last = reading;
        }
        return reading.health();
    }

    private Health read() {
        CdrBacklog backlog = mapper.backlog(properties.countLimit());
        Instant now = Instant.now();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("unreconciledRows", backlog.unreconciled());
        details.put("atLeast", backlog.unreconciled() >= properties.countLimit());
        details.put("checkedAt", now.toString());
        boolean behind = false;
        if (backlog.oldestInsertedAt() != null) {
            Duration age = Duration.between(backlog.oldestInsertedAt(), now);
            details.put("oldestUnreconciledAt", backlog.oldestInsertedAt().toString());
            details.put("oldestUnreconciledAgeSeconds", Math.max(0, age.toSeconds()));
            behind = age.compareTo(properties.maxAge()) > 0;
        }
        details.put("maxAgeSeconds", properties.maxAge().toSeconds());
        return Health.status(behind ? DEGRADED : Status.UP).withDetails(details).build();
    }
}
