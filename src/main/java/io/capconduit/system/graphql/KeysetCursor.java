package io.capconduit.system.graphql;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import io.capconduit.system.InvalidInputException;

/**
 * The position after a row in a list ordered by (time, id) or by id alone, as an opaque string. Keyset
 * paging with it costs the same on page 1 and page 20,000: the query seeks on an index with
 * {@code start_time <= #{after.time} AND (start_time < #{after.time} OR id < #{after.id})} instead of skipping
 * rows with OFFSET (see calls/CallLogMapper.xml).
 * Times are kept to the microsecond, PostgreSQL's precision, so no row is skipped or repeated.
 */
public record KeysetCursor(Instant time, long id) {

    private static final String PREFIX = "k1:";

    public static KeysetCursor ofId(long id) {
        return new KeysetCursor(null, id);
    }

    public String encode() {
        String micros = time == null ? "" : Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, time));
        String plain = PREFIX + micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor given back by a caller; anything else is a BAD_REQUEST naming {@code field}. */
    public static KeysetCursor decode(String cursor, String field) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!plain.startsWith(PREFIX)) {
                throw new IllegalArgumentException();
            }
            String[] parts = plain.substring(PREFIX.length()).split(":", -1);
            Instant time = parts[0].isEmpty() ? null : Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS);
            return new KeysetCursor(time, Long.parseLong(parts[1]));
        }
        catch (RuntimeException ex) {
            throw new InvalidInputException(field, "is not a cursor this list handed out (pass endCursor back unchanged)");
        }
    }
}
