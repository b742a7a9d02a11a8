package io.capconduit.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Ends a subscription when the sign-in it was opened with no longer stands. Its WebSocket was signed in once, at the
 * handshake, and may stay open for days; every HTTP request is checked against the database, a socket's events were
 * not. The user's subscriptions check again when a trigger (V9_62_0) says the user was disabled, deleted, given
 * another role, seller or password, or lost an API token, and when the notification feed was interrupted; a token's
 * expiry ends them on time. A browser session that signs out closes its sockets itself (Tomcat ends the WebSockets
 * of an HTTP session that ends). A subscription that ends so fails with UNAUTHORIZED: subscribe again.
 */
@Component
class SubscriptionSignIns {

    static final String CHANNEL = "capconduit_sign_in_changes";

    private final Flux<Notification> changes;
    private final UserMapper users;
    private final ApiTokenMapper tokens;

    SubscriptionSignIns(PostgresNotifications notifications, UserMapper users, ApiTokenMapper tokens) {
        // asked for at start-up, so the channel is listened to before the first subscriber comes
        this.changes = notifications.channel(CHANNEL);
        this.users = users;
        this.tokens = tokens;
    }

    /**
     * The events of a subscription of the current request's user, until that user's sign-in ends. Anything but a
     * publisher, or a request with no user of ours (refused by the services' own checks), is left as it is.
     */
    Object whileSignedIn(Object result) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(result instanceof Publisher<?> events) || authentication == null
                || !(authentication.getPrincipal() instanceof AuthenticatedUser user)) {
            return result;
        }
        ApiTokens.SignedInByToken token = authentication.getDetails() instanceof ApiTokens.SignedInByToken byToken
                ? byToken : null;
        AtomicBoolean ended = new AtomicBoolean();
        Mono<Boolean> end = Flux.merge(lost(user, token), expiry(token)).next().doOnNext(ended::set);
        return Flux.from(events).takeUntilOther(end).concatWith(Mono.defer(() -> ended.get()
                ? Mono.error(new CredentialsExpiredException("The sign-in this subscription was opened with has "
                        + "ended (signed out, disabled, given another role, seller or password, or its API token "
                        + "revoked or expired): sign in and subscribe again"))
                : Mono.empty()));
    }

    /** True once the sign-in is found gone: checked at once (the socket may be old), then at each change. */
    private Flux<Boolean> lost(AuthenticatedUser user, ApiTokens.SignedInByToken token) {
        String id = Long.toString(user.userId());
        return changes.filter(change -> change.missedSome() || id.equals(change.payload()))
                .map(change -> true).startWith(true)
                .onBackpressureLatest()
                .concatMap(check -> Mono.fromCallable(() -> !stands(user, token))
                        .subscribeOn(Schedulers.boundedElastic()), 0)
                .filter(Boolean::booleanValue);
    }

    private static Mono<Boolean> expiry(ApiTokens.SignedInByToken token) {
        if (token == null || token.expiresAt() == null) {
            return Mono.never();
        }
        Duration left = Duration.between(Instant.now(), token.expiresAt());
        return Mono.delay(left.isNegative() ? Duration.ZERO : left).thenReturn(true);
    }

    /** Whether the user would still be signed in as it was, with the same rights, and by the same token if one. */
    private boolean stands(AuthenticatedUser signedIn, ApiTokens.SignedInByToken token) {
        return users.findById(signedIn.userId()).map(AuthenticatedUser::new)
                .filter(now -> now.isEnabled() && now.credentialsVersion() == signedIn.credentialsVersion()
                        && now.role() == signedIn.role() && Objects.equals(now.sellerScope(), signedIn.sellerScope()))
                .isPresent()
                && (token == null || tokens.isValid(token.tokenId()));
    }
}
