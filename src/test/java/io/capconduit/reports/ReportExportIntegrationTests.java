package io.capconduit.reports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.calls.CallLogFilter;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class ReportExportIntegrationTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    CallReportService service;

    @Autowired
    UserDetailsService users;

    NewYorkMarchScenario march;

    @BeforeEach
    void calls() {
        march = new NewYorkMarchScenario(new ReportFixture(jdbc));
    }

    @Test
    void theWorkbookHoldsTheGraphQlFiguresInTypedCells() throws Exception {
        String query = "from=2026-03-09&to=2026-03-10&timeZone=America/New_York&groupBy=DAY&by=CAMPAIGN&sellerId="
                + march.seller;
        List<CallReportIntegrationTests.Row> expected = graphQl.as("staff").documentName("report")
                .variable("from", "2026-03-09").variable("to", "2026-03-10").variable("timeZone", "America/New_York")
                .variable("by", "CAMPAIGN").variable("sellerId", String.valueOf(march.seller)).execute()
                .path("report.rows").entityList(CallReportIntegrationTests.Row.class).get();

        HttpResponse<byte[]> response = get("staff", "/api/reports/export.xlsx?" + query);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).contains("call-report-2026-03-09-to-2026-03-10.xlsx"));
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(response.body()))) {
            Sheet sheet = workbook.getSheet("Report");
            assertThat(sheet.getPaneInformation().isFreezePane()).isTrue();
            assertThat(sheet.getRow(0).getCell(4).getStringCellValue()).isEqualTo("Calls");
            assertThat(sheet.getColumnWidth(3)).isGreaterThan(sheet.getColumnWidth(4));
            assertThat(sheet.getLastRowNum()).isEqualTo(expected.size() + 1);  // header + rows + Total
            for (int i = 0; i < expected.size(); i++) {
                assertRowEquals(sheet.getRow(i + 1), expected.get(i));
            }
            Row total = sheet.getRow(expected.size() + 1);
            assertThat(total.getCell(0).getStringCellValue()).isEqualTo("Total");
            assertThat(total.getCell(4).getNumericCellValue()).isEqualTo(7);
            assertThat(total.getCell(9).getNumericCellValue()).isEqualTo(440);
        }
    }

    private static void assertRowEquals(Row row, CallReportIntegrationTests.Row expected) {
        CallReportIntegrationTests.Figures f = expected.figures();
        assertThat(row.getCell(0).getStringCellValue()).isEqualTo(expected.period());
        assertThat(DateUtil.isCellDateFormatted(row.getCell(1))).isTrue();
        assertThat(row.getCell(2).getNumericCellValue()).isEqualTo(Double.parseDouble(expected.key()));
        assertThat(row.getCell(3).getStringCellValue()).isEqualTo(expected.name());
        assertThat(List.of(row.getCell(4).getNumericCellValue(), row.getCell(5).getNumericCellValue(),
                row.getCell(6).getNumericCellValue(), row.getCell(7).getNumericCellValue(),
                row.getCell(8).getNumericCellValue(), row.getCell(9).getNumericCellValue(),
                row.getCell(10).getNumericCellValue(), row.getCell(11).getNumericCellValue(),
                row.getCell(12).getNumericCellValue(), row.getCell(13).getNumericCellValue()))
                .containsExactly((double) f.calls(), (double) f.answered(), (double) f.billable(), f.answerRate(),
                        f.conversionRate(), f.talkSeconds(), f.averageTalkSeconds(), (double) f.rejectedByCap(),
                        (double) f.rejectedBySchedule(), (double) f.rejectedNoTarget());
        assertThat(row.getCell(7).getCellStyle().getDataFormatString()).isEqualTo("0.00%");
    }

    @Test
    void aSellerExportsOnlyItsOwnReportAndCallLogs() throws Exception {
        String otherUser = march.fixture.username("other");

        String report = text(get(otherUser, "/api/reports/export.csv?from=2026-03-09&to=2026-03-10&by=SELLER&sellerId="
                + march.seller));
        assertThat(report.lines().skip(1).filter(line -> !line.startsWith("Total")))
                .allMatch(line -> line.contains(march.fixture.name("other")) && line.contains("," + march.other + ","))
                .hasSize(2);

        HttpResponse<byte[]> logs = get(otherUser, "/api/call-logs/export.xlsx?from=2026-03-01T00:00:00Z"
                + "&to=2026-03-31T00:00:00Z&sellerId=" + march.seller);
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(logs.body()))) {
            Sheet sheet = workbook.getSheetAt(0);
            assertThat(sheet.getLastRowNum()).isEqualTo(2);
            for (int i = 1; i <= 2; i++) {
                assertThat(sheet.getRow(i).getCell(5).getStringCellValue()).isEqualTo(march.fixture.name("other"));
                assertThat(sheet.getRow(i).getCell(0).getCellType()).isEqualTo(CellType.NUMERIC);
                assertThat(DateUtil.isCellDateFormatted(sheet.getRow(i).getCell(1))).isTrue();
                assertThat(sheet.getRow(i).getCell(16).getCellType()).isEqualTo(CellType.BOOLEAN);
            }
        }
    }

    @Test
    void callLogsExportFollowsItsFiltersAndTimeZone() throws Exception {
        String csv = text(get("staff", "/api/call-logs/export.csv?from=2026-03-09T00:00:00Z&to=2026-03-12T00:00:00Z"
                + "&timeZone=America/New_York&disposition=ANSWERED&campaignId=" + march.auto));

        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).startsWith("\uFEFFId,Start,Answer,End,Direction,Seller,Campaign");
        // the four answered auto calls, oldest first, start times in New York time
        assertThat(lines).hasSize(5);
        assertThat(lines.get(1)).contains(",2026-03-08 23:59:00,").contains(",ANSWERED,");
        assertThat(lines.get(4)).contains(",2026-03-10 00:00:00,").contains(",200,true,");
    }

    /** The buyers a call rang, in order, by name: one deleted since by its id. */
    @Test
    void aCallLogsExportNamesTheBuyersItRangInOrder() throws Exception {
        long deleted = jdbc.queryForObject("SELECT max(id) + 1000 FROM clients", Long.class);
        jdbc.update("UPDATE call_logs SET clients_tried = ARRAY[?, ?, ?] WHERE campaign_id = ? AND start_time = ?",
                march.clientY, deleted, march.clientX, march.auto, Timestamp.from(NewYorkMarchScenario.at("2026-03-10T04:00:00Z")));

        List<String> lines = text(get("staff", "/api/call-logs/export.csv?from=2026-03-10T03:00:00Z"
                + "&to=2026-03-10T05:00:00Z&campaignId=" + march.auto)).lines().toList();

        assertThat(lines.get(0)).endsWith(",Targets tried,Clients tried,Linked id");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(3)).contains(",\"" + march.fixture.name("y") + ", client " + deleted + ", "
                + march.fixture.name("x") + "\",");
        assertThat(lines.get(1)).contains(",0,,");   // rang none on record: empty
    }

    /** The number each call went to (a click-to-call's number, a lead's, the DID called), beside its caller id. */
    @Test
    void aCallLogsExportNamesTheNumberEachCallWentTo() throws Exception {
        jdbc.update("UPDATE call_logs SET destination = '+15557654321' WHERE campaign_id = ? AND start_time = ?",
                march.auto, Timestamp.from(NewYorkMarchScenario.at("2026-03-10T04:00:00Z")));

        List<String> lines = text(get("staff", "/api/call-logs/export.csv?from=2026-03-10T04:00:00Z"
                + "&to=2026-03-10T04:00:01Z&campaignId=" + march.auto)).lines().toList();

        assertThat(lines.get(0)).contains(",DID,Caller id,Destination,Client,");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains(",+15557654321,");
    }

    @Test
    void badExportArgumentsAreRefusedNamingTheField() throws Exception {
        HttpResponse<byte[]> format = get("staff", "/api/reports/export.pdf?from=2026-03-09&to=2026-03-10");
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(text(format)).contains("\"field\":\"format\"");

        HttpResponse<byte[]> from = get("staff", "/api/call-logs/export.csv?from=yesterday&to=2026-03-10T00:00:00Z");
        assertThat(from.statusCode()).isEqualTo(400);
        assertThat(text(from)).contains("\"field\":\"from\"");

        HttpResponse<byte[]> by = get("staff", "/api/reports/export.csv?from=2026-03-09&to=2026-03-10&by=campaign");
        assertThat(by.statusCode()).isEqualTo(400);
        assertThat(text(by)).contains("\"field\":\"by\"").contains("CAMPAIGN");
        HttpResponse<byte[]> campaign = get("staff", "/api/call-logs/export.csv?from=2026-03-09T00:00:00Z"
                + "&to=2026-03-10T00:00:00Z&campaignId=abc");
        assertThat(campaign.statusCode()).isEqualTo(400);
        assertThat(text(campaign)).contains("\"field\":\"campaignId\"").contains("whole number");

        // the same limits as the report query: an hourly report covers a month at most
        HttpResponse<byte[]> hours = get("staff", "/api/reports/export.xlsx?from=2026-01-01&to=2026-12-31"
                + "&groupBy=HOUR&by=DID");
        assertThat(hours.statusCode()).isEqualTo(400);
        assertThat(text(hours)).contains("\"field\":\"to\"").contains("grouped by HOUR covers at most 31 days");

        assertThat(get(null, "/api/reports/export.csv?from=2026-03-09&to=2026-03-10").statusCode()).isEqualTo(401);
    }

    /** One export is one read transaction, whose snapshot holds back vacuum: a month at most (31 days). */
    @Test
    void aCallLogExportCoversAtMostAMonth() throws Exception {
        HttpResponse<byte[]> years = get(march.fixture.username("ny"),
                "/api/call-logs/export.csv?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z");
        assertThat(years.statusCode()).isEqualTo(400);
        assertThat(text(years)).contains("\"field\":\"to\"").contains("at most 31 days");

        assertThat(get("staff", "/api/call-logs/export.csv?from=2026-03-01T00:00:00-05:00"
                + "&to=2026-04-01T00:00:00-05:00").statusCode()).isEqualTo(200);
        assertThat(get("staff", "/api/call-logs/export.csv?from=2026-03-01T00:00:00Z"
                + "&to=2026-04-01T00:00:01Z").statusCode()).isEqualTo(400);
    }

    /**
     * A download that stalls (or a fetch that runs away) does not hold the export's snapshot, and so PostgreSQL's
     * xmin horizon, for as long as it likes: its transaction carries a statement and an idle timeout.
     */
    @Test
    void theCallLogExportsTransactionTimesOut() {
        AuthenticatedUser staff = (AuthenticatedUser) users.loadUserByUsername("staff");
        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(staff, null, staff.getAuthorities()));
        List<String> inside = new ArrayList<>();
        try {
            service.streamCallLogs(new CallLogFilter(NewYorkMarchScenario.at("2026-03-01T00:00:00Z"),
                    NewYorkMarchScenario.at("2026-03-31T00:00:00Z"), null, null, null, march.seller), staff,
                    row -> inside.add(jdbc.queryForObject("SELECT current_setting('statement_timeout') || ' ' || "
                            + "current_setting('idle_in_transaction_session_timeout')", String.class)));
        }
        finally {
            SecurityContextHolder.clearContext();
        }

        assertThat(inside).isNotEmpty().containsOnly("5min 5min");
        assertThat(jdbc.queryForObject("SELECT current_setting('statement_timeout')", String.class)).isEqualTo("0");
    }

    /** As the report query: an export of more rows than capconduit.reports.max-rows (5,000 in tests) is refused. */
    @Test
    void aReportExportOfMoreRowsThanAllowedIsRefused() throws Exception {
        long seller = new ReportFixture(jdbc).sellerWithACallEveryHourOfJuly2031(7);   // 7 × 744 = 5,208 rows

        HttpResponse<byte[]> refused = get("staff", "/api/reports/export.csv?from=2031-07-01&to=2031-07-31"
                + "&groupBy=HOUR&by=DID&sellerId=" + seller);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(text(refused)).contains("\"field\":\"to\"").contains("more than 5000 rows");
    }

    /** Checked before the response starts: afterwards a failure can only cut the file short under a 200. */
    @Test
    void aCallLogExportWithAnUnknownDispositionOrAnImpossibleDateIsRefusedBeforeItStarts() throws Exception {
        String day = "from=2026-03-09T00:00:00Z&to=2026-03-10T00:00:00Z";
        for (String disposition : new String[] { "A%00B", "answered", "HUNG%20UP" }) {
            HttpResponse<byte[]> bad = get("staff", "/api/call-logs/export.csv?" + day + "&disposition=" + disposition);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(text(bad)).contains("\"field\":\"disposition\"").contains("NO ANSWER");
        }
        assertThat(get("staff", "/api/call-logs/export.csv?" + day + "&disposition=NO%20ANSWER").statusCode())
                .isEqualTo(200);

        HttpResponse<byte[]> from = get("staff",
                "/api/call-logs/export.xlsx?from=-200000-01-01T00:00:00Z&to=2026-03-10T00:00:00Z");
        assertThat(from.statusCode()).isEqualTo(400);
        assertThat(text(from)).contains("\"field\":\"from\"").contains("1900");
        HttpResponse<byte[]> to = get("staff", "/api/call-logs/export.csv?from=2026-03-09T00:00:00Z"
                + "&to=%2B10000-01-01T00:00:00Z");
        assertThat(to.statusCode()).isEqualTo(400);
        assertThat(text(to)).contains("\"field\":\"to\"");
    }

    private HttpResponse<byte[]> get(String user, String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(graphQl.baseUrl() + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
