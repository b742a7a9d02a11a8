package io.capconduit.system.graphql;

import io.capconduit.system.InvalidInputException;

/**
 * Validated {@code first}/{@code after} arguments of a connection field. {@code after} is null for the first
 * page. Mappers take {@link #fetchSize()} and {@link #after()}; {@link Connection#of} builds the answer.
 */
public record PageRequest(int first, KeysetCursor after) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public static PageRequest of(Integer first, String after) {
        int size = first == null ? DEFAULT_SIZE : first;
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("first", "must be between 1 and " + MAX_SIZE);
        }
        return new PageRequest(size, after == null || after.isEmpty() ? null : KeysetCursor.decode(after, "after"));
    }

    /** Rows to ask the database for: one more than shown, to learn whether a next page exists. */
    public int fetchSize() {
        return first + 1;
    }
}
