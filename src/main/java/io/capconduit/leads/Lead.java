package io.capconduit.leads;

import java.time.Instant;
import java.util.List;

/**
 * A person to call, in one list; {@code phone} is E.164. Columns the import did not map stay in the table.
 * {@code timeZones}: every zone the number may be in when nothing decided between them (null when
 * {@code timeZone} is certain); the dialer calls the lead only while its window is open in all of them.
 */
public record Lead(long id, long listId, String phone, String timeZone, List<String> timeZones, String firstName, String lastName,
        String fullName, String email, String city, String state, String postalCode, String country, String status,
        int attempts, Instant lastAttemptAt, Instant nextAttemptAt, String lastOutcome, Instant createdAt) {
}
