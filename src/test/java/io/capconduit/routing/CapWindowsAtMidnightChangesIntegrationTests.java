package io.capconduit.routing;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cap windows of buyers in zones whose clocks change at midnight (Atlantic/Azores, America/Havana). On the fall-back
 * day local midnight happens twice: the day (and on the 1st the month) starts at the first one, as the day before
 * ends there; the window used to start at the second, an hour late. On the spring-forward day midnight does not
 * happen: the day starts at the change. The 2026 dates are tzdata's ({@link #theDatesTestedAreTzdatasChanges}).
 * Rolls run in a transaction of their own, rolled back, as in {@link CapResetIntegrationTests}.
 */
@IntegrationTest
class CapWindowsAtMidnightChangesIntegrationTests {

    private static final String AZORES = "Atlantic/Azores";
    private static final String HAVANA = "America/Havana";

    @Autowired
    CapWindowMapper capWindows;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theDatesTestedAreTzdatasChanges() {
        // java.time's tzdata, and PostgreSQL's: the local time just before and at each change
        assertChange(AZORES, "2026-03-29T01:00:00Z", "2026-03-28T23:59:59", "2026-03-29T01:00");    // no midnight
        assertChange(AZORES, "2026-10-25T01:00:00Z", "2026-10-25T00:59:59", "2026-10-25T00:00");    // midnight twice
        assertChange(HAVANA, "2026-03-08T05:00:00Z", "2026-03-07T23:59:59", "2026-03-08T01:00");
        assertChange(HAVANA, "2026-11-01T05:00:00Z", "2026-11-01T00:59:59", "2026-11-01T00:00");
    }

    @Test
    @Transactional
    void azoresDaysStartAtTheFirstMidnightOfTheFallBackDay() {
        long daily = setting(AZORES, "DAY");
        assertRoll(daily, "2026-10-24T23:59:59Z", "2026-10-24T00:00:00Z", true);
        assertRoll(daily, "2026-10-25T00:00:00Z", "2026-10-25T00:00:00Z", true);    // 00:00 +00:00, the first
        assertRoll(daily, "2026-10-25T01:30:00Z", "2026-10-25T00:00:00Z", false);   // 00:30 -01:00, again
        assertRoll(daily, "2026-10-26T00:59:59Z", "2026-10-25T00:00:00Z", false);   // a 25-hour day
        assertRoll(daily, "2026-10-26T01:00:00Z", "2026-10-26T01:00:00Z", true);
    }

    @Test
    @Transactional
    void azoresDaysStartAtTheChangeOnTheDayWithoutMidnight() {
        long daily = setting(AZORES, "DAY");
        assertRoll(daily, "2026-03-29T00:59:59Z", "2026-03-28T01:00:00Z", true);    // 23:59:59 -01:00
        assertRoll(daily, "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z", true);    // 01:00 +00:00
        assertRoll(daily, "2026-03-29T23:59:59Z", "2026-03-29T01:00:00Z", false);   // a 23-hour day
        assertRoll(daily, "2026-03-30T00:00:00Z", "2026-03-30T00:00:00Z", true);
    }

    @Test
    @Transactional
    void havanaDaysStartAtTheFirstMidnightOfTheFallBackDay() {
        long daily = setting(HAVANA, "DAY");
        assertRoll(daily, "2026-11-01T03:59:59Z", "2026-10-31T04:00:00Z", true);
        assertRoll(daily, "2026-11-01T04:00:00Z", "2026-11-01T04:00:00Z", true);    // 00:00 -04:00, the first
        assertRoll(daily, "2026-11-01T05:30:00Z", "2026-11-01T04:00:00Z", false);   // 00:30 -05:00, again
        assertRoll(daily, "2026-11-02T04:59:59Z", "2026-11-01T04:00:00Z", false);
        assertRoll(daily, "2026-11-02T05:00:00Z", "2026-11-02T05:00:00Z", true);
    }

    /** In 2026 Havana's fall-back day is November 1st: the month starts at its first midnight too. */
    @Test
    @Transactional
    void havanasNovemberStartsAtTheFirstMidnightOfItsFallBackFirst() {
        long monthly = setting(HAVANA, "MONTH");
        assertRoll(monthly, "2026-11-01T03:59:59Z", "2026-10-01T04:00:00Z", true);
        assertRoll(monthly, "2026-11-01T04:00:00Z", "2026-11-01T04:00:00Z", true);
        assertRoll(monthly, "2026-11-01T05:30:00Z", "2026-11-01T04:00:00Z", false);
        assertRoll(monthly, "2026-12-01T05:00:00Z", "2026-12-01T05:00:00Z", true);
    }

    @Test
    @Transactional
    void havanaDaysStartAtTheChangeOnTheDayWithoutMidnight() {
        long daily = setting(HAVANA, "DAY");
        assertRoll(daily, "2026-03-08T04:59:59Z", "2026-03-07T05:00:00Z", true);
        assertRoll(daily, "2026-03-08T05:00:00Z", "2026-03-08T05:00:00Z", true);    // 01:00 -04:00
        assertRoll(daily, "2026-03-09T03:59:59Z", "2026-03-08T05:00:00Z", false);
        assertRoll(daily, "2026-03-09T04:00:00Z", "2026-03-09T04:00:00Z", true);
    }

