package io.capconduit.system.graphql;

import io.capconduit.system.InvalidInputException;

/**
 * Validated {@code first}/{@code after} arguments of a connection field. {@code after} is null for the first
 * page. Mappers take {@link #fetchSize()} and {@link #after()}; {@link Connection#of} builds the answer.
 */
public record PageRequest(int first, KeysetCursor after) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    /** A page of a list ordered by id alone, whose cursors are {@link KeysetCursor#ofId}. */
    public static PageRequest of(Integer first, String after, String list) {
        return of(first, after, list, false);
    }

    /** A page of a list ordered by time, then id, whose cursors are {@link KeysetCursor#of}. */
    public static PageRequest ofTimed(Integer first, String after, String list) {
        return of(first, after, list, true);
    }

    private static PageRequest of(Integer first, String after, String list, boolean timed) {
        int size = first == null ? DEFAULT_SIZE : first;
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("first", "must be between 1 and " + MAX_SIZE);
        }
        return new PageRequest(size,
                after == null || after.isEmpty() ? null : KeysetCursor.decode(after, list, timed, "after"));
    }

    /** Rows to ask the database for: one more than shown, to learn whether a next page exists. */
    public int fetchSize() {
        return first + 1;
    }
}
