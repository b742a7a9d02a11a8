package io.capconduit.leads;

/** How a spreadsheet cell was stored; a csv only has text. Bytes, because one array is reused per row. */
final class CellKind {

    static final byte TEXT = 0;
    /** A numeric cell; the value is its stored number as written in the file, e.g. 1.5551234567E10. */
    static final byte NUMBER = 1;
    /** A numeric cell with a date format; the value is already an ISO date or date-time. */
    static final byte DATE = 2;
    /** An error cell (#N/A, #DIV/0!, ...); the value is the error text. */
    static final byte ERROR = 3;
    /**
     * A formula cell the file holds no result for (written by a program that left the calculation to Excel);
     * the value is the formula, e.g. =A2&B2.
     */
    static final byte FORMULA = 4;

    private CellKind() {
    }
}
