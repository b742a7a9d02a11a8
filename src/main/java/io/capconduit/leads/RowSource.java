package io.capconduit.leads;

import java.io.IOException;

/** A spreadsheet read once from start to end, pushing each row (header first) to a handler. */
interface RowSource {

    void read(RowHandler handler) throws IOException;
}
