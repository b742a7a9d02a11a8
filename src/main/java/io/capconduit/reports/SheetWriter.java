package io.capconduit.reports;

import java.io.IOException;
import java.util.List;

/**
 * Writes rows of typed values (String, Number, Boolean, LocalDateTime or null) as they come, never holding a
 * whole export in memory. Implementations: {@link XlsxSheetWriter}, {@link CsvSheetWriter}.
 */
interface SheetWriter extends AutoCloseable {

    void startSheet(String name, List<Column> columns) throws IOException;

    void row(Object... values) throws IOException;

    /** Completes the file on the output stream (which stays open) and frees temporary storage. */
    @Override
    void close() throws IOException;
}
