package io.capconduit.system;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Gauges of what the platform holds now (ADMIN, {@code /actuator/metrics}): open route claims, hopper entries
 * waiting, active agents by state. One reading of all of them serves every gauge for {@code cacheFor}, so a scrape
 * of all of them costs three small queries at most once in that time. Boot binds it to each registry once.
 */
@Component
class OperationsMetrics implements MeterBinder {

    /** The states of agents.state (its CHECK constraint). */
    static final List<String> AGENT_STATES = List.of("OFFLINE", "AVAILABLE", "ON_CALL", "WRAP_UP", "PAUSED");

    private final OperationsMetricsMapper mapper;
    private final Duration cacheFor;
    private volatile Reading last;

    OperationsMetrics(OperationsMetricsMapper mapper,
            @Value("${capconduit.metrics.cache-for:10s}") Duration cacheFor) {
        this.mapper = mapper;
        this.cacheFor = cacheFor;
    }

    private record Reading(long openRouteClaims, long hopperWaiting, Map<String, Long> agents, long nanos) {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge("capconduit.route.claims.open", "Route claims not released: calls holding a buyer's slot",
                Reading::openRouteClaims).register(registry);
        gauge("capconduit.hopper.waiting", "Outbound queue entries waiting to be dialed",
                Reading::hopperWaiting).register(registry);
        for (String state : AGENT_STATES) {
            gauge("capconduit.agents", "Active agents by state",
                    reading -> reading.agents().getOrDefault(state, 0L)).tag("state", state).register(registry);
        }
    }

    private Gauge.Builder<OperationsMetrics> gauge(String name, String description,
            ToDoubleFunction<Reading> value) {
        return Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.reading())).description(description);
    }

    private Reading reading() {
        Reading reading = last;
        long now = System.nanoTime();
        if (reading == null || now - reading.nanos() >= cacheFor.toNanos()) {
            reading = new Reading(mapper.openRouteClaims(), mapper.hopperWaiting(),
                    mapper.activeAgentsByState().stream().collect(Collectors.toMap(
                            OperationsMetricsMapper.AgentStateCount::state,
                            OperationsMetricsMapper.AgentStateCount::agents)), now);
            last = reading;
        }
        return reading;
    }
}
