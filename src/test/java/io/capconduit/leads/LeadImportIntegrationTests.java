package io.capconduit.leads;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

@IntegrationTest
class LeadImportIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    GraphQlTesters graphQl;

    @TempDir
    Path folder;

    LeadImportFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new LeadImportFixtures(jdbc, launcher, folder);
    }

    @Test
    void csvWithAliasesDuplicatesDncAndInvalidNumbers() throws Exception {
        long listId = fixtures.newList("US");
        jdbc.update("INSERT INTO dnc_numbers (phone) VALUES ('+13125550188') ON CONFLICT DO NOTHING");
        jdbc.update("INSERT INTO leads (list_id, phone) VALUES (?, '+12125550147')", listId);
        Path file = fixtures.csv("""
                \uFEFFFirst Name;Last Name;Phone Number;ZIP;State;Favourite Colour
                Ada;Lovelace;(201) 555-0123;07030;NJ;"green; mostly"
                Alan;Turing;+1 212 555 0147;10001;NY;blue
                Grace;Hopper;312-555-0188;60601;IL;
                Edsger;Dijkstra;not a number;;;red
                Barbara;Liskov;2015550123;;;"two
                lines"

                Donald;Knuth;208 555 0100;83702;ID;
                """);

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getExitStatus().getExitDescription())
                .isEqualTo("Imported 2 of 6 rows from " + file.getFileName() + ": 2 duplicates dropped, 2 rows rejected");
        List<Map<String, Object>> leads = fixtures.leads(listId);
        assertThat(leads).extracting(l -> l.get("phone"))
                .containsExactly("+12015550123", "+12085550100", "+12125550147");
        Map<String, Object> ada = leads.get(0);
        assertThat(ada).containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace")
                .containsEntry("time_zone", "America/New_York").containsEntry("postal_code", "07030")
                .containsEntry("source_row", 2);
        assertThat(ada.get("extra").toString()).isEqualTo("{\"Favourite Colour\": \"green; mostly\"}");
        // 208 spans Boise and Los Angeles, and so does Idaho: the state names the zone shown, the dialer waits for both
        assertThat(leads.get(1)).containsEntry("time_zone", "America/Boise").containsEntry("source_row", 8);
        assertThat(jdbc.queryForObject("SELECT time_zones::text FROM leads WHERE list_id = ? AND phone = ?", String.class,
                listId, "+12085550100")).isEqualTo("{America/Boise,America/Los_Angeles}");
        assertThat(fixtures.rejects(execution)).containsExactly(
                Map.of("row_number", 4, "raw_value", "312-555-0188", "reason", "the number is on the do-not-call list"),
                Map.of("row_number", 5, "raw_value", "not a number", "reason",
                        "not a phone number (no digits of a phone number)"));
    }

    @Test
    void aNumberSpanningZonesKeepsEveryZoneWhenNothingDecides() throws Exception {
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("""
                phone,state,zip
                208 555 0100,,
                208 555 0111,WA,
                208 555 0122,,99999
                """);

        assertThat(fixtures.importLeads(listId, file).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(jdbc.queryForList("SELECT phone || ' ' || time_zone || ' ' || coalesce(time_zones::text, '-') "
                + "FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId)).containsExactly(
                "+12085550100 America/Boise {America/Boise,America/Los_Angeles}",
                "+12085550111 America/Los_Angeles -",
                "+12085550122 America/Boise {America/Boise,America/Los_Angeles}");
        graphQl.as("admin").document("query ($id: ID!) { leads(listId: $id) { edges { node { timeZones } } } }")
                .variable("id", listId).execute()
                .path("leads.edges[0].node.timeZones").entityList(String.class)
                .containsExactly("America/Boise", "America/Los_Angeles")
                .path("leads.edges[1].node.timeZones").valueIsNull();
    }

    @Test
    void aTollFreeNumberTakesItsZoneFromTheStateElseTheSellersFallback() throws Exception {
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("""
                phone,state
                8005550199,
                8005550198,NY
                2735550100,
                """);

        assertThat(fixtures.importLeads(listId, file).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        // libphonenumber places these only "somewhere in +1" (42 zones): kept so, the dialer never called them
        assertThat(jdbc.queryForList("SELECT phone || ' ' || coalesce(time_zone, '-') || ' ' "
                + "|| coalesce(time_zones::text, '-') FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .containsExactly("+12735550100 - -", "+18005550198 America/New_York -", "+18005550199 - -");
    }

    @Test
    void aNumberTooLongOrShortForE164IsARejectedRowNotAFailedMerge() throws Exception {
        long listId = fixtures.newList("DE");
        Path file = fixtures.csv("phone\n+49 800 123456789012\n+98 9601\n+12015550123\n");

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone")).containsExactly("+12015550123");
        assertThat(fixtures.rejects(execution)).containsExactly(
                Map.of("row_number", 2, "raw_value", "+49 800 123456789012", "reason",
                        "+49800123456789012 is longer than the 15 digits E.164 allows"),
                Map.of("row_number", 3, "raw_value", "+98 9601", "reason",
                        "+989601 is shorter than the 7 digits a stored number needs"));
    }

    @Test
    void aPremiumRateNumberIsARejectedLeadButADoNotCallEntry() throws Exception {
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("phone\n(900) 555-2368\n+44 909 879 0000\n+12015550123\n");

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone")).containsExactly("+12015550123");
        assertThat(fixtures.rejects(execution)).containsExactly(
                Map.of("row_number", 2, "raw_value", "(900) 555-2368", "reason",
                        "+19005552368 is a premium-rate number: calling it costs the caller"),
                Map.of("row_number", 3, "raw_value", "+44 909 879 0000", "reason",
                        "+449098790000 is a premium-rate number: calling it costs the caller"));

        try {
            JobExecution dnc = fixtures.importDnc(file);
            assertThat(dnc.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(fixtures.rejects(dnc)).isEmpty();
            assertThat(jdbc.queryForList("SELECT phone FROM dnc_numbers WHERE phone IN ('+19005552368', '+449098790000')",
                    String.class)).containsExactlyInAnyOrder("+19005552368", "+449098790000");
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+19005552368', '+449098790000', '+12015550123')");
        }
    }

    @Test
    void aUsStateOrZipPlacesOnlyNorthAmericanNumbersAndOnlyCertainlyWhenTheStateKeepsOneZone() throws Exception {
        // libphonenumber places these mobiles only in their country, which spans zones: the state or postcode decides
        PhoneNumbers phones = new PhoneNumbers();
        assertThat(phones.parse("+61412345678", CellKind.TEXT, "AU").zones()).isEmpty();
        assertThat(phones.parse("+79161234567", CellKind.TEXT, "AU").zones()).isEmpty();
        long listId = fixtures.newList("AU");
        Path file = fixtures.csv("""
                phone,state,postcode
                +61 412 345 678,WA,
                +7 916 123 4567,,101000
                +1 800 555 0123,FL,
                """);

        assertThat(fixtures.importLeads(listId, file).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        // Western Australia is no Washington, Moscow's 101000 no New York ZIP; the Florida panhandle keeps Central time
        assertThat(jdbc.queryForList("SELECT phone || ' ' || coalesce(time_zone, '-') || ' ' "
                + "|| coalesce(time_zones::text, '-') FROM leads WHERE list_id = ? ORDER BY phone", String.class, listId))
                .containsExactly("+18005550123 America/New_York {America/New_York,America/Chicago}",
                        "+61412345678 - -", "+79161234567 - -");
    }

    @Test
    void aCsvThatStartsLikeABitmapAndNamesOf200EmojiImport() throws Exception {
        long listId = fixtures.newList("US");
        String emoji = "\uD83D\uDE00".repeat(200);
        Path file = fixtures.csv("BM_ID,phone,first_name\n1,2015550123," + emoji + "\n2,2015550124," + emoji
                + "x\n");

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("first_name")).containsExactly(emoji);
        assertThat(fixtures.rejects(execution)).extracting(r -> r.get("reason"))
                .containsExactly("first_name is longer than 200 characters");
    }

    @Test
    void xlsxWithNumbersFormulasErrorsDatesAndLongNames() throws Exception {
        long listId = fixtures.newList("US");
        String name200 = "Ä".repeat(200);
        Path file;
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet("Leads");
            row(sheet, 0, "Mobile", "First", "Last", "Notes");
            row(sheet, 1, 1.2015550123E10, "Number", "Cell", "typed as a number");
            row(sheet, 2, 15551234567.0, "Fictional", "Exchange", "");
            Row formula = row(sheet, 3, null, "Formula", "Cell", "");
            formula.getCell(0).setCellFormula("\"212\"&\"5550147\"");
            Row error = row(sheet, 4, null, "Error", "Cell", "");
            error.getCell(0).setCellErrorValue(FormulaError.NA.getCode());
            Row date = row(sheet, 5, null, "Date", "Cell", "");
            CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            date.getCell(0).setCellValue(LocalDate.of(2024, 3, 5));
            date.getCell(0).setCellStyle(dateStyle);
            row(sheet, 6, "3125550111", name200, "Long", "");
            row(sheet, 7, "3125550122", name200 + "x", "Too long", "");
            Row notes = row(sheet, 8, "3125550133", "Broken", "Notes", "");
            notes.getCell(3).setCellFormula("1/0");
            workbook.getCreationHelper().createFormulaEvaluator().evaluateAll();
            file = fixtures.write(workbook);
        }

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone"), l -> l.get("first_name"), l -> l.get("extra"))
                .containsExactly(tuple("+12015550123", "Number", "{\"Notes\": \"typed as a number\"}"),
                        tuple("+12125550147", "Formula", "{}"), tuple("+13125550111", name200, "{}"));
        assertThat(fixtures.rejects(execution)).extracting(r -> r.get("row_number"), r -> r.get("reason"))
                .containsExactly(tuple(3, "+15551234567 is not a valid phone number"),
                        tuple(5, "the phone cell holds the spreadsheet error #N/A"),
                        tuple(6, "the phone cell holds a date (2024-03-05), not a phone number"),
                        tuple(8, "first_name is longer than 200 characters"),
                        tuple(9, "the 'Notes' cell holds the spreadsheet error #DIV/0!"));
    }

    @Test
    void aFormulaWhoseResultWasNeverSavedRejectsItsRowInsteadOfReadingAsEmpty() throws Exception {
        long listId = fixtures.newList("US");
        Path file;
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            // formulas as a program writes them, leaving the calculation to Excel: no saved result in the file
            Sheet sheet = workbook.createSheet("Leads");
            row(sheet, 0, "Phone", "First", "Notes");
            row(sheet, 1, null, "Ann", "").getCell(0).setCellFormula("\"212\"&\"5550148\"");
            row(sheet, 2, "3125550144", "Bob", null).getCell(2).setCellFormula("B3&\" called\"");
            row(sheet, 3, (Object) null).getCell(0).setCellFormula("A2+1");
            row(sheet, 4, "3125550145", "Cy", "");
            file = fixtures.write(workbook);
        }

        JobExecution execution = fixtures.importLeads(listId, file);

        // the phone read as empty ("the phone is empty" of a cell Excel shows a number in), a notes cell as blank,
        // and a row holding only a formula was skipped as blank, in no count and no report
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone")).containsExactly("+13125550145");
        String why = " cell holds a formula whose result the file does not keep (written by a program that left the "
                + "calculation to Excel): open the file in Excel and save it again";
        assertThat(fixtures.rejects(execution)).extracting(r -> r.get("row_number"), r -> r.get("raw_value"),
                r -> r.get("reason")).containsExactly(tuple(2, "=\"212\"&\"5550148\"", "the phone" + why),
                        tuple(3, "=B3&\" called\"", "the 'Notes'" + why), tuple(4, "=A2+1", "the phone" + why));

        try {
            JobExecution dnc = fixtures.importDnc(file);
            assertThat(fixtures.rejects(dnc)).extracting(r -> r.get("row_number"), r -> r.get("reason"))
                    .containsExactly(tuple(2, "the phone" + why), tuple(4, "the phone" + why));
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+13125550144', '+13125550145')");
        }
    }

    @Test
    void theOutcomeNamesTheVisibleSheetsThatWereNotRead() throws Exception {
        long listId = fixtures.newList("US");
        Path file;
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            row(workbook.createSheet("Lookup"), 0, "code");
            Sheet first = workbook.createSheet("March");
            row(first, 0, "Phone");
            row(first, 1, "3125550161");
            Sheet second = workbook.createSheet("April");
            row(second, 0, "Phone");
            row(second, 1, "3125550162");
            workbook.setSheetHidden(0, true);
            file = fixtures.write(workbook);
        }

        JobExecution execution = fixtures.importLeads(listId, file);

        // April's leads were left out without a word: the summary read as if the workbook had gone in whole
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone")).containsExactly("+13125550161");
        assertThat(execution.getExitStatus().getExitDescription()).isEqualTo("Imported 1 of 1 rows from "
                + file.getFileName() + ": 0 duplicates dropped, 0 rows rejected. Only its first sheet, 'March', was "
                + "read; not its other sheets: 'April' (one sheet per file)");
    }

    @Test
    void aPhoneExtensionIsKeptOnTheLead() throws Exception {
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("Phone,Name\n(312) 555-0171 ext. 45,Front desk\n+1 312 555 0172 x9,Ann\n"
                + "312-555-0173,Bob\n");

        fixtures.importLeads(listId, file);

        // E.164 has no room for it: the extension was dropped, and the agent reached a switchboard knowing nothing more
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone"), l -> l.get("extra"))
                .containsExactly(tuple("+13125550171", "{\"phone_extension\": \"45\"}"),
                        tuple("+13125550172", "{\"phone_extension\": \"9\"}"), tuple("+13125550173", "{}"));
    }

    @Test
    void aPhoneInADateFormattedColumnIsANumber() throws Exception {
        long listId = fixtures.newList("US");
        Path file;
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Sheet sheet = workbook.createSheet("Leads");
            row(sheet, 0, "Phone");
            row(sheet, 1, -1.0).getCell(0).setCellStyle(dateStyle);
            row(sheet, 2, 2015550123.0).getCell(0).setCellStyle(dateStyle);
            file = fixtures.write(workbook);
        }

        JobExecution execution = fixtures.importLeads(listId, file);

        // -1 has no date: POI's null date failed the whole workbook as damaged
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone")).containsExactly("+12015550123");
        assertThat(fixtures.rejects(execution)).extracting(r -> r.get("row_number")).containsExactly(2);
    }

    @Test
    void aUsZipStoredAsANumberGetsItsLeadingZerosBack() throws Exception {
        long listId = fixtures.newList("US");
        Path file = fixtures.xlsx(List.of(List.of("Phone", "ZIP"), List.of("2015550123", 7030),
                List.of("2015550124", 70301234), List.of("2015550125", 10001)));

        fixtures.importLeads(listId, file);

        // Excel shows 7030 as 07030 (format 00000); stored as '7030' the ZIP named no place, and its zone hint a wrong one
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("postal_code"))
                .containsExactly("07030", "07030-1234", "10001");
    }

    @Test
    void thePhoneHeaderBeatsAWeakerAliasAndNoCellIsDropped() throws Exception {
        long listId = fixtures.newList("US");
        Path file = fixtures.csv("""
                Number,Phone,Notes,Notes,
                7,2015550123,first,second,no header,beyond the header
                """);

        JobExecution execution = fixtures.importLeads(listId, file);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        // "Number" left of "Phone" took the phone field; the second Notes, the unnamed and the extra cells were lost
        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone"), l -> l.get("extra")).containsExactly(
                tuple("+12015550123", "{\"Notes\": \"first\", \"Number\": \"7\", \"Notes_2\": \"second\", "
                        + "\"column_5\": \"no header\", \"column_6\": \"beyond the header\"}"));
    }

    @Test
    void explicitMappingAndDncImportShareTheMachinery() throws Exception {
        long listId = fixtures.newList("US");
        Path numbers = fixtures.csv("number|why\n+1 (415) 555-0171|asked\n4155550171|twice\n");
        JobExecution dnc = fixtures.importDnc(numbers);
        assertThat(dnc.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = '+14155550171'", Long.class))
                .isOne();

        Path leads = fixtures.csv("Given,Contact,Other Phone\nAda,4155550171,\nAlan,4155550172,\n");
        JobExecution execution = fixtures.importLeads(listId, leads, "phone=contact,first_name=Given", null);

        assertThat(fixtures.leads(listId)).extracting(l -> l.get("phone"), l -> l.get("first_name"))
                .containsExactly(tuple("+14155550172", "Alan"));
        assertThat(fixtures.rejects(execution)).extracting(r -> r.get("reason"))
                .containsExactly("the number is on the do-not-call list");
    }

    @Test
    void aDncImportTakesItsNumbersOutOfEveryHopper() throws Exception {
        long listId = fixtures.newList("US");
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name, direction) VALUES ((SELECT min(id) "
                + "FROM sellers), ?, 'OUTBOUND') RETURNING id", Long.class, "dnc-" + java.util.UUID.randomUUID());
        long called = jdbc.queryForObject("INSERT INTO leads (list_id, phone) VALUES (?, '+14155550181') RETURNING id",
                Long.class, listId);
        long kept = jdbc.queryForObject("INSERT INTO leads (list_id, phone) VALUES (?, '+14155550182') RETURNING id",
                Long.class, listId);
        jdbc.update("INSERT INTO outbound_queue (campaign_id, lead_id) VALUES (?, ?), (?, ?)", campaign, called,
                campaign, kept);

        assertThat(fixtures.importDnc(fixtures.csv("phone\n(415) 555-0181\n")).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForList("SELECT lead_id, status, outcome FROM outbound_queue WHERE campaign_id = ? "
                + "ORDER BY lead_id", campaign)).extracting(r -> r.get("lead_id"), r -> r.get("status"), r -> r.get("outcome"))
                .containsExactly(tuple(called, "DONE", "DNC"), tuple(kept, "QUEUED", null));
    }

    @Test
    void aDncImportLooksAtThePhoneCellAlone() throws Exception {
        Path numbers;
        try (XSSFWorkbook workbook = new XSSFWorkbook()) {
            Sheet sheet = workbook.createSheet("DNC");
            row(sheet, 0, "phone", "notes", "name");
            Row broken = row(sheet, 1, "2015550181", null, "x".repeat(201));
            broken.getCell(1).setCellErrorValue(FormulaError.NA.getCode());
            row(sheet, 2, "2015550182", "fine", "Ann");
            numbers = fixtures.write(workbook);
        }
        try {
            JobExecution dnc = fixtures.importDnc(numbers);

            // a number someone asked not to be called is not dropped over an unrelated cell
            assertThat(dnc.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(fixtures.rejects(dnc)).isEmpty();
            assertThat(jdbc.queryForList("SELECT phone FROM dnc_numbers WHERE phone IN ('+12015550181', "
                    + "'+12015550182') ORDER BY phone", String.class)).containsExactly("+12015550181", "+12015550182");
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone IN ('+12015550181', '+12015550182')");
        }
    }

    @Test
    void aDncImportFollowsItsColumnMapping() throws Exception {
        Path numbers = fixtures.csv("Contact,Given\n2015550183,Ann\n");
        try {
            JobExecution dnc = fixtures.importDnc(numbers, "phone=Contact");

            assertThat(dnc.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = '+12015550183'", Long.class))
                    .isOne();
        }
        finally {
            jdbc.update("DELETE FROM dnc_numbers WHERE phone = '+12015550183'");
        }
    }

    @Test
    void aNulInAnExtraColumnIsDropped() throws Exception {
        long listId = fixtures.newList("US");
        StringBuilder csv = new StringBuilder("phone,notes\n");
        for (int i = 0; i < 300; i++) {
            csv.append(String.format("201555%04d,padding past the first 8 KB that are checked for binary%n", i + 1000));
        }
        csv.append("2015552000,before\u0000after\n");

        JobExecution execution = fixtures.importLeads(listId, fixtures.csv(csv.toString()));

        // jsonb refuses \u0000, so the whole import failed, and every restart on the same chunk
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForObject("SELECT extra ->> 'notes' FROM leads WHERE list_id = ? AND phone = ?",
                String.class, listId, "+12015552000")).isEqualTo("beforeafter");
    }

    private static Row row(Sheet sheet, int index, Object... values) {
        Row row = sheet.createRow(index);
        for (int c = 0; c < values.length; c++) {
            Cell cell = row.createCell(c);
            if (values[c] instanceof Double number) {
                cell.setCellValue(number);
            }
            else if (values[c] != null) {
                cell.setCellValue(values[c].toString());
            }
        }
        return row;
    }

    /** leads.list_id is checked once per statement (V9_6_0), yet refuses what the foreign key refused. */
    @Test
    void leadsKeepTheirListsLikeAForeignKey() {
        long listId = fixtures.newList("US");
        long missing = listId + 1_000_000;

        assertThatThrownBy(() -> jdbc.update("INSERT INTO leads (list_id, phone) VALUES (?, '+12125550101'), "
                + "(?, '+12125550102')", listId, missing))
                .isInstanceOf(DataIntegrityViolationException.class)
                .satisfies(ex -> assertThat(detail(ex))
                        .contains("Key (list_id)=(" + missing + ") is not present in table \"lead_lists\""));
        assertThat(fixtures.leads(listId)).isEmpty();

        long leadId = jdbc.queryForObject("INSERT INTO leads (list_id, phone) VALUES (?, '+12125550103') RETURNING id",
                Long.class, listId);
        assertThatThrownBy(() -> jdbc.update("UPDATE leads SET list_id = ? WHERE id = ?", missing, leadId))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update("DELETE FROM lead_lists WHERE id = ?", listId))
                .isInstanceOf(DataIntegrityViolationException.class)
                .satisfies(ex -> assertThat(detail(ex)).contains("is still referenced from table \"leads\""));

        jdbc.update("DELETE FROM leads WHERE list_id = ?", listId);
        assertThat(jdbc.update("DELETE FROM lead_lists WHERE id = ?", listId)).isEqualTo(1);
    }

    /** The server's detail of a refused statement, which messages leave out (logServerErrorDetail=false). */
    private static String detail(Throwable ex) {
        return ((org.postgresql.util.PSQLException) ((DataIntegrityViolationException) ex).getMostSpecificCause())
                .getServerErrorMessage().getDetail();
    }

    /** The E.164 check without a regex (V9_6_1) takes exactly '+', a first digit 1-9 and 7 to 15 ASCII digits. */
    @Test
    void onlyE164NumbersAreStored() {
        long listId = fixtures.newList("US");
        for (String good : List.of("+12125550101", "+4930123456", "+1234567", "+123456789012345")) {
            jdbc.update("INSERT INTO leads (list_id, phone) VALUES (?, ?)", listId, good);
            jdbc.update("INSERT INTO dnc_numbers (phone) VALUES (?) ON CONFLICT DO NOTHING", good);
        }
        for (String bad : List.of("12125550101", "+02125550101", "+123456", "+1234567890123456", "+1212555010a",
                "+1 2125550101", "+", "", "+\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668")) {
            assertThatThrownBy(() -> jdbc.update("INSERT INTO leads (list_id, phone) VALUES (?, ?)", listId, bad))
                    .as(bad).isInstanceOf(DataIntegrityViolationException.class);
            assertThatThrownBy(() -> jdbc.update("INSERT INTO dnc_numbers (phone) VALUES (?)", bad))
                    .as(bad).isInstanceOf(DataIntegrityViolationException.class);
        }
    }
}
