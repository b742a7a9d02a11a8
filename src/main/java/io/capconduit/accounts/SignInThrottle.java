package io.capconduit.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Counts wrong passwords per user name from one client address, and per client address; past
 * {@link SignInThrottleProperties} the name from that address, or the address, is refused until its window ends
 * ({@link SignInThrottleFilter} refuses before any password is read). A user name is counted per address so that
 * whoever knows it cannot lock its owner out from elsewhere (an admin locked out by anyone who sends five wrong
 * passwords); guessing from many addresses meets each address's own limit. Failures come from Spring Security's
 * events, so HTTP Basic and the login form count alike; a success clears its user name's count from that address,
 * not the address's (one good account must not unlock guessing at others). In memory, per app instance: a restart
 * forgets, and each instance behind a load balancer counts on its own.
 */
@Component
class SignInThrottle {

    private static final int MAX_ENTRIES = 100_000;

    private final SignInThrottleProperties limits;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant windowEnds) {
    }

    /** Refused sign-in: retry after {@code retryAfter}. */
    static class RefusedException extends RuntimeException {

        private final Duration retryAfter;

        RefusedException(Duration retryAfter) {
            super(refusedMessage(retryAfter));
            this.retryAfter = retryAfter;
        }

        long retryAfterSeconds() {
            return seconds(retryAfter);
        }
    }

    @Autowired
    SignInThrottle(SignInThrottleProperties limits) {
        this(limits, Clock.systemUTC());
    }

    SignInThrottle(SignInThrottleProperties limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** How long sign-ins as {@code username} or from {@code address} (may be null) are refused still, if they are. */
    Optional<Duration> refusal(String username, String address) {
        Instant now = clock.instant();
        Duration wait = waitFor(userKey(username, address), limits.maxFailuresPerUsername(), now);
        if (address != null) {
            Duration forAddress = waitFor("address:" + address, limits.maxFailuresPerAddress(), now);
            wait = forAddress.compareTo(wait) > 0 ? forAddress : wait;
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_ENTRIES) {
            failures.values().removeIf(old -> !now.isBefore(old.windowEnds()));
        }
        count(userKey(username, address), now);
        if (address != null) {
            count("address:" + address, now);
        }
    }

    void succeeded(String username, String address) {
        failures.remove(userKey(username, address));
    }

    private static String userKey(String username, String address) {
        return "user:" + username + (address == null ? "" : " from " + address);
    }

    /** A password checked outside Spring Security's sign-in ({@code changeMyPassword}), throttled like one. */
    boolean check(String username, BooleanSupplier passwordMatches) {
        String address = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? request.getRequest().getRemoteAddr() : null;
        refusal(username, address).ifPresent(wait -> {
            throw new RefusedException(wait);
        });
        boolean matches = passwordMatches.getAsBoolean();
        if (matches) {
            succeeded(username, address);
        }
        else {
            failed(username, address);
        }
        return matches;
    }

    @EventListener
    void onFailure(AuthenticationFailureBadCredentialsEvent event) {
        failed(event.getAuthentication().getName(), addressOf(event.getAuthentication()));
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        succeeded(event.getAuthentication().getName(), addressOf(event.getAuthentication()));
    }

    private static String addressOf(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }

    private Duration waitFor(String key, int max, Instant now) {
        Failures counted = failures.get(key);
        if (counted == null || counted.count() < max || !now.isBefore(counted.windowEnds())) {
            return Duration.ZERO;
        }
        return Duration.between(now, counted.windowEnds());
    }

    private void count(String key, Instant now) {
        failures.merge(key, new Failures(1, now.plus(limits.window())), (old, first) -> now.isBefore(old.windowEnds())
                ? new Failures(old.count() + 1, old.windowEnds()) : first);
    }

    static String refusedMessage(Duration wait) {
        return "Too many failed sign-ins; try again in " + seconds(wait) + " s";
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