    @Test
    @Transactional
    void hoursFollowTheClockThroughTheRepeatedAndTheSkippedMidnightHour() {
        long azores = setting(AZORES, "HOUR");
        long havana = setting(HAVANA, "HOUR");
        assertRoll(azores, "2026-03-29T00:59:59Z", "2026-03-29T00:00:00Z", true);   // 23:00 -01:00
        assertRoll(azores, "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z", true);   // 01:00 +00:00
        assertRoll(azores, "2026-10-25T00:30:00Z", "2026-10-25T00:00:00Z", true);   // 00:30 +00:00
        assertRoll(azores, "2026-10-25T01:30:00Z", "2026-10-25T01:00:00Z", true);   // 00:30 -01:00
        assertRoll(havana, "2026-11-01T04:30:00Z", "2026-11-01T04:00:00Z", true);   // 00:30 -04:00
        assertRoll(havana, "2026-11-01T05:30:00Z", "2026-11-01T05:00:00Z", true);   // 00:30 -05:00
    }

    /**
     * Around every change from 2024 to 2030 (java.time's rules), each window starts where java.time's local hour,
     * day and month start ({@code atStartOfDay}: the first instant of the local date).
     */
    @ParameterizedTest
    @ValueSource(strings = { AZORES, HAVANA })
    void windowsStartWhereJavaTimesLocalHoursDaysAndMonthsStart(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        List<Instant> probes = probesAroundChanges(zone, Instant.parse("2024-01-01T00:00:00Z"),
                Instant.parse("2031-01-01T00:00:00Z"));
        assertThat(probes).hasSizeGreaterThan(100);

        assertWindows(zoneName, "HOUR", probes, at -> at.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant());
        assertWindows(zoneName, "DAY", probes, at -> at.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant());
        assertWindows(zoneName, "MONTH", probes,
                at -> at.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant());
    }

    private void assertChange(String zone, String at, String localBefore, String localAt) {
        Instant change = Instant.parse(at);
        ZoneOffsetTransition transition = ZoneId.of(zone).getRules().previousTransition(change.plusSeconds(1));
        assertThat(transition.getInstant()).as("java.time's change in %s", zone).isEqualTo(change);
        assertThat(jdbc.queryForList("SELECT to_char(at AT TIME ZONE ?, 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM unnest(ARRAY["
                + "?::timestamptz - interval '1 second', ?::timestamptz]) at", String.class, zone, at, at))
                .as("PostgreSQL's local times around %s in %s", at, zone)
                .containsExactly(localBefore, localAt + ":00");
    }

    /** In each local day from the one before a change to the one after: its start, +30 min, +90 min, noon, its end. */
    private static List<Instant> probesAroundChanges(ZoneId zone, Instant from, Instant to) {
        ZoneRules rules = zone.getRules();
        TreeSet<LocalDate> days = new TreeSet<>();
        for (ZoneOffsetTransition t = rules.nextTransition(from); t != null && t.getInstant().isBefore(to);
                t = rules.nextTransition(t.getInstant())) {
            LocalDate day = t.getDateTimeBefore().toLocalDate();
            Collections.addAll(days, day.minusDays(1), day, day.plusDays(1));
        }
        List<Instant> probes = new ArrayList<>();
        for (LocalDate day : days) {
            Instant start = day.atStartOfDay(zone).toInstant();
            Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
            Collections.addAll(probes, start, start.plusSeconds(1_800), start.plusSeconds(5_400),
                    ZonedDateTime.of(day.atTime(12, 0), zone).toInstant(), end.minusSeconds(1));
        }
        return probes;
    }

    private void assertWindows(String zone, String period, List<Instant> probes, Function<Instant, Instant> expected) {
        List<Instant> actual = jdbc.queryForList("SELECT cap_window_start(?, ?, at) FROM unnest(?::timestamptz[]) "
                + "WITH ORDINALITY p(at, n) ORDER BY n", Timestamp.class, period, zone,
                probes.stream().map(Instant::toString).toArray(String[]::new))
                .stream().map(Timestamp::toInstant).toList();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Instant want = expected.apply(probes.get(i));
            if (!want.equals(actual.get(i))) {
                mismatches.add(probes.get(i) + ": " + actual.get(i) + ", not " + want);
            }
        }
        assertThat(mismatches).as("%s windows in %s", period, zone).isEmpty();
    }

    /** Every window due at {@code at}, batch after batch as capResetJob's step goes, in the test's transaction. */
    private void rollWindowsAt(OffsetDateTime at) {
        long afterId = 0;
        List<Long> batch;
        do {
            batch = capWindows.rollBatch(at, afterId, CapWindowMapper.BATCH_SIZE);
            afterId = batch.isEmpty() ? afterId : Collections.max(batch);
        } while (batch.size() == CapWindowMapper.BATCH_SIZE);
    }

    private void assertRoll(long setting, String at, String windowStart, boolean reset) {
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 7 WHERE id = ?", setting);

        rollWindowsAt(OffsetDateTime.parse(at));

        var row = jdbc.queryForMap("SELECT cap_used, cap_window_start FROM campaign_client_settings WHERE id = ?",
                setting);
        assertThat(((Timestamp) row.get("cap_window_start")).toInstant()).as("window at %s", at)
                .isEqualTo(Instant.parse(windowStart));
        assertThat(row.get("cap_used")).as("cap_used at %s", at).isEqualTo(reset ? 0 : 7);
    }

    private long setting(String timeZone, String period) {
        String name = "cap-midnight-" + UUID.randomUUID();
        long client = jdbc.queryForObject("INSERT INTO clients (name, time_zone, endpoint, sip_host) "
                + "VALUES (?, ?, ?, 'sbc.example') RETURNING id", Long.class, name, timeZone, name);
        return jdbc.queryForObject("""
                WITH c AS (INSERT INTO campaigns (seller_id, name) SELECT id, ? FROM sellers WHERE name = 'Acme Leads'
                           RETURNING id)
                INSERT INTO campaign_client_settings (campaign_id, client_id, total_cap, cap_period)
                SELECT c.id, ?, 10, ? FROM c RETURNING id""", Long.class, name, client, period);
    }
}
