package io.capconduit.leads;

/**
 * Receives the rows of a spreadsheet in order, header included. The arrays are reused for the next row, so
 * a handler copies what it keeps. {@code kinds[i]} says how cell i was stored (see {@link CellKind}).
 */
interface RowHandler {

    void row(int rowNumber, String[] values, byte[] kinds, int cellCount);

    /** Thrown by a handler that wants no more rows (the import was stopped); sources let it through. */
    final class Stop extends RuntimeException {

        Stop() {
            super("reading stopped", null, false, false);
        }
    }
}
