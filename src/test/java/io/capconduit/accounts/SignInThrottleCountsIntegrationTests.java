package io.capconduit.accounts;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The throttle's counts in the shared database, with limits of its own (3 per user name, 5 per address) and a clock
 * it moves. Each test counts from addresses of a network of its own, as the counts of the other tests stay.
 */
@IntegrationTest
class SignInThrottleCountsIntegrationTests {

    private static final SignInThrottleProperties LIMITS = new SignInThrottleProperties(3, 5, Duration.ofMinutes(15));

    private final MovableClock clock = new MovableClock();
    /** The addresses of this test: their counts are its own. */
    private final String net = "test-" + UUID.randomUUID() + "/";
    private final SignInFailureMapper failures;
    private final SignInThrottle throttle;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SignInThrottleCountsIntegrationTests(SignInFailureMapper failures) {
        this.failures = failures;
        this.throttle = new SignInThrottle(LIMITS, failures, clock);
    }

    @Test
    void aUserNameIsRefusedFromTheAddressOfItsFailuresUntilTheWindowEnds() {
        fail("ann", net + "1", 3);
        assertThat(throttle.refusal("ann", net + "1")).contains(Duration.ofMinutes(15));
        assertThat(throttle.refusal("bob", net + "1")).isEmpty();
        // whoever sent the wrong passwords cannot lock ann out where she signs in
        assertThat(throttle.refusal("ann", net + "9")).isEmpty();

        clock.move(Duration.ofMinutes(14));
        assertThat(throttle.refusal("ann", net + "1")).contains(Duration.ofMinutes(1));
        clock.move(Duration.ofMinutes(1));
        assertThat(throttle.refusal("ann", net + "1")).isEmpty();
    }

    @Test
    void anAddressIsRefusedForEveryUserNameAndASuccessDoesNotClearIt() {
        fail("ann", net + "1", 2);
        fail("bob", net + "1", 2);
        throttle.succeeded("carl", net + "1");
        fail("carl", net + "1", 1);

        assertThat(throttle.refusal("dora", net + "1")).isPresent();
        assertThat(throttle.refusal("dora", net + "2")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUserNamesFailures() {
        fail("ann", net + "1", 2);
        throttle.succeeded("ann", net + "1");
        fail("ann", net + "1", 2);

        assertThat(throttle.refusal("ann", net + "1")).isEmpty();
    }

    @Test
    void aThrottledPasswordCheckIsRefusedWithoutCheckingThePassword() {
        fail("ann@" + net, null, 3);

        assertThatThrownBy(() -> throttle.check("ann@" + net, () -> {
            throw new AssertionError("the password was checked");
        })).isInstanceOf(SignInThrottle.RefusedException.class).hasMessageContaining("900 s");
    }

    @Test
    void everyInstanceOnTheDatabaseCountsTheSameFailures() {
        SignInThrottle otherInstance = new SignInThrottle(LIMITS, failures, clock);
        fail("ann", net + "1", 2);
        otherInstance.failed("ann", net + "1");

        assertThat(otherInstance.refusal("ann", net + "1")).contains(Duration.ofMinutes(15));
        assertThat(throttle.refusal("ann", net + "1")).contains(Duration.ofMinutes(15));
        throttle.succeeded("ann", net + "1");
        assertThat(otherInstance.refusal("ann", net + "1")).isEmpty();
    }

    @Test
    void aFailureAfterTheWindowStartsANewOneAndExpiredCountsAreDeleted() {
        fail("ann", net + "1", 2);
        clock.move(Duration.ofMinutes(15));
        fail("ann", net + "1", 2);
        assertThat(throttle.refusal("ann", net + "1")).isEmpty();
        fail("ann", net + "1", 1);
        assertThat(throttle.refusal("ann", net + "1")).contains(Duration.ofMinutes(15));

        // counts whose window is over go as new failures come
        clock.move(Duration.ofMinutes(16));
        throttle.failed("someone-else", net + "2");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sign_in_failures WHERE window_ends <= ?",
                Long.class, Timestamp.from(clock.instant()))).isZero();
    }

    @Test
    void whatIsTypedAsTheUserNameIsNotStoredAndAnyLengthIsCounted() {
        String typedPassword = "hunter2-" + net + "x".repeat(8_000);
        fail(typedPassword, net + "1", 3);

        assertThat(throttle.refusal(typedPassword, net + "1")).isPresent();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sign_in_failures "
                + "WHERE position(convert_to('hunter2', 'UTF8') IN key) > 0 OR length(key) <> 32", Long.class)).isZero();
    }

    private void fail(String username, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username, address);
        }
    }

    private static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-01-05T10:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
