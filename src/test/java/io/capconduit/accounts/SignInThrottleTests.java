package io.capconduit.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignInThrottleTests {

    private final MovableClock clock = new MovableClock();
    private final SignInThrottle throttle = new SignInThrottle(
            new SignInThrottleProperties(3, 5, Duration.ofMinutes(15)), clock);

    @Test
    void aUserNameIsRefusedFromTheAddressOfItsFailuresUntilTheWindowEnds() {
        fail("ann", "10.0.0.1", 3);
        assertThat(throttle.refusal("ann", "10.0.0.1")).contains(Duration.ofMinutes(15));
        assertThat(throttle.refusal("bob", "10.0.0.1")).isEmpty();
        // whoever sent the wrong passwords cannot lock ann out where she signs in
        assertThat(throttle.refusal("ann", "10.0.0.9")).isEmpty();

        clock.move(Duration.ofMinutes(14));
        assertThat(throttle.refusal("ann", "10.0.0.1")).contains(Duration.ofMinutes(1));
        clock.move(Duration.ofMinutes(1));
        assertThat(throttle.refusal("ann", "10.0.0.1")).isEmpty();
    }

    @Test
    void anAddressIsRefusedForEveryUserNameAndASuccessDoesNotClearIt() {
        fail("ann", "10.0.0.1", 2);
        fail("bob", "10.0.0.1", 2);
        throttle.succeeded("carl", "10.0.0.1");
        fail("carl", "10.0.0.1", 1);

        assertThat(throttle.refusal("dora", "10.0.0.1")).isPresent();
        assertThat(throttle.refusal("dora", "10.0.0.2")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUserNamesFailures() {
        fail("ann", "10.0.0.1", 2);
        throttle.succeeded("ann", "10.0.0.1");
        fail("ann", "10.0.0.1", 2);

        assertThat(throttle.refusal("ann", "10.0.0.1")).isEmpty();
    }

    @Test
    void aThrottledPasswordCheckIsRefusedWithoutCheckingThePassword() {
        fail("ann", null, 3);

        assertThatThrownBy(() -> throttle.check("ann", () -> {
            throw new AssertionError("the password was checked");
        })).isInstanceOf(SignInThrottle.RefusedException.class).hasMessageContaining("900 s");
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
