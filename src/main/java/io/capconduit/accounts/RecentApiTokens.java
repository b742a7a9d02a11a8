package io.capconduit.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.capconduit.system.AfterCommit;

import org.springframework.stereotype.Component;

/**
 * Remembers for a few seconds which user a valid bearer token signs in, so a program's run of requests costs
 * one token lookup instead of one per request. Revoking a token or changing a user through this instance
 * forgets everything, again once its transaction commits; another instance sharing the database sees such a
 * change within {@link #TTL}. A token is never remembered past its own expiry, and only valid ones are kept.
 */
@Component
class RecentApiTokens {

    static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

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
