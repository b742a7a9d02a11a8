package io.capconduit.leads;

import java.time.Instant;

/** A person to call, in one list; {@code phone} is E.164. Columns the import did not map stay in the table. */
public record Lead(long id, long listId, String phone, String timeZone, String firstName, String lastName,
        String fullName, String email, String city, String state, String postalCode, String country, String status,
        int attempts, Instant lastAttemptAt, Instant nextAttemptAt, String lastOutcome, Instant createdAt) {
}
