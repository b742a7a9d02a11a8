package io.capconduit.leads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import io.capconduit.support.IntegrationTest;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Files that cannot be imported: each fails with a message saying why, and the list gets no lead from it. */
@IntegrationTest
class LeadImportBadInputIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @TempDir
    Path folder;

    LeadImportFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LeadImportFixtures(jdbc, launcher, folder);
    }

    @Test
    void notASpreadsheet() throws Exception {
        assertRefused(fixtures.bytes(".xlsx", "%PDF-1.4\n%âãÏÓ\n1 0 obj".getBytes(StandardCharsets.ISO_8859_1)),
                "is a PDF document, not a spreadsheet");
        assertRefused(fixtures.bytes(".csv", new byte[] { 'p', 'h', 'o', 'n', 'e', '\n', 0, 1, 2, 3 }),
                "The file is not a spreadsheet");
    }

    @Test
    void utf16TextSaysHowToSaveTheFile() throws Exception {
        // Excel's "Unicode Text" (tab-separated UTF-16LE) and UTF-16BE, each with its byte order mark
        String text = "\uFEFFphone\tname\r\n2015550123\tJos\u00e9\r\n";
        String advice = "The file is UTF-16 text (Excel's \"Unicode Text\"), not a csv in UTF-8: save it as xlsx, or as "
                + "\"CSV UTF-8\"";
        assertRefused(fixtures.bytes(".txt", text.getBytes(StandardCharsets.UTF_16LE)), advice);
        assertRefused(fixtures.bytes(".csv", text.getBytes(StandardCharsets.UTF_16BE)), advice);
    }

    @Test
    void emptyFileAndHeaderOnly() throws Exception {
        assertRefused(fixtures.bytes(".csv", new byte[0]), "The file is empty");
        assertRefused(fixtures.csv("phone,name\n"), "The file has a header row but no data rows");
        assertRefused(fixtures.xlsx(List.of()), "The file has no rows at all, not even a header row");
    }

    @Test
    void headerWithoutPhoneColumn() throws Exception {
        assertRefused(fixtures.csv("name,email\nAda,ada@example.com\n"),
                "The header row has no phone column (looked for phone, phone_number, mobile, cell, tel, telephone); "
                        + "found: name, email");
    }

    @Test
    void corruptXlsx() throws Exception {
        byte[] workbook = Files.readAllBytes(fixtures.xlsx(List.of(List.of("phone"), List.of("2015550123"))));
        assertRefused(fixtures.bytes(".xlsx", Arrays.copyOf(workbook, workbook.length / 2)),
                "The xlsx workbook is damaged and cannot be read");
    }

    @Test
    void zipBombIsRefusedEvenAfterRowsWereStaged() throws Exception {
        Path valid = fixtures.xlsx(List.of(List.of("phone"), List.of("2015550123"), List.of("2015550124")));
        // the sheet's rows come first, then 20 MB of blanks that squeeze to next to nothing
        Path bomb = rewriteSheet(valid, sheet -> sheet.replace("</sheetData>", " ".repeat(20 << 20) + "</sheetData>"));
        assertRefused(bomb, "The workbook was refused as a possible zip bomb");
    }

    @Test
    void sheetDeclaringEntitiesIsRefusedUnread() throws Exception {
        Path valid = fixtures.xlsx(List.of(List.of("phone"), List.of("2015550123"), List.of("2015550124")));
        // a billion laughs, and an entity that would read a file of the server
        Path hostile = rewriteSheet(valid, sheet -> sheet.replaceFirst("\\?>", "?><!DOCTYPE worksheet [<!ENTITY a "
                + "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                + "<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>").replace("2015550124", "&c;&secret;"));
        assertRefused(hostile, "The xlsx workbook is damaged and cannot be read");
    }

    @Test
    void encryptedWorkbook() throws Exception {
        byte[] plain = Files.readAllBytes(fixtures.xlsx(List.of(List.of("phone"), List.of("2015550123"))));
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            Encryptor encryptor = new EncryptionInfo(EncryptionMode.agile).getEncryptor();
            encryptor.confirmPassword("secret");
            try (OutputStream out = encryptor.getDataStream(fs)) {
                out.write(plain);
            }
            fs.writeFilesystem(encrypted);
        }
        assertRefused(fixtures.bytes(".xlsx", encrypted.toByteArray()),
                "The workbook is encrypted (password-protected)");
    }

    @Test
    void brokenCsvAfterManyGoodRowsImportsNothing() throws Exception {
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < 20; i++) {
            csv.append("20155501").append(10 + i).append('\n');
        }
        csv.append("\"2015550199\n");
        long listId = fixtures.newList("US");

        JobExecution execution = fixtures.importLeads(listId, fixtures.csv(csv.toString()), null, 3);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription()).endsWith("was not imported: Row 22 opens a quoted cell "
                + "that never closes");
        assertThat(fixtures.leads(listId)).isEmpty();
    }

    private void assertRefused(Path file, String message) throws Exception {
        long listId = fixtures.newList("US");
        JobExecution execution = fixtures.importLeads(listId, file, null, 1);
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription())
                .startsWith(file.getFileName() + " was not imported: ").contains(message);
        assertThat(fixtures.leads(listId)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class,
                StagingTasklet.stageTable(execution.getJobInstance().getInstanceId()))).isTrue();
    }

    private Path rewriteSheet(Path xlsx, java.util.function.UnaryOperator<String> change) throws IOException {
        Path out = folder.resolve("rewritten-" + xlsx.getFileName());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(xlsx));
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().startsWith("xl/worksheets/sheet")) {
                    content = change.apply(new String(content, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(content);
                zip.closeEntry();
            }
        }
        return out;
    }
}
