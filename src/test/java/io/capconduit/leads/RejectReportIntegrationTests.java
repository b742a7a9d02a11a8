package io.capconduit.leads;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.capconduit.support.IntegrationTest;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The rejects download: raw values come from whoever wrote the file, so they are data, never formulas or crashes. */
@IntegrationTest
class RejectReportIntegrationTests {

    private static final long INSTANCE = -4711;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RejectReport report;

    @BeforeEach
    void rejects() {
        jdbc.update("INSERT INTO lead_import_rejects (job_instance_id, row_number, raw_value, reason) VALUES "
                + "(?, 2, '=HYPERLINK(\"http://x\")', 'not a phone number'), (?, 3, '+1 201 555 01', 'too short'), "
                + "(?, 4, 'Jos\u00e9', 'too short'), (?, 5, repeat('7', 40000), 'too long')",
                INSTANCE, INSTANCE, INSTANCE, INSTANCE);
    }

    @AfterEach
    void cleanUp() {
        jdbc.update("DELETE FROM lead_import_rejects WHERE job_instance_id = ?", INSTANCE);
    }

    @Test
    void theCsvNeutralisesFormulasAndTellsExcelItIsUtf8() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        report.csv(new LeadImportService.RejectsOf(INSTANCE, null), out);

        String csv = out.toString(StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\uFEFFrow,raw_value,reason\r\n2,\"'=HYPERLINK(\"\"http://x\"\")\",\"not a phone number\"\r\n"
                + "3,\"'+1 201 555 01\",\"too short\"\r\n4,\"Jos\u00e9\",\"too short\"\r\n5,\"7777");
    }

    @Test
    void theXlsxCutsAValueLongerThanACellHolds() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        report.xlsx(new LeadImportService.RejectsOf(INSTANCE, null), out);

        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getLastRowNum()).isEqualTo(4);
            String cut = sheet.getRow(4).getCell(1).getStringCellValue();
            assertThat(cut).hasSize(32_767).startsWith("7777").endsWith("… (cut: longer than a spreadsheet cell holds)");
        }
    }
}
