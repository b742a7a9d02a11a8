package io.capconduit.leads;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.SheetVisibility;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the sheet parser hands on, for both ways a workbook stores text: shared strings and inline strings. */
class XlsxRowSourceTests {

    @TempDir
    Path folder;

    @Test
    void sharedStringsAsExcelWritesThem() throws IOException {
        assertCells(new XSSFWorkbook());
    }

    @Test
    void inlineStringsAsStreamingWritersWriteThem() throws IOException {
        assertCells(new SXSSFWorkbook());
    }

    private void assertCells(Workbook workbook) throws IOException {
        Path file = folder.resolve("cells.xlsx");
        try (workbook; OutputStream out = Files.newOutputStream(file)) {
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Sheet sheet = workbook.createSheet("Leads");
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("phone");
            header.createCell(1).setCellValue("company");
            Row row = sheet.createRow(2);   // row 2 is left out of the file: the next one is row 3
            row.createCell(0).setCellValue(15551234567d);
            row.createCell(1).setCellValue("AT&T <Ops> \"East\" 'A' \u00e9\u4e2d");
            row.createCell(3).setCellValue(true);   // column C left empty
            row.createCell(4).setCellValue(LocalDate.of(2026, 12, 1));
            row.getCell(4).setCellStyle(date);
            workbook.write(out);
        }

        List<String> rows = new ArrayList<>();
        new XlsxRowSource(file).read((number, values, kinds, count) -> rows.add(number + " "
                + Arrays.toString(Arrays.copyOf(values, count)) + " " + Arrays.toString(Arrays.copyOf(kinds, count))));

        assertThat(rows).containsExactly("1 [phone, company] [0, 0]",
                "3 [1.5551234567E10, AT&T <Ops> \"East\" 'A' \u00e9\u4e2d, , TRUE, 2026-12-01] [1, 0, 0, 0, 2]");
    }

    @Test
    void aCellBeyondExcelsLastColumnIsRefusedBeforeAnythingIsAllocatedForIt() throws IOException {
        // r="ZZZZZZ3" read as column 321,272,405: an array that long per row from a file of a few hundred bytes
        Path file = withSheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>"
                + "<row r=\"3\"><c r=\"ZZZZZZ3\"><v>1</v></c></row>");

