package io.capconduit.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.capconduit.system.AfterCommit;
import io.capconduit.system.PostgresNotifications;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Remembers for a few seconds which user a valid bearer token signs in, so a program's run of requests costs
 * one token lookup instead of one per request. Revoking a token or changing a user through this instance
 * forgets everything, again once its transaction commits; through another instance sharing the database, as soon as
 * the database tells (the sign-in changes of V9_62_0, on the channel every instance listens on), and within
 * {@link #TTL} whatever happens. A token is never remembered past its own expiry, and only valid ones are kept.
 */
@Component
class RecentApiTokens implements DisposableBean {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Disposable changes;

    RecentApiTokens(PostgresNotifications notifications) {
        // any change of any user's sign-in, or notifications perhaps missed: cheap enough to forget everything
        this.changes = notifications.channel(SubscriptionSignIns.CHANNEL).subscribe(change -> entries.clear());
    }

    @Override
    public void destroy() {
        changes.dispose();
    }

    private record Entry(ApiTokenMapper.TokenOwner owner, long untilNanos) {
    }

    Optional<ApiTokenMapper.TokenOwner> get(String tokenHash) {
        Entry entry = entries.get(tokenHash);
        if (entry == null || System.nanoTime() - entry.untilNanos() >= 0) {
            return Optional.empty();
        }
        return Optional.of(entry.owner());
    }

    void remember(String tokenHash, ApiTokenMapper.TokenOwner owner) {
        Instant tokenExpiresAt = owner.expiresAt();
        Duration keep = tokenExpiresAt == null ? TTL : Duration.between(Instant.now(), tokenExpiresAt);
        if (keep.isNegative() || keep.isZero()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(tokenHash, new Entry(owner, System.nanoTime() + Math.min(keep.toNanos(), TTL.toNanos())));
    }

    /** Forgets every token now and, inside a transaction, again after it commits (a lookup racing it saw old rows). */
    void forgetAll() {
        entries.clear();
        AfterCommit.run(entries::clear);
    }
}
