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

    /**
     * The export failed midway: close() then completes nothing and frees temporary storage only, so what the output
     * has not received yet never reaches it. An xlsx, written whole at close, is then never sent at all.
     */
    void abandon();

    /** Completes the file on the output stream (which stays open) and frees temporary storage. */
    @Override
    void close() throws IOException;

    /** What an export writes. */
    @FunctionalInterface
    interface Body {
        void writeTo(SheetWriter out) throws IOException;
    }

    /**
     * Writes an export and completes it, or, when it fails midway, abandons it and rethrows: never a file that
     * looks whole with rows missing.
     */
    static void export(SheetWriter out, Body body) throws IOException {
        try (out) {
            try {
                body.writeTo(out);
            }
            catch (IOException | RuntimeException ex) {
                out.abandon();
                throw ex;
            }
        }
    }
}