        assertThatThrownBy(() -> rows(file)).isInstanceOf(LeadImportException.class)
                .hasMessage("Row 3 has a cell (ZZZZZZ3) beyond column XFD, the last of Excel's 16,384 columns: not a "
                        + "spreadsheet Excel wrote. Save it again in Excel, or upload it as csv");
        assertThat(rows(withSheet("<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>")).get(0)).contains(", 1] [");
    }

    @Test
    void aCellLongerThanExcelKeepsIsRefused() throws IOException {
        Path file = withSheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + "x".repeat(32_768)
                + "</t></is></c></row>");

        assertThatThrownBy(() -> rows(file)).isInstanceOf(LeadImportException.class)
                .hasMessage("Row 1 has a cell longer than 32,767 characters, the most Excel keeps in a cell: not a "
                        + "lead spreadsheet. Save it again in Excel, or upload it as csv");
    }

    @Test
    void aNumberBeyondExcelsRangeIsRefused() throws IOException {
        // written out as digits (a name or notes cell is kept as the number Excel shows) it is two billion of them
        for (String number : new String[] { "1E2000000000", "1E-2000000000", "2E400" }) {
            Path file = withSheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>"
                    + "<row r=\"2\"><c r=\"B2\"><v>" + number + "</v></c></row>");

            assertThatThrownBy(() -> rows(file)).as(number).isInstanceOf(LeadImportException.class)
                    .hasMessage("Row 2 has a number (B2) beyond the largest and smallest Excel holds: not a spreadsheet "
                            + "Excel wrote. Save it again in Excel, or upload it as csv");
        }
        assertThat(rows(withSheet("<row r=\"1\"><c r=\"A1\"><v>9.99999999999999E+307</v></c><c r=\"B1\">"
                + "<v>2.2250738585072014E-308</v></c></row>"))).hasSize(1);
    }

    @Test
    void dateFormattedNumbersExcelShowsNoDateForStayNumbers() throws IOException {
        Path file = folder.resolve("dates.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            CellStyle time = workbook.createCellStyle();
            time.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("hh:mm"));
            Row row = workbook.createSheet("Leads").createRow(0);
            row.createCell(0).setCellValue(-1);
            row.createCell(1).setCellValue(2015550123);
            row.createCell(2).setCellValue(0.4375);
            row.createCell(3).setCellValue(LocalDateTime.of(2026, 12, 1, 10, 30));
            for (int c = 0; c < 4; c++) {
                row.getCell(c).setCellStyle(c == 2 ? time : date);
            }
            workbook.write(out);
        }

        assertThat(rows(file)).containsExactly("1 [-1.0, 2.015550123E9, 10:30, 2026-12-01T10:30] [1, 1, 2, 2]");
    }

    @Test
    void aWorkbookCountingFrom1904GivesTheDatesExcelShows() throws IOException {
        Path file = folder.resolve("mac.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            workbook.getCTWorkbook().getWorkbookPr().setDate1904(true);
            CellStyle date = workbook.createCellStyle();
            date.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Row row = workbook.createSheet("Leads").createRow(0);
            row.createCell(0).setCellValue(LocalDate.of(2026, 12, 1));
            row.getCell(0).setCellStyle(date);
            workbook.write(out);
        }

        assertThat(rows(file)).containsExactly("1 [2026-12-01] [2]");
    }

    @Test
    void theFirstSheetAnOperatorSeesIsRead() throws IOException {
        Path file = folder.resolve("hidden.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
            workbook.createSheet("Lookup").createRow(0).createCell(0).setCellValue("code");
            workbook.createSheet("Settings").createRow(0).createCell(0).setCellValue("key");
            Sheet leads = workbook.createSheet("Leads");
            leads.createRow(0).createCell(0).setCellValue("phone");
            leads.createRow(1).createCell(0).setCellValue("2015550123");
            workbook.createSheet("Archive").createRow(0).createCell(0).setCellValue("old");
            workbook.setSheetHidden(0, true);
            workbook.setSheetVisibility(1, SheetVisibility.VERY_HIDDEN);
            workbook.setActiveSheet(2);
            workbook.setFirstVisibleTab(2);
            workbook.write(out);
        }

        assertThat(rows(file)).containsExactly("1 [phone] [0]", "2 [2015550123] [0]");
    }

    @Test
    void aChartTabBeforeTheLeadsIsPassedOver() throws IOException {
        Path written = folder.resolve("two-sheets.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(written)) {
            workbook.createSheet("Chart").createRow(0).createCell(0).setCellValue("chart data");
            Sheet leads = workbook.createSheet("Leads");
            leads.createRow(0).createCell(0).setCellValue("phone");
            leads.createRow(1).createCell(0).setCellValue("2015550123");
            workbook.write(out);
        }
        // the first tab made a chart sheet, as Excel writes one (Insert > Chart, Move Chart > New sheet)
        Path file = folder.resolve("chart-first.xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(written));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String name = entry.getName();
                if (name.equals("xl/worksheets/sheet1.xml")) {
                    name = "xl/chartsheets/sheet1.xml";
                    text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><chartsheet xmlns=\"http://schemas."
                            + "openxmlformats.org/spreadsheetml/2006/main\"><sheetViews><sheetView "
                            + "workbookViewId=\"0\"/></sheetViews></chartsheet>";
                }
                else if (name.equals("[Content_Types].xml")) {
                    text = text.replace("/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-"
                            + "officedocument.spreadsheetml.worksheet+xml", "/xl/chartsheets/sheet1.xml\" ContentType="
                            + "\"application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml");
                }
                else if (name.equals("xl/_rels/workbook.xml.rels")) {
                    text = text.replaceFirst("Target=\"worksheets/sheet1.xml\" Type=\"([^\"]*)/worksheet\"",
                            "Target=\"chartsheets/sheet1.xml\" Type=\"$1/chartsheet\"")
                            .replaceFirst("Type=\"([^\"]*)/worksheet\" Target=\"worksheets/sheet1.xml\"",
                                    "Type=\"$1/chartsheet\" Target=\"chartsheets/sheet1.xml\"");
                }
                out.putNextEntry(new ZipEntry(name));
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }

        XlsxRowSource source = new XlsxRowSource(file);
        List<String> rows = new ArrayList<>();
        source.read((number, values, kinds, count) -> rows.add(number + " "
                + Arrays.toString(Arrays.copyOf(values, count))));

        assertThat(rows).containsExactly("1 [phone]", "2 [2015550123]");
        assertThat(source.sheets()).containsExactly("Leads");
    }

    @Test
    void aWorkbookWhoseSheetsAreAllHiddenIsRefused() throws IOException {
        Path file = withSheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>");
        Path hidden = rewrite(file, "xl/workbook.xml", xml -> xml.replace("<sheet ", "<sheet state=\"hidden\" "));

        assertThatThrownBy(() -> rows(hidden)).isInstanceOf(LeadImportException.class)
                .hasMessage("The workbook has no visible sheet: unhide the sheet to import (right-click a sheet tab, "
                        + "Unhide) and save it again");
    }

    @Test
    void aFormulaWhoseResultWasNeverSavedIsNoBlankCell() throws IOException {
        // what a program writes when it leaves the calculation to Excel: the formula, no cached <v>
        Path file = withSheet("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>phone</t></is></c></row>"
                + "<row r=\"2\"><c r=\"A2\"><f>2015550000+123</f></c></row>"
                + "<row r=\"3\"><c r=\"A3\"><f t=\"shared\" ref=\"A3:A4\" si=\"0\">A2+1</f></c></row>"
                + "<row r=\"4\"><c r=\"A4\"><f t=\"shared\" si=\"0\"/></c></row>"
                + "<row r=\"5\"><c r=\"A5\"><f>A2+3</f><v>2015550126</v></c></row>");

        assertThat(rows(file)).containsExactly("1 [phone] [0]", "2 [=2015550000+123] [4]", "3 [=A2+1] [4]",
                "4 [=] [4]", "5 [2015550126] [1]");
    }

    private List<String> rows(Path file) throws IOException {
        List<String> rows = new ArrayList<>();
        new XlsxRowSource(file).read((number, values, kinds, count) -> rows.add(number + " "
                + Arrays.toString(Arrays.copyOf(values, count)) + " " + Arrays.toString(Arrays.copyOf(kinds, count))));
        return rows;
    }

    /** The workbook with one of its parts' text changed. */
    private Path rewrite(Path workbook, String part, UnaryOperator<String> change)
            throws IOException {
        Path file = folder.resolve("rewritten.xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(workbook));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(part)) {
                    out.write(change.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
                }
                else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return file;
    }

    /** A workbook POI writes, its first sheet's rows replaced by hand-written XML (what POI would never write). */
    private Path withSheet(String sheetData) throws IOException {
        Path written = folder.resolve("written.xlsx");
        try (XSSFWorkbook workbook = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(written)) {
            workbook.createSheet("Leads").createRow(0).createCell(0).setCellValue("phone");
            workbook.write(out);
        }
        Path file = folder.resolve("crafted.xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(written));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("xl/worksheets/sheet1.xml")) {
                    out.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats"
                            + ".org/spreadsheetml/2006/main\"><sheetData>" + sheetData + "</sheetData></worksheet>")
                            .getBytes(StandardCharsets.UTF_8));
                }
                else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return file;
    }
}
