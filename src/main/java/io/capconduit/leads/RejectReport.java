package io.capconduit.leads;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.ibatis.cursor.Cursor;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The rejected rows of an import, streamed from the database as csv or xlsx (SXSSF: a window of rows in memory). */
@Component
class RejectReport {

    private final LeadImportMapper imports;

    RejectReport(LeadImportMapper imports) {
        this.imports = imports;
    }

    @Transactional(readOnly = true)
    public void csv(long instanceId, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.write("row,raw_value,reason\r\n");
        try (Cursor<LeadImportMapper.Reject> rejects = imports.rejects(instanceId)) {
            for (LeadImportMapper.Reject reject : rejects) {
                writer.write(reject.rowNumber() + "," + quoted(reject.rawValue()) + "," + quoted(reject.reason())
                        + "\r\n");
            }
        }
        writer.flush();
    }

    @Transactional(readOnly = true)
    public void xlsx(long instanceId, OutputStream out) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200);
                Cursor<LeadImportMapper.Reject> rejects = imports.rejects(instanceId)) {
            Sheet sheet = workbook.createSheet("Rejected rows");
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("Row");
            header.createCell(1).setCellValue("Raw value");
            header.createCell(2).setCellValue("Reason");
            int next = 1;
            for (LeadImportMapper.Reject reject : rejects) {
                Row row = sheet.createRow(next++);
                row.createCell(0).setCellValue(reject.rowNumber());
                row.createCell(1).setCellValue(reject.rawValue() == null ? "" : reject.rawValue());
                row.createCell(2).setCellValue(reject.reason());
            }
            workbook.write(out);
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    private static String quoted(String value) {
        if (value == null) {
            return "";
        }
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
