package io.capconduit.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bearer tokens for programs: {@code Authorization: Bearer cc_...}. Checking one is a SHA-256 and an indexed
 * lookup (well under a millisecond), remembered for a few seconds ({@link RecentApiTokens}), where HTTP Basic
 * runs bcrypt on every request (~100 ms on purpose).
 * 32 random bytes make a plain hash safe to store: there is nothing to brute-force. A token created by a request
 * that a token signed in expires no later than that token.
 */
@Service
class ApiTokens {

    private static final String PREFIX = "cc_";
    private final SecureRandom random = new SecureRandom();
    private final ApiTokenMapper tokens;
    private final RecentApiTokens recent;

    ApiTokens(ApiTokenMapper tokens, RecentApiTokens recent) {
        this.tokens = tokens;
        this.recent = recent;
    }

    record Created(String token, ApiToken apiToken) {

        /** The token is the caller's alone: shown once in the answer, never in a log. */
        @Override
        public String toString() {
            return "Created[token=[hidden], apiToken=" + apiToken + "]";
        }
    }

    /** The authentication details of a request a bearer token signed in: that token and its expiry (null: never). */
    record SignedInByToken(long tokenId, Instant expiresAt) {
    }

    @Transactional
    Created create(long userId, String name, Integer expiresInDays) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", "must be 1 to 100 characters");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            throw new InvalidInputException("expiresInDays", "must be between 1 and 3650, or omitted for no expiry");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expires = expiresInDays == null ? null : Instant.now().plus(expiresInDays, ChronoUnit.DAYS);
        Instant callerExpires = callerTokenExpiry();
        if (callerExpires != null && (expires == null || expires.isAfter(callerExpires))) {
            // a token lasts no longer than the token that made it, or a leaked short-lived one would live for ever
            expires = callerExpires;
        }
        ApiTokenMapper.NewToken row = new ApiTokenMapper.NewToken(userId, name.strip(), sha256(token), expires);
        tokens.insert(row);
        return new Created(token, tokens.findById(row.id).orElseThrow());
    }

    List<ApiToken> list(long userId) {
        return tokens.findByUser(userId);
    }

    Connection<ApiToken> page(long userId, Integer first, String after) {
        PageRequest page = PageRequest.of(first, after, "apiTokens");
        return Connection.of(
                tokens.pageByUser(userId, page.after() == null ? null : page.after().id(), page.fetchSize()), page,
                token -> KeysetCursor.ofId("apiTokens", token.id()));
    }

    @Transactional
    ApiToken revoke(long userId, long id) {
        recent.forgetAll();
        if (tokens.revoke(id, userId) == 0) {
            throw new NotFoundException("ApiToken", id);
        }
        return tokens.findById(id).orElseThrow();
    }

    /** Revokes every token of the user, for a password change: each was made by someone who knew the old one. */
    @Transactional
    void revokeAll(long userId) {
        recent.forgetAll();
        tokens.revokeAllOf(userId);
    }

    /** The user a valid token signs in, with the token's expiry. */
    Optional<ApiTokenMapper.TokenOwner> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        String key = HexFormat.of().formatHex(hash);
        Optional<ApiTokenMapper.TokenOwner> known = recent.get(key);
        if (known.isPresent()) {
            return known;
        }
        Optional<ApiTokenMapper.TokenOwner> owner = tokens.findOwnerByHash(hash);
        owner.ifPresent(found -> recent.remember(key, found));
        return owner;
    }

    private static Instant callerTokenExpiry() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        return caller != null && caller.getDetails() instanceof SignedInByToken token ? token.expiresAt() : null;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
