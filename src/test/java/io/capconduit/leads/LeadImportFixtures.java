package io.capconduit.leads;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/** Builds lead lists and spreadsheet files for import tests, runs imports and reads what they left. */
final class LeadImportFixtures {

    private final JdbcTemplate jdbc;
    private final LeadImportLauncher launcher;
    private final Path folder;

    LeadImportFixtures(JdbcTemplate jdbc, LeadImportLauncher launcher, Path folder) {
        this.jdbc = jdbc;
        this.launcher = launcher;
        this.folder = folder;
    }

    long newList(String region) {
        return newList(null, region);
    }

    long newList(String sellerName, String region) {
        return jdbc.queryForObject("INSERT INTO lead_lists (seller_id, name, default_region) "
                + "VALUES ((SELECT id FROM sellers WHERE name = ?), ?, ?) RETURNING id", Long.class, sellerName,
                "test list " + UUID.randomUUID(), region);
    }

    Path csv(String content) throws IOException {
        Path file = folder.resolve(UUID.randomUUID() + ".csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    Path bytes(String suffix, byte[] content) throws IOException {
        Path file = folder.resolve(UUID.randomUUID() + suffix);
        Files.write(file, content);
        return file;
    }

    /** A workbook whose first sheet holds the rows; a cell value that is a Number becomes a numeric cell. */
    Path xlsx(List<List<Object>> rows) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet("Leads");
            for (int r = 0; r < rows.size(); r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    Object value = rows.get(r).get(c);
                    Cell cell = row.createCell(c);
                    if (value instanceof Number number) {
                        cell.setCellValue(number.doubleValue());
                    }
                    else if (value != null) {
                        cell.setCellValue(value.toString());
                    }
                }
            }
            return write(workbook);
        }
    }

    Path write(XSSFWorkbook workbook) throws IOException {
        Path file = folder.resolve(UUID.randomUUID() + ".xlsx");
        try (OutputStream out = Files.newOutputStream(file)) {
            workbook.write(out);
        }
        return file;
    }

    JobExecution importLeads(long listId, Path file) throws Exception {
        return importLeads(listId, file, null, null);
    }

    JobExecution importLeads(long listId, Path file, String mapping, Integer chunkSize) throws Exception {
        return launcher.run(new LeadImportLauncher.ImportRequest(file, file.getFileName().toString(), listId, mapping,
                null, chunkSize));
    }

    JobExecution importDnc(Path file) throws Exception {
        return importDnc(file, null);
    }

    JobExecution importDnc(Path file, String mapping) throws Exception {
        return launcher.run(new LeadImportLauncher.ImportRequest(file, file.getFileName().toString(), null, mapping,
                "US", null));
    }

    List<Map<String, Object>> leads(long listId) {
        return jdbc.queryForList("SELECT phone, time_zone, first_name, last_name, full_name, email, city, state, "
                + "postal_code, extra::text AS extra, source_row FROM leads WHERE list_id = ? ORDER BY source_row",
                listId);
    }

    /**
     * A trigger (named {@code trigger}; the test drops it) that fails the insert of a reject whose raw value is
     * {@code token}: the import stops mid-file on an internal error, as in a crash.
     */
    static void failOnReject(JdbcTemplate jdbc, String trigger, String token) {
        jdbc.execute("CREATE FUNCTION " + trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.raw_value = '" + token + "' THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER " + trigger + " BEFORE INSERT ON lead_import_rejects FOR EACH ROW EXECUTE FUNCTION "
                + trigger + "()");
    }

    List<Map<String, Object>> rejects(JobExecution execution) {
        return jdbc.queryForList("SELECT row_number, raw_value, reason FROM lead_import_rejects "
                + "WHERE job_instance_id = ? ORDER BY row_number", execution.getJobInstance().getInstanceId());
    }
}
