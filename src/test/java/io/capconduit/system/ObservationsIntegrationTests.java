package io.capconduit.system;

import io.capconduit.support.IntegrationTest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests stay observed (their timers feed /actuator/metrics); the per-filter security observations and the
 * per-field GraphQL ones are off (application.yml: they were a large share of a call-log page's allocations).
 */
@IntegrationTest
class ObservationsIntegrationTests {

    @Autowired
    ObservationRegistry registry;

    @Test
    void requestsAreObservedNotEachSecurityFilterOrField() {
        assertThat(observed("http.server.requests")).isTrue();
        assertThat(observed("graphql.request")).isTrue();
        assertThat(observed("spring.security.filterchains")).isFalse();
        assertThat(observed("spring.security.authorizations")).isFalse();
        assertThat(observed("graphql.datafetcher")).isFalse();
    }

    private boolean observed(String name) {
        Observation observation = Observation.start(name, registry);
        observation.stop();
        return !observation.isNoop();
    }
}
