package io.capconduit.accounts;

import java.time.Instant;

/** A named bearer token of a user; the token itself is shown once at creation and never stored. */
record ApiToken(long id, String name, Instant createdAt, Instant expiresAt, Instant revokedAt) {
}
