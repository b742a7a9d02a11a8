package io.capconduit.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.capconduit.CapConduitApplication;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lead import throughput on a generated 1,000,000-row file, csv and xlsx, through leadImportJob (parse, phone
 * normalisation, staging, DNC check, de-duplication, insert). For scale, copy_csv_rows_per_s is PostgreSQL's
 * own COPY of the same rows already normalised, straight into leads. The xlsx file is written as POI's
 * streaming writer writes it (text inline in the sheet); lead_import_xlsx_shared_strings imports the same rows
 * written as Excel writes them, every text in the shared strings table (a million of them: the emails).
 */
@Benchmark("leads")
class LeadsBench {

    private static final int ROWS = Integer.getInteger("bench.leads.rows", 1_000_000);
    private static final String[] FIRST = { "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken" };
    private static final String[] LAST = { "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen" };
    private static final String[] STATES = { "NY", "CA", "TX", "FL", "IL", "WA", "ID", "AZ" };

    @TempDir
    Path folder;

    @Test
    void importOneMillionRows() throws Exception {
        List<String> prefixes = validPrefixes(4000);
        Path csv = folder.resolve("leads.csv");
        Path xlsx = folder.resolve("leads.xlsx");
        Path normalised = folder.resolve("normalised.csv");
        writeCsv(csv, normalised, prefixes);
        writeXlsx(xlsx, prefixes);
        Path excel = folder.resolve("leads-excel.xlsx");
        writeXlsxWithSharedStrings(excel, prefixes);
        try (ConfigurableApplicationContext context = SpringApplication.run(CapConduitApplication.class,
                "--spring.profiles.active=test", "--server.port=0", "--logging.level.root=ERROR",
                "--logging.level.io.capconduit=ERROR")) {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            JobOperator operator = context.getBean(JobOperator.class);
            Job job = context.getBean("leadImportJob", Job.class);

            report("lead_import_csv", run(jdbc, operator, job, csv));
            report("lead_import_xlsx", run(jdbc, operator, job, xlsx));
            report("lead_import_xlsx_shared_strings", run(jdbc, operator, job, excel));
            long listId = emptyList(jdbc);
            long started = System.nanoTime();
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY leads (list_id, phone, time_zone, "
                        + "first_name, last_name, email, city, state, postal_code, extra, source_row) FROM STDIN "
                        + "(FORMAT csv)", Files.newBufferedReader(withList(normalised, listId)));
            }
            BenchReport.report("copy_csv_rows_per_s", ROWS / ((System.nanoTime() - started) / 1e9), "rows/s");
        }
    }

    private record Outcome(JobExecution execution, long nanos) {
    }

    private Outcome run(JdbcTemplate jdbc, JobOperator operator, Job job, Path file) throws Exception {
        long listId = emptyList(jdbc);
        long started = System.nanoTime();
        JobExecution execution = operator.start(job, new JobParametersBuilder().addString("importId",
                UUID.randomUUID().toString()).addString("file", file.toString()).addLong("listId", listId)
                .addString("fileName", file.getFileName().toString(), false).toJobParameters());
        long nanos = System.nanoTime() - started;
        assertThat(execution.getStatus()).as(execution.getExitStatus().getExitDescription())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE list_id = ?", Long.class, listId))
                .as(execution.getExitStatus().getExitDescription()).isEqualTo(ROWS);
        return new Outcome(execution, nanos);
    }

    private static void report(String figure, Outcome outcome) {
        BenchReport.report(figure + "_rows_per_s", ROWS / (outcome.nanos() / 1e9), "rows/s");
        outcome.execution().getStepExecutions().forEach(step -> BenchReport.report(figure + "_" + step.getStepName()
                + "_ms", java.time.Duration.between(step.getStartTime(), step.getEndTime()).toMillis(), "ms"));
    }

    /**
     * A new list, in a leads table emptied of the runs before: every figure imports its million rows into the
     * same table state. Otherwise each one met the leads of all the earlier ones (the last, COPY, a table of
     * three million) and the figures depended on their order: the xlsx imports, run second and third, measured
     * 40,000-43,000 rows/s against 51,000 for the csv before them.
     */
    private static long emptyList(JdbcTemplate jdbc) {
        jdbc.execute("TRUNCATE leads CASCADE");
        return jdbc.queryForObject("INSERT INTO lead_lists (name) VALUES (?) RETURNING id", Long.class,
                "bench " + UUID.randomUUID());
    }

    /**
     * NPA-NXX prefixes libphonenumber takes as valid US numbers, spread over the country; not premium-rate (900), which
     * a lead import rejects.
     */
    private static List<String> validPrefixes(int count) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        Random random = new Random(42);
        Set<String> prefixes = new LinkedHashSet<>();
        while (prefixes.size() < count) {
            int npa = 201 + random.nextInt(789);
            int nxx = 200 + random.nextInt(800);
            PhoneNumber number = new PhoneNumber().setCountryCode(1).setNationalNumber(npa * 10_000_000L + nxx * 10_000L + 1234);
            if (util.isValidNumber(number) && "US".equals(util.getRegionCodeForNumber(number))
                    && util.getNumberType(number) != PhoneNumberUtil.PhoneNumberType.PREMIUM_RATE) {
                prefixes.add(npa + "" + nxx);
            }
        }
        return new ArrayList<>(prefixes);
    }

    private static String phone(List<String> prefixes, int row) {
        return prefixes.get(row % prefixes.size()) + String.format("%04d", row / prefixes.size());
    }

    private static void writeCsv(Path csv, Path normalised, List<String> prefixes) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(csv); BufferedWriter copy = Files.newBufferedWriter(normalised)) {
            out.write("Phone,First Name,Last Name,Email,City,State,Zip,Source\n");
            for (int row = 0; row < ROWS; row++) {
                String phone = phone(prefixes, row);
                String first = FIRST[row % FIRST.length];
                String last = LAST[row % LAST.length];
                String state = STATES[row % STATES.length];
                String formatted = row % 2 == 0 ? "(" + phone.substring(0, 3) + ") " + phone.substring(3, 6) + "-"
                        + phone.substring(6) : phone;
                out.write(formatted + "," + first + "," + last + "," + first.toLowerCase() + row + "@example.com,"
                        + "Springfield," + state + "," + (10000 + row % 89999) + ",web\n");
                copy.write("LIST,+1" + phone + ",America/New_York," + first + "," + last + "," + first.toLowerCase()
                        + row + "@example.com,Springfield," + state + "," + (10000 + row % 89999)
                        + ",\"{\"\"Source\"\": \"\"web\"\"}\"," + (row + 2) + "\n");
            }
        }
    }

    private static Path withList(Path normalised, long listId) throws IOException {
        Path copy = normalised.resolveSibling("normalised-" + listId + ".csv");
        try (var lines = Files.lines(normalised); BufferedWriter out = Files.newBufferedWriter(copy)) {
            for (String line : (Iterable<String>) lines::iterator) {
                out.write(listId + line.substring(4));
                out.write('\n');
            }
        }
        return copy;
    }

    private static void writeXlsx(Path xlsx, List<String> prefixes) throws IOException {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(1000); OutputStream out = Files.newOutputStream(xlsx)) {
            Sheet sheet = workbook.createSheet("Leads");
            String[] header = { "Phone", "First Name", "Last Name", "Email", "City", "State", "Zip", "Source" };
            Row first = sheet.createRow(0);
            for (int c = 0; c < header.length; c++) {
                first.createCell(c).setCellValue(header[c]);
            }
            for (int row = 0; row < ROWS; row++) {
                Row r = sheet.createRow(row + 1);
                r.createCell(0).setCellValue(Double.parseDouble("1" + phone(prefixes, row)));
                r.createCell(1).setCellValue(FIRST[row % FIRST.length]);
                r.createCell(2).setCellValue(LAST[row % LAST.length]);
                r.createCell(3).setCellValue(FIRST[row % FIRST.length].toLowerCase() + row + "@example.com");
                r.createCell(4).setCellValue("Springfield");
                r.createCell(5).setCellValue(STATES[row % STATES.length]);
                r.createCell(6).setCellValue(10000 + row % 89999);
                r.createCell(7).setCellValue("web");
            }
            workbook.write(out);
        }
    }

    /**
     * The same rows as {@link #writeXlsx}, laid out as Excel saves a workbook: each distinct text once in
     * xl/sharedStrings.xml, the cells referring to it by index. Written part by part (the fixed texts first,
     * then one email per row), since POI's writers would hold the table in memory.
     */
    private static void writeXlsxWithSharedStrings(Path xlsx, List<String> prefixes) throws IOException {
        String main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        String relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        String[] header = { "Phone", "First Name", "Last Name", "Email", "City", "State", "Zip", "Source" };
        List<String> fixed = new ArrayList<>(List.of(header));
        fixed.addAll(List.of(FIRST));
        fixed.addAll(List.of(LAST));
        fixed.addAll(List.of(STATES));
        fixed.add("Springfield");
        fixed.add("web");
        int first = header.length;
        int last = first + FIRST.length;
        int states = last + LAST.length;
        int city = states + STATES.length;
        int emails = fixed.size();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(xlsx));
                BufferedWriter out = new BufferedWriter(new java.io.OutputStreamWriter(zip, StandardCharsets.UTF_8),
                        1 << 16)) {
            java.util.function.BiConsumer<String, String> part = (name, content) -> {
                try {
                    out.flush();
                    zip.putNextEntry(new java.util.zip.ZipEntry(name));
                    out.write(content);
                    out.flush();
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            };
            String sheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.";
            part.accept("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                    + "content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-"
                    + "package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" + sheetType + "sheet.main+xml\"/>"
                    + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" + sheetType
                    + "worksheet+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"" + sheetType
                    + "sharedStrings+xml\"/></Types>");
            part.accept("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                    + "relationships\"><Relationship Id=\"rId1\" Type=\"" + relationships + "/officeDocument\" "
                    + "Target=\"xl/workbook.xml\"/></Relationships>");
            part.accept("xl/workbook.xml", "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + relationships + "\">"
                    + "<sheets><sheet name=\"Leads\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            part.accept("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
                    + "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + relationships
                    + "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\""
                    + relationships + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
            part.accept("xl/sharedStrings.xml", "<sst xmlns=\"" + main + "\">");
            for (String text : fixed) {
                out.write("<si><t>" + text + "</t></si>");
            }
            for (int row = 0; row < ROWS; row++) {
                out.write("<si><t>" + FIRST[row % FIRST.length].toLowerCase() + row + "@example.com</t></si>");
            }
            out.write("</sst>");
            part.accept("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + main + "\"><sheetData><row r=\"1\">");
            for (int c = 0; c < header.length; c++) {
                out.write("<c r=\"" + (char) ('A' + c) + "1\" t=\"s\"><v>" + c + "</v></c>");
            }
            out.write("</row>");
            for (int row = 0; row < ROWS; row++) {
                int r = row + 2;
                out.write("<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>1" + phone(prefixes, row) + "</v></c>"
                        + "<c r=\"B" + r + "\" t=\"s\"><v>" + (first + row % FIRST.length) + "</v></c>"
                        + "<c r=\"C" + r + "\" t=\"s\"><v>" + (last + row % LAST.length) + "</v></c>"
                        + "<c r=\"D" + r + "\" t=\"s\"><v>" + (emails + row) + "</v></c>"
                        + "<c r=\"E" + r + "\" t=\"s\"><v>" + city + "</v></c>"
                        + "<c r=\"F" + r + "\" t=\"s\"><v>" + (states + row % STATES.length) + "</v></c>"
                        + "<c r=\"G" + r + "\"><v>" + (10000 + row % 89999) + "</v></c>"
                        + "<c r=\"H" + r + "\" t=\"s\"><v>" + (city + 1) + "</v></c></row>");
            }
            out.write("</sheetData></worksheet>");
            out.flush();
            zip.closeEntry();
        }
    }
}
