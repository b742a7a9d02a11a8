package io.capconduit.accounts;

import java.time.Instant;

/**
 * A person or program that signs in. The password hash never leaves the accounts package through the API;
 * {@code credentialsVersion} counts password changes, so a browser session signed in before one can be ended.
 */
public record User(long id, String username, String passwordHash, Role role, Long sellerId, boolean enabled,
        int credentialsVersion, Instant createdAt, Instant updatedAt) {

    /** Every component but the hash: a user in a log line or an exception message must not carry it along. */
    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", role=" + role + ", sellerId=" + sellerId + ", enabled="
                + enabled + ", credentialsVersion=" + credentialsVersion + "]";
    }
}
