package io.capconduit.accounts;

import java.time.Instant;

/** A person or program that signs in. The password hash never leaves the accounts package through the API. */
public record User(long id, String username, String passwordHash, Role role, Long sellerId, boolean enabled,
        Instant createdAt, Instant updatedAt) {
}
