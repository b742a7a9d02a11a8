package io.capconduit.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jakarta.servlet.http.HttpServletRequest;

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
 * not the address's (one good account must not unlock guessing at others). The counts are in the database
 * ({@link SignInFailureMapper}), each change one atomic statement: every app instance behind a load balancer
 * counts the same failures, and a restart forgets none.
 */
@Component
class SignInThrottle {

    /** Expired counts deleted with each new failure: more than come in, so the table keeps only open windows. */
    private static final int EXPIRED_DELETED_PER_FAILURE = 100;

    /** The request attribute naming the user key {@link #refusal} found no count of. */
    private static final String UNCOUNTED = SignInThrottle.class.getName() + ".uncounted";

    private final SignInThrottleProperties limits;
    private final SignInFailureMapper failures;
    private final Clock clock;

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
    SignInThrottle(SignInThrottleProperties limits, SignInFailureMapper failures) {
        this(limits, failures, Clock.systemUTC());
    }

    SignInThrottle(SignInThrottleProperties limits, SignInFailureMapper failures, Clock clock) {
        this.limits = limits;
        this.failures = failures;
        this.clock = clock;
    }

    /**
     * How long sign-ins as {@code username} or from {@code address} (may be null) are refused still, if they are.
     * When the user name has no count from that address, the request remembers it: its sign-in's success then has
     * nothing to clear, and every request signed in with HTTP Basic is spared a statement.
     */
    Optional<Duration> refusal(String username, String address) {
        Instant now = clock.instant();
        byte[] userKey = userKey(username, address);
        SignInFailureMapper.Counts counts = failures.counts(userKey, limits.maxFailuresPerUsername(),
                addressKey(address), limits.maxFailuresPerAddress(), now);
        HttpServletRequest request = currentRequest();
        if (!counts.userCounted() && request != null) {
            request.setAttribute(UNCOUNTED, userKey);
        }
        return Optional.ofNullable(counts.refusedUntil()).map(until -> Duration.between(now, until));
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        Instant windowEnds = now.plus(limits.window());
        failures.count(userKey(username, address), now, windowEnds);
        if (address != null) {
            failures.count(addressKey(address), now, windowEnds);
        }
        failures.deleteExpired(now, EXPIRED_DELETED_PER_FAILURE);
    }

    void succeeded(String username, String address) {
        byte[] userKey = userKey(username, address);
        HttpServletRequest request = currentRequest();
        boolean nothingCounted = request != null && request.getAttribute(UNCOUNTED) instanceof byte[] uncounted
                && Arrays.equals(uncounted, userKey);
        if (!nothingCounted) {
            failures.clear(userKey);
        }
    }

    private static byte[] userKey(String username, String address) {
        return ApiTokens.sha256("user:" + username + (address == null ? "" : " from " + address));
    }

    private static byte[] addressKey(String address) {
        return address == null ? null : ApiTokens.sha256("address:" + address);
    }

    /** A password checked outside Spring Security's sign-in ({@code changeMyPassword}), throttled like one. */
    boolean check(String username, BooleanSupplier passwordMatches) {
        HttpServletRequest request = currentRequest();
        String address = request != null ? request.getRemoteAddr() : null;
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

    /** The HTTP request this thread serves, or null outside one. */
    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    private static String addressOf(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }

    static String refusedMessage(Duration wait) {
        return "Too many failed sign-ins; try again in " + seconds(wait) + " s";
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
