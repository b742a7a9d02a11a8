package io.capconduit.system.graphql;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import io.capconduit.system.InvalidInputException;

/**
 * The position after a row of one list ordered by (time, id) or by id alone, as an opaque string. Keyset
 * paging with it costs the same on page 1 and page 20,000: the query seeks on an index with
 * {@code start_time <= #{after.time} AND (start_time < #{after.time} OR id < #{after.id})} instead of skipping
 * rows with OFFSET (see calls/CallLogMapper.xml).
 * Times are kept to the microsecond, PostgreSQL's precision, so no row is skipped or repeated. A cursor names
 * its list: one from another list (a lead id as a call log's position) is refused, not read as an empty page.
 */
public record KeysetCursor(String list, Instant time, long id) {

    private static final String PREFIX = "k2:";

    /** The position after a row of a list ordered by time, then id. */
    public static KeysetCursor of(String list, Instant time, long id) {
        return new KeysetCursor(list, time, id);
    }

    /** The position after a row of a list ordered by id alone. */
    public static KeysetCursor ofId(String list, long id) {
        return new KeysetCursor(list, null, id);
    }

    public String encode() {
        String micros = time == null ? "" : Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, time));
        String plain = PREFIX + list + ":" + micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor given back by a caller for {@code list}; one of another list, or without the time part
     * when {@code timed}, or anything else is a BAD_REQUEST naming {@code field}.
     */
    public static KeysetCursor decode(String cursor, String list, boolean timed, String field) {
        KeysetCursor decoded;
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!plain.startsWith(PREFIX)) {
                throw new IllegalArgumentException();
            }
            String[] parts = plain.substring(PREFIX.length()).split(":", -1);
            Instant time = parts[1].isEmpty() ? null : Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS);
            decoded = new KeysetCursor(parts[0], time, Long.parseLong(parts[2]));
        }
        catch (RuntimeException ex) {
            decoded = null;
        }
        if (decoded == null || !decoded.list().equals(list) || timed != (decoded.time() != null)) {
            throw new InvalidInputException(field, "is not a cursor of " + list
                    + " (pass this list's pageInfo.endCursor back unchanged)");
        }
        return decoded;
    }
}
