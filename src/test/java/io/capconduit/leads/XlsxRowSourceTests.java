package io.capconduit.leads;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
}
