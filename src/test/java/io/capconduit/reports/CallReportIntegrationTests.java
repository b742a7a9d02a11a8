package io.capconduit.reports;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@IntegrationTest
class CallReportIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    NewYorkMarchScenario march;

    @BeforeEach
    void calls() {
        march = new NewYorkMarchScenario(new ReportFixture(jdbc));
    }

    @Test
    void daysAreTheSellersLocalDaysWithHandComputedFigures() {
        GraphQlTester.Response response = report("staff", "America/New_York", "DAY", "CAMPAIGN", march.seller);

        List<Row> rows = response.path("report.rows").entityList(Row.class).get();
        assertThat(rows).extracting(Row::period, Row::name).containsExactly(
                tuple("2026-03-09", march.fixture.name("auto")),
                tuple("2026-03-10", march.fixture.name("auto")),
                tuple("2026-03-10", march.fixture.name("home")));
        assertThat(rows.get(0).periodStart()).isEqualTo("2026-03-09T04:00:00Z");
        assertThat(rows.get(0).key()).isEqualTo(String.valueOf(march.auto));
        assertThat(rows.get(0).figures()).isEqualTo(new Figures(2, 2, 1, 1.0, 0.5, 150, 75.0, 0, 0, 0));
        assertThat(rows.get(1).figures()).isEqualTo(new Figures(2, 1, 1, 0.5, 1.0, 200, 200.0, 1, 0, 0));
        Figures home = rows.get(2).figures();
        assertThat(home.answerRate()).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(home).isEqualTo(new Figures(3, 1, 1, home.answerRate(), 1.0, 90, 90.0, 0, 1, 0));
        response.path("report.totals").entity(Figures.class)
                .isEqualTo(new Figures(7, 4, 3, 4.0 / 7, 0.75, 440, 110.0, 1, 1, 0));
    }

    @Test
    void theSameCallsSplitDifferentlyInUtc() {
        List<Row> rows = report("staff", "UTC", "DAY", "CAMPAIGN", march.seller)
                .path("report.rows").entityList(Row.class).get();

        assertThat(rows).extracting(Row::period, Row::name, row -> row.figures().calls()).containsExactly(
                tuple("2026-03-09", march.fixture.name("auto"), 1.0),
                tuple("2026-03-10", march.fixture.name("auto"), 4.0),
                tuple("2026-03-10", march.fixture.name("home"), 2.0));
    }

    @Test
    void hoursOfAHalfHourZoneAreCountedFromTheCallLogs() {
        long seller = sellerWithCalls("Asia/Kolkata", "2026-03-09T18:29:00Z", "2026-03-09T18:31:00Z");

        List<Row> rows = report("staff", "Asia/Kolkata", "DAY", "CAMPAIGN", seller)
                .path("report.rows").entityList(Row.class).get();

        // 23:59 and 00:01 local: one call on each side of midnight, though both share one UTC hour
        assertThat(rows).extracting(Row::period, row -> row.figures().talkSeconds())
                .containsExactly(tuple("2026-03-09", 61.0), tuple("2026-03-10", 62.0));
    }

    /**
     * A day in a half-hour zone holds 23 whole UTC hours and two halves: the whole ones come from the rollup, and
     * only the hours midnight cuts are counted from call_logs (a year by day in Asia/Kolkata had every call log of
     * the year read, about 2 s for 3,000,000 calls, on the database Asterisk routes with). Shown by buckets with no
     * call log behind them: one in a whole hour is counted, one in a cut hour is not.
     */
    @Test
    void aHalfHourZonesDaysTakeTheirWholeHoursFromTheRollup() {
        long seller = sellerWithCalls("Asia/Kolkata", "2026-03-09T18:29:00Z", "2026-03-09T18:31:00Z");
        // 10:00-11:00 UTC is 15:30-16:30 on 2026-03-10 in Kolkata; 18:00-19:00 UTC is cut by its midnight
        jdbc.update("INSERT INTO call_stats_hourly (dimension, hour_start, seller_id, key_id, calls) "
                + "VALUES ('SELLER', '2026-03-10 10:00Z', ?, ?, 5)", seller, seller);
        jdbc.update("UPDATE call_stats_hourly SET calls = calls + 7 "
                + "WHERE dimension = 'SELLER' AND seller_id = ? AND hour_start = '2026-03-09 18:00Z'", seller);
        try {
            List<Row> rows = report("staff", "Asia/Kolkata", "DAY", "SELLER", seller)
                    .path("report.rows").entityList(Row.class).get();

            assertThat(rows).extracting(Row::period, row -> row.figures().calls())
                    .containsExactly(tuple("2026-03-09", 1.0), tuple("2026-03-10", 6.0));
        }
        finally {
            jdbc.update("DELETE FROM call_stats_hourly WHERE dimension = 'SELLER' AND seller_id = ? "
                    + "AND hour_start = '2026-03-10 10:00Z'", seller);
            jdbc.update("UPDATE call_stats_hourly SET calls = calls - 7 "
                    + "WHERE dimension = 'SELLER' AND seller_id = ? AND hour_start = '2026-03-09 18:00Z'", seller);
        }
    }

    /** The night clocks go back, 01:00-02:00 happens twice in New York: two hours, told apart by their offsets. */
    @Test
    void theHourThatHappensTwiceIsLabelledWithItsOffset() {
        long seller = sellerWithCalls("America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z",
                "2026-11-01T07:30:00Z");

        List<Row> rows = graphQl.as("staff").documentName("report").variable("from", "2026-11-01")
                .variable("to", "2026-11-01").variable("timeZone", "America/New_York").variable("groupBy", "HOUR")
                .variable("by", "CAMPAIGN").variable("sellerId", String.valueOf(seller)).execute()
                .path("report.rows").entityList(Row.class).get();

        assertThat(rows).extracting(Row::period, row -> row.figures().talkSeconds()).containsExactly(
                tuple("2026-11-01T01:00-04:00", 61.0), tuple("2026-11-01T01:00-05:00", 62.0),
                tuple("2026-11-01T02:00", 63.0));
    }

    /**
     * The Azores go back from 01:00 +00:00 to 00:00 -01:00 on 2026-10-25: midnight happens twice, and the day starts
     * at the first (00:00 UTC), where cap windows start it too. A call at 00:30 UTC is in that day either way; the
     * period's start instant was the second midnight, 01:00 UTC, after the call.
     */
    @Test
    void aDayWhoseMidnightHappensTwiceStartsAtTheFirst() {
        long seller = sellerWithCalls("Atlantic/Azores", "2026-10-25T00:30:00Z", "2026-10-26T12:00:00Z");

        List<Row> rows = graphQl.as("staff").documentName("report").variable("from", "2026-10-25")
                .variable("to", "2026-10-26").variable("timeZone", "Atlantic/Azores").variable("groupBy", "DAY")
                .variable("by", "SELLER").variable("sellerId", String.valueOf(seller)).execute()
                .path("report.rows").entityList(Row.class).get();

        assertThat(rows).extracting(Row::period, Row::periodStart).containsExactly(
                tuple("2026-10-25", "2026-10-25T00:00:00Z"), tuple("2026-10-26", "2026-10-26T01:00:00Z"));
    }

    @Test
    void aSellerSeesOnlyItsOwnNumbersWhicheverSellerItAsksFor() {
        List<Row> rows = report(march.fixture.username("other"), "America/New_York", "DAY", "SELLER", march.seller)
                .path("report.rows").entityList(Row.class).get();

        assertThat(rows).extracting(Row::key, Row::name, row -> row.figures().calls()).containsExactly(
                tuple(String.valueOf(march.other), march.fixture.name("other"), 1.0),
                tuple(String.valueOf(march.other), march.fixture.name("other"), 1.0));
    }

    @Test
    void theDemoSellerSeesItsDemoWeek() {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String weekAgo = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(8).toString();

        GraphQlTester.Response response = graphQl.as("seller1").documentName("report").variable("from", weekAgo)
                .variable("to", today).variable("by", "SELLER").execute();

        assertThat(response.path("report.rows[*].name").entityList(String.class).get()).hasSizeGreaterThan(1)
                .containsOnly("Acme Leads");
        assertThat(response.path("report.totals.calls").entity(Double.class).get()).isPositive();
    }

    @Test
    void anUnknownTimeZoneIsABadRequestNamingTheField() {
        graphQl.as("staff").documentName("report").variable("from", "2026-03-09").variable("to", "2026-03-10")
                .variable("timeZone", "Mars/Olympus").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "timeZone".equals(error.getExtensions().get("field")))
                .verify();
    }

    @Test
    void aRangeEndingBeforeItStartsIsRefused() {
        graphQl.as("staff").documentName("report").variable("from", "2026-03-10").variable("to", "2026-03-09")
                .execute().errors().expect(error -> "to".equals(error.getExtensions().get("field"))).verify();
    }

    /** Hours of a year by DID could be millions of rows in memory: an hourly report covers a month at most. */
    @Test
    void anHourlyReportCoversAMonthAtMostAndADailyOneAYear() {
        graphQl.as("staff").documentName("report").variable("from", "2026-01-01").variable("to", "2026-02-01")
                .variable("groupBy", "HOUR").variable("by", "DID").execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "to".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("grouped by HOUR covers at most 31 days"))
                .verify();
        graphQl.as("staff").documentName("report").variable("from", "2026-01-01").variable("to", "2026-01-31")
                .variable("groupBy", "HOUR").variable("by", "DID").execute().errors().verify();
        graphQl.as("staff").documentName("report").variable("from", "2026-01-01").variable("to", "2027-01-02")
                .variable("groupBy", "DAY").execute().errors()
                .expect(error -> "to".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("at most 366 days"))
                .verify();
        graphQl.as("staff").documentName("report").variable("from", "2026-01-01").variable("to", "2027-01-01")
                .variable("groupBy", "DAY").execute().errors().verify();
    }

    /**
     * A report is held in memory whole: one of more rows than capconduit.reports.max-rows (5,000 in tests) is
     * refused, saying how to narrow it; the same calls in fewer rows are answered.
     */
    @Test
    void aReportOfMoreRowsThanAllowedIsRefusedSayingHowToNarrowIt() {
        long seller = new ReportFixture(jdbc).sellerWithACallEveryHourOfJuly2031(7);   // 7 × 744 = 5,208 rows

        graphQl.as("staff").documentName("report").variable("from", "2031-07-01").variable("to", "2031-07-31")
                .variable("groupBy", "HOUR").variable("by", "DID").variable("sellerId", String.valueOf(seller))
                .execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "to".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("more than 5000 rows")
                        && error.getMessage().contains("group by DAY"))
                .verify();
        GraphQlTester.Response byCampaign = graphQl.as("staff").documentName("report").variable("from", "2031-07-01")
                .variable("to", "2031-07-31").variable("groupBy", "HOUR").variable("by", "CAMPAIGN")
                .variable("sellerId", String.valueOf(seller)).execute();
        assertThat(byCampaign.path("report.rows").entityList(Row.class).get()).hasSize(744);
        assertThat(byCampaign.path("report.totals.calls").entity(Double.class).get()).isEqualTo(7 * 744.0);
    }

    /**
     * A year at the platform's design rate holds more calls than a 32-bit Int: counts are Floats, as talk seconds
     * are, not an error that nulls the whole report. The rollup row is made up (and removed again).
     */
    @Test
    void countsBeyondA32BitIntAreAnswered() {
        long seller = new ReportFixture(jdbc).seller("billions", "UTC");
        jdbc.update("INSERT INTO call_stats_hourly (dimension, hour_start, seller_id, key_id, calls, answered, billable, "
                + "rejected_cap) VALUES ('SELLER', '2031-01-01 00:00Z', ?, ?, 3000000000, 2500000000, 2200000000, "
                + "2147483648)", seller, seller);
        try {
            GraphQlTester.Response response = graphQl.as("staff").documentName("report").variable("from", "2031-01-01")
                    .variable("to", "2031-01-01").variable("by", "SELLER").variable("sellerId", String.valueOf(seller))
                    .execute();

            response.path("report.totals.calls").entity(Double.class).isEqualTo(3.0E9);
            response.path("report.rows[0].figures").entity(Figures.class)
                    .isEqualTo(new Figures(3.0E9, 2.5E9, 2.2E9, 2.5 / 3, 0.88, 0, 0.0, 2147483648.0, 0, 0));
        }
        finally {
            jdbc.update("DELETE FROM call_stats_hourly WHERE seller_id = ?", seller);
        }
    }

    /** A seller in {@code zone} with one campaign, DID and buyer, and an answered call at each instant: 61 s, 62 s, ... */
    private long sellerWithCalls(String zone, String... starts) {
        ReportFixture fixture = new ReportFixture(jdbc);
        long seller = fixture.seller("calls", zone);
        long campaign = fixture.campaign(seller, "c");
        long did = fixture.did(seller, campaign);
        long client = fixture.client("b", zone);
        for (int i = 0; i < starts.length; i++) {
            fixture.answered(NewYorkMarchScenario.at(starts[i]), seller, campaign, did, client, 61 + i, true);
        }
        return seller;
    }

    private GraphQlTester.Response report(String user, String timeZone, String groupBy, String by, long sellerId) {
        return graphQl.as(user).documentName("report").variable("from", "2026-03-09").variable("to", "2026-03-10")
                .variable("timeZone", timeZone).variable("groupBy", groupBy).variable("by", by)
                .variable("sellerId", String.valueOf(sellerId)).execute();
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    record Row(String period, String periodStart, String key, String name, Figures figures) {
    }

    /** Counts are Floats in the schema (they outgrow a 32-bit Int). */
    record Figures(double calls, double answered, double billable, Double answerRate, Double conversionRate,
            double talkSeconds, Double averageTalkSeconds, double rejectedByCap, double rejectedBySchedule,
            double rejectedNoTarget) {
    }
}
