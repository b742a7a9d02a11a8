package io.capconduit.leads;

import java.io.IOException;
import java.util.List;

/** A spreadsheet read once from start to end, pushing each row (header first) to a handler. */
interface RowSource {

    void read(RowHandler handler) throws IOException;

    /** After {@link #read}: the sheet read, then the visible sheets that were not (a workbook's); none for a csv. */
    default List<String> sheets() {
        return List.of();
    }
}
