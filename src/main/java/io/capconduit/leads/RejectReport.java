package io.capconduit.leads;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import io.capconduit.reports.CsvSheetWriter;
import org.apache.ibatis.cursor.Cursor;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rejected rows of an import, streamed from the database as csv or xlsx (SXSSF: a window of rows in memory).
 * The csv starts with a byte order mark, so Excel reads it as UTF-8, and neutralises text Excel would run as a
 * formula (the raw values come from whoever wrote the file); a value longer than an xlsx cell holds is cut. A
 * refused file imported nothing and has no row rejects: its report is one line saying why it was refused.
 */
@Component
class RejectReport {

    static final String CUT = "… (cut: longer than a spreadsheet cell holds)";
    private static final int MAX_CELL = SpreadsheetVersion.EXCEL2007.getMaxTextLength();

    private final LeadImportMapper imports;

    RejectReport(LeadImportMapper imports) {
        this.imports = imports;
    }

    @Transactional(readOnly = true)
    public void csv(LeadImportService.RejectsOf of, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        writer.write("\uFEFFrow,raw_value,reason\r\n");
        if (of.refusal() != null) {
            writer.write(",," + quoted(of.refusal()) + "\r\n");
        }
        try (Cursor<LeadImportMapper.Reject> rejects = imports.rejects(of.instanceId())) {
            for (LeadImportMapper.Reject reject : rejects) {
                writer.write(reject.rowNumber() + "," + quoted(reject.rawValue()) + "," + quoted(reject.reason())
                        + "\r\n");
            }
        }
        writer.flush();
    }

    @Transactional(readOnly = true)
    public void xlsx(LeadImportService.RejectsOf of, OutputStream out) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200);
                Cursor<LeadImportMapper.Reject> rejects = imports.rejects(of.instanceId())) {
            Sheet sheet = workbook.createSheet("Rejected rows");
            Row header = sheet.createRow(0);
            header.createCell(0).setCellValue("Row");
            header.createCell(1).setCellValue("Raw value");
            header.createCell(2).setCellValue("Reason");
            int next = 1;
            if (of.refusal() != null) {
                sheet.createRow(next++).createCell(2).setCellValue(cut(of.refusal()));
            }
            for (LeadImportMapper.Reject reject : rejects) {
                Row row = sheet.createRow(next++);
                row.createCell(0).setCellValue(reject.rowNumber());
                row.createCell(1).setCellValue(cut(reject.rawValue() == null ? "" : reject.rawValue()));
                row.createCell(2).setCellValue(cut(reject.reason()));
            }
            workbook.write(out);
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

    /** POI refuses a longer cell, midway through a download already sent in part. */
    static String cut(String value) {
        if (value.length() <= MAX_CELL) {
            return value;
        }
        int end = MAX_CELL - CUT.length();
        return value.substring(0, Character.isHighSurrogate(value.charAt(end - 1)) ? end - 1 : end) + CUT;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "";
        }
        String text = CsvSheetWriter.neutralised(value);
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
