package io.capconduit.routing;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.routing.InboundDialplan.Call;
import io.capconduit.support.IntegrationTest;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole inbound calls through the dialplan's func_odbc statements against the real schema. */
@IntegrationTest
class InboundRoutingIntegrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BatchJobLauncher launcher;

    RoutingFixtures fixtures;
    FuncOdbc odbc;
    InboundDialplan dialplan;

    @BeforeEach
    void setUp() {
        fixtures = new RoutingFixtures(jdbc);
        odbc = new FuncOdbc(dataSource);
        dialplan = new InboundDialplan(odbc);
    }

    @Test
    void priorityFailsOverInOrderAndReleasesEveryClaim() {
        var campaign = fixtures.campaign("PRIORITY");
        String first = fixtures.client("UTC");
        String second = fixtures.client("UTC");
        String third = fixtures.client("UTC");
        long s3 = fixtures.setting(campaign.id(), third, 3, 1);
        long s1 = fixtures.setting(campaign.id(), first, 1, 1);
        long s2 = fixtures.setting(campaign.id(), second, 2, 1);

        String uid = uid();
        Call call = dialplan.call(campaign.did(), uid, endpoint -> "BUSY");

        // the claims' call uid is the unique id as the CDR carries it, systemname dash included
        assertThat(call.uid).isEqualTo(uid).contains("-");
        assertThat(call.tried).containsExactly(first, second, third);
        assertThat(call.cdr).containsEntry("route_status", "UNROUTED").containsEntry("unrouted_reason", "ALL_FAILED")
                .containsEntry("targets_tried", "3").containsEntry("did", campaign.did())
                .containsEntry("campaign_id", String.valueOf(campaign.id()))
                .containsEntry("seller_id", String.valueOf(campaign.sellerId()))
                .containsEntry("strategy", "PRIORITY");
        assertThat(call.hangupCause).isEqualTo(34);
        assertThat(List.of(fixtures.inFlight(s1), fixtures.inFlight(s2), fixtures.inFlight(s3))).containsOnly(0);
        assertThat(jdbc.queryForList("SELECT status || '/' || release_reason FROM route_claims WHERE call_uid = ? "
                + "ORDER BY id", String.class, call.uid)).containsExactly("RELEASED/BUSY", "RELEASED/BUSY",
                        "RELEASED/BUSY");
    }

    /**
     * A buyer that registers several phones (maxContacts) has every one rung at once: Dial(PJSIP/endpoint) rings the
     * first contact of its AOR alone, so the call would fail over to the next buyer while the others stood idle. A buyer
     * with nothing reachable (no phone registered, its SBC not answering OPTIONS) is skipped as unavailable, its claim
     * released, without a Dial: Asterisk refuses a Dial with nothing to call and hangs the call up.
     */
    @Test
    void everyPhoneABuyerRegisteredRingsAndABuyerWithNoneIsSkipped() {
        var campaign = fixtures.campaign("PRIORITY");
        String unreachable = fixtures.client("UTC");
        String phones = fixtures.client("UTC");
        long s1 = fixtures.setting(campaign.id(), unreachable, 1, 1);
        long s2 = fixtures.setting(campaign.id(), phones, 2, 1);
        Map<String, List<String>> registered = Map.of(phones,
                List.of("sip:desk@192.0.2.21:5060", "sip:mobile@192.0.2.22:5061;transport=tcp"));

        Call call = dialplan.contacts(endpoint -> registered.getOrDefault(endpoint, List.of()))
                .call(campaign.did(), uid(), endpoint -> "ANSWER");

        assertThat(call.rang).containsExactly("PJSIP/" + phones + "/sip:desk@192.0.2.21:5060",
                "PJSIP/" + phones + "/sip:mobile@192.0.2.22:5061;transport=tcp");
        assertThat(call.answered).isEqualTo(phones);
        assertThat(call.cdr).containsEntry("route_status", "ROUTED").containsEntry("targets_tried", "2")
                .containsEntry("setting_id", String.valueOf(s2));
        assertThat(jdbc.queryForList("SELECT setting_id || '/' || status || '/' || coalesce(release_reason, '') "
                + "FROM route_claims WHERE call_uid = ? ORDER BY id", String.class, call.uid))
                .containsExactly(s1 + "/RELEASED/CHANUNAVAIL", s2 + "/ANSWERED/");
        call.hangup();
        assertThat(List.of(fixtures.inFlight(s1), fixtures.inFlight(s2))).containsOnly(0);
    }

    /** ODBC_ROUTE_CALL starts a call in one round trip: its DID's facts, its buyers, the first of them claimed. */
    @Test
    void theFirstRoundTripClaimsTheFirstBuyerAndListsTheFailover() {
        var campaign = fixtures.campaign("PRIORITY");
        String first = fixtures.client("UTC");
        String second = fixtures.client("UTC");
        long s2 = fixtures.setting(campaign.id(), second, 2, 1);
        long s1 = fixtures.setting(campaign.id(), first, 1, 1);
        String uid = uid();

        List<List<String>> rows = odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid);

        long didId = jdbc.queryForObject("SELECT id FROM dids WHERE number = ?", Long.class, campaign.did());
        List<String> facts = List.of("ROUTED", "" + didId, campaign.did(), "" + campaign.sellerId(),
                "" + campaign.id(), "PRIORITY", "20");
        assertThat(rows).extracting(row -> row.subList(0, 7)).containsExactly(facts, facts);
        assertThat(rows).extracting(row -> row.subList(7, 10)).containsExactly(
                List.of("" + s1, "" + fixtures.clientId(first), first),
                List.of("" + s2, "" + fixtures.clientId(second), second));
        // only the first is held for the call; the second is claimed if the first does not answer
        assertThat(List.of(fixtures.inFlight(s1), fixtures.inFlight(s2))).containsExactly(1, 0);
        assertThat(jdbc.queryForList("SELECT setting_id FROM route_claims WHERE call_uid = ? AND status = 'CLAIMED'",
                Long.class, uid)).containsExactly(s1);
    }

    /** A buyer with no room left is not offered, and the call is claimed on the next one in order. */
    @Test
    void theFirstRoundTripSkipsABuyerThatIsFull() {
        var campaign = fixtures.campaign("PRIORITY");
        long full = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long open = fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1);
        jdbc.update("UPDATE campaign_client_settings SET max_concurrent = 1 WHERE id = ?", full);
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).first()
                .satisfies(row -> assertThat(row.get(7)).isEqualTo(String.valueOf(full)));

        List<List<String>> rows = odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid());

        assertThat(rows).extracting(row -> row.get(7)).containsExactly(String.valueOf(open));
        assertThat(List.of(fixtures.inFlight(full), fixtures.inFlight(open))).containsExactly(1, 1);
    }

    /**
     * A campaign with more buyers than one candidate list holds (func_odbc fetches at most 51 rows of ROUTE_CALL):
     * when the first fifty ring busy, the call goes on to the others, each rung once.
     */
    @Test
    void aCallReachesTheBuyersPastTheFirstFifty() {
        var campaign = fixtures.campaign("PRIORITY");
        List<String> buyers = buyers(campaign.id(), 120);
        String last = buyers.get(119);

        Call call = dialplan.call(campaign.did(), uid(), endpoint -> endpoint.equals(last) ? "ANSWER" : "BUSY");

        assertThat(call.tried).containsExactlyElementsOf(buyers);
        assertThat(call.answered).isEqualTo(last);
        assertThat(call.cdr).containsEntry("route_status", "ROUTED").containsEntry("targets_tried", "120");
        call.hangup();
        assertThat(jdbc.queryForObject("SELECT sum(in_flight) FROM campaign_client_settings WHERE campaign_id = ?",
                Integer.class, campaign.id())).isZero();
    }

    /** Every buyer rung and none answered: each of them once, then ALL_FAILED. */
    @Test
    void aCallRingsEveryBuyerOfALargeCampaignOnceBeforeGivingUp() {
        var campaign = fixtures.campaign("WEIGHTED");
        List<String> buyers = buyers(campaign.id(), 60);

        Call call = dialplan.call(campaign.did(), uid(), endpoint -> "NOANSWER");

        assertThat(call.tried).containsExactlyInAnyOrderElementsOf(buyers);
        assertThat(call.cdr).containsEntry("unrouted_reason", "ALL_FAILED").containsEntry("targets_tried", "60");
        assertThat(call.hangupCause).isEqualTo(34);
    }

    /**
     * The first fifty buyers fill up while the first one rings (other calls take their last slots): the failover
     * finds the free buyer past them instead of giving up.
     */
    @Test
    void aFailoverPastFiftyFullBuyersReachesAFreeOne() {
        var campaign = fixtures.campaign("PRIORITY");
        List<String> buyers = buyers(campaign.id(), 55);
        String first = buyers.get(0);
        Call call = dialplan.call(campaign.did(), uid(), endpoint -> {
            if (endpoint.equals(first)) {
                jdbc.update("UPDATE campaign_client_settings SET max_concurrent = 0 WHERE campaign_id = ? "
                        + "AND priority BETWEEN 2 AND 51", campaign.id());
                return "NOANSWER";
            }
            return "ANSWER";
        });

        assertThat(call.tried).containsExactly(first, buyers.get(51));
        assertThat(call.answered).isEqualTo(buyers.get(51));
    }

    /**
     * ROUTE_MORE lists the buyers the call has not rung, the first claimed; it keeps the call in the campaign it
     * started in, and reads whatever it is handed as values.
     */
    @Test
    void theNextListLeavesOutTheBuyersRungAndStaysInTheCallsCampaign() {
        var campaign = fixtures.campaign("PRIORITY");
        List<String> buyers = buyers(campaign.id(), 3);
        List<Long> ids = buyers.stream().map(b -> jdbc.queryForObject("SELECT id FROM campaign_client_settings "
                + "WHERE client_id = ?", Long.class, fixtures.clientId(b))).toList();
        String uid = uid();
        String campaignId = String.valueOf(campaign.id());

        List<List<String>> rows = odbc.fetchAll("ODBC_ROUTE_MORE", uid, campaign.did(), campaignId,
                "-" + ids.get(0) + "-" + ids.get(2));

        assertThat(rows).extracting(row -> row.get(7)).containsExactly(String.valueOf(ids.get(1)));
        assertThat(rows.get(0).subList(0, 7)).containsExactly("ROUTED", String.valueOf(jdbc.queryForObject(
                "SELECT id FROM dids WHERE number = ?", Long.class, campaign.did())), campaign.did(),
                String.valueOf(campaign.sellerId()), campaignId, "PRIORITY", "20");
        assertThat(jdbc.queryForList("SELECT setting_id FROM route_claims WHERE call_uid = ? AND released_at IS NULL",
                Long.class, uid)).containsExactly(ids.get(1));
        odbc.value("ODBC_ROUTE_RELEASE", uid, "BUSY");

        // every buyer rung: none left
        assertThat(odbc.fetchAll("ODBC_ROUTE_MORE", uid, campaign.did(), campaignId,
                ids.stream().map(String::valueOf).reduce("", (a, b) -> a + "-" + b))).singleElement()
                .satisfies(row -> assertThat(row.subList(7, 10)).containsOnly(""));
        // the DID moved to another campaign meanwhile: the call gets no buyer of that one
        var other = fixtures.campaign("PRIORITY");
        fixtures.setting(other.id(), fixtures.client("UTC"), 1, 1);
        jdbc.update("UPDATE dids SET campaign_id = ? WHERE number = ?", other.id(), campaign.did());
        assertThat(odbc.fetchAll("ODBC_ROUTE_MORE", uid(), campaign.did(), campaignId, "")).singleElement()
                .satisfies(row -> assertThat(row.get(0)).isEqualTo("NO_CAMPAIGN"))
                .satisfies(row -> assertThat(row.get(7)).isEmpty());
        // hostile values are values
        String hostile = "'; DROP TABLE dids; --";
        assertThat(odbc.fetchAll("ODBC_ROUTE_MORE", hostile, hostile, hostile, hostile)).singleElement()
                .satisfies(row -> assertThat(row.get(0)).isEqualTo("UNKNOWN_DID"));
        assertThat(odbc.fetchAll("ODBC_ROUTE_MORE", uid(), other.did(), String.valueOf(other.id()), hostile + "-x-"))
                .singleElement().satisfies(row -> assertThat(row.get(7)).isNotEmpty());
    }

    /** {@code count} buyers of the campaign, priority 1.. in that order, with room for anything. */
    private List<String> buyers(long campaignId, int count) {
        List<String> buyers = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String buyer = fixtures.client("UTC");
            fixtures.setting(campaignId, buyer, i, 1);
            buyers.add(buyer);
        }
        return buyers;
    }

    @Test
    void samePriorityPrefersTheHeavierWeight() {
        var campaign = fixtures.campaign("PRIORITY");
        String light = fixtures.client("UTC");
        String heavy = fixtures.client("UTC");
        fixtures.setting(campaign.id(), light, 1, 1);
        fixtures.setting(campaign.id(), heavy, 1, 5);

        assertThat(dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER").answered).isEqualTo(heavy);
    }

    @Test
    void anAnsweredCallCountsAsUsedAndStaysInFlightUntilHangup() {
        var campaign = fixtures.campaign("PRIORITY");
        String busy = fixtures.client("UTC");
        String answers = fixtures.client("UTC");
        long busySetting = fixtures.setting(campaign.id(), busy, 1, 1);
        long answerSetting = fixtures.setting(campaign.id(), answers, 2, 1);

        Call call = dialplan.call(campaign.did(), uid(), endpoint -> endpoint.equals(busy) ? "NOANSWER" : "ANSWER");

        assertThat(call.answered).isEqualTo(answers);
        assertThat(call.cdr).containsEntry("route_status", "ROUTED").containsEntry("targets_tried", "2")
                .containsEntry("setting_id", String.valueOf(answerSetting))
                .containsEntry("client_id", String.valueOf(fixtures.clientId(answers)));
        assertThat(fixtures.inFlight(answerSetting)).isEqualTo(1);
        assertThat(fixtures.capUsed(answerSetting)).isEqualTo(1);
        assertThat(fixtures.capUsed(busySetting)).isZero();

        assertThat(call.hangup()).isEqualTo("RELEASED");
        assertThat(odbc.value("ODBC_ROUTE_RELEASE", call.uid, "HANGUP")).as("released again").isEqualTo("NONE");
        assertThat(fixtures.inFlight(answerSetting)).isZero();
        assertThat(fixtures.capUsed(answerSetting)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT status FROM route_claims WHERE call_uid = ? AND setting_id = ?",
                String.class, call.uid, answerSetting)).isEqualTo("ANSWERED");
    }

    @Test
    void aReachedCapSendsTheNextCallToTheNextBuyer() {
        var campaign = fixtures.campaign("PRIORITY");
        String capped = fixtures.client("America/New_York");
        String other = fixtures.client("UTC");
        long cappedSetting = fixtures.setting(campaign.id(), capped, 1, 1, 5, 1, "DAY");
        fixtures.setting(campaign.id(), other, 2, 1);

        dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER").hangup();
        Call second = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");

        assertThat(second.answered).isEqualTo(other);
        assertThat(fixtures.capUsed(cappedSetting)).isEqualTo(1);
    }

    @Test
    void aStaleCapWindowIsRolledByTheClaim() {
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("Asia/Tokyo");
        long setting = fixtures.setting(campaign.id(), buyer, 1, 1, 5, 1, "DAY");
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 1, cap_window_start = now() - interval '3 days' "
                + "WHERE id = ?", setting);

        Call call = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");

        assertThat(call.answered).isEqualTo(buyer);
        assertThat(fixtures.capUsed(setting)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT cap_window_start = cap_window_start('DAY', 'Asia/Tokyo', now()) "
                + "FROM campaign_client_settings WHERE id = ?", Boolean.class, setting)).isTrue();
    }

    @Test
    void aBuyerAtMaxConcurrentIsSkippedWhileItsCallIsUp() {
        var campaign = fixtures.campaign("PRIORITY");
        String single = fixtures.client("UTC");
        String other = fixtures.client("UTC");
        fixtures.setting(campaign.id(), single, 1, 1, 1, null, "DAY");
        fixtures.setting(campaign.id(), other, 2, 1);

        Call first = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");
        Call second = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");
        first.hangup();
        Call third = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");

        assertThat(List.of(first.answered, second.answered, third.answered)).containsExactly(single, other, single);
    }

    @Test
    void aBuyerOutsideItsBusinessHoursIsSkipped() {
        var campaign = fixtures.campaign("PRIORITY");
        String closed = fixtures.client("America/Los_Angeles");
        String open = fixtures.client("Asia/Tokyo");
        fixtures.setting(campaign.id(), closed, 1, 1);
        fixtures.setting(campaign.id(), open, 2, 1);
        // open only on a day that is not today where the buyer is; the other buyer has hours all week
        int tomorrow = ZonedDateTime.now(ZoneId.of("America/Los_Angeles")).plusDays(1).getDayOfWeek().getValue();
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) VALUES (?, ?, "
                + "'00:00', '24:00')", fixtures.clientId(closed), tomorrow);
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) SELECT ?, d, "
                + "'00:00', '24:00' FROM generate_series(1, 7) d", fixtures.clientId(open));

        assertThat(dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER").answered).isEqualTo(open);
    }

    @Test
    void schedulesAreReadInTheClientsTimeZone() {
        var campaign = fixtures.campaign("PRIORITY");
        String tokyo = fixtures.client("Asia/Tokyo");
        fixtures.setting(campaign.id(), tokyo, 1, 1);
        // Monday 09:00-17:00 in Tokyo = Monday 00:00-08:00 UTC
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) VALUES (?, 1, "
                + "'09:00', '17:00')", fixtures.clientId(tokyo));

        assertThat(skipReason(campaign.id(), "2026-11-23T00:30:00Z")).isNull();
        assertThat(skipReason(campaign.id(), "2026-11-23T07:59:00Z")).isNull();
        assertThat(skipReason(campaign.id(), "2026-11-23T08:00:00Z")).isEqualTo("SCHEDULE");
        assertThat(skipReason(campaign.id(), "2026-11-22T23:59:00Z")).isEqualTo("SCHEDULE");
    }

    /** Business hours are found through clients.has_schedule, which follows the client's schedule rows. */
    @Test
    void aBuyerWhoseHoursAreRemovedIsOfferedAgain() {
        var campaign = fixtures.campaign("PRIORITY");
        String tokyo = fixtures.client("Asia/Tokyo");
        long client = fixtures.clientId(tokyo);
        fixtures.setting(campaign.id(), tokyo, 1, 1);
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) VALUES (?, 1, "
                + "'09:00', '17:00'), (?, 2, '09:00', '17:00')", client, client);
        jdbc.update("DELETE FROM client_schedules WHERE client_id = ? AND day_of_week = 1", client);
        assertThat(skipReason(campaign.id(), "2026-11-23T08:00:00Z")).isEqualTo("SCHEDULE");

        // hours moved to another buyer leave this one without any
        long other = fixtures.clientId(fixtures.client("UTC"));
        jdbc.update("UPDATE client_schedules SET client_id = ? WHERE client_id = ?", other, client);

        assertThat(skipReason(campaign.id(), "2026-11-23T08:00:00Z")).isNull();
        assertThat(jdbc.queryForList("SELECT has_schedule FROM clients WHERE id IN (?, ?) ORDER BY id = ?",
                Boolean.class, client, other, other)).containsExactly(false, true);
        jdbc.update("DELETE FROM client_schedules WHERE client_id = ?", other);
        assertThat(jdbc.queryForObject("SELECT has_schedule FROM clients WHERE id = ?", Boolean.class, other))
                .isFalse();
    }

    /**
     * The calls ringing a buyer are counted on its setting (reserved), against its total cap with cap_used: the
     * count follows every way a claim ends, and always equals the buyer's CLAIMED claims.
     */
    @Test
    void theRingingCountFollowsEveryWayAClaimEnds() {
        var campaign = fixtures.campaign("PRIORITY");
        long first = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long second = fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1);
        jdbc.update("UPDATE campaign_client_settings SET total_cap = 3, max_concurrent = 10 WHERE id = ?", first);
        String answered = uid();
        String busy = uid();
        String lostAnswer = uid();
        String failedOver = uid();
        for (String uid : List.of(answered, busy, lostAnswer)) {
            assertThat(odbc.value("ODBC_ROUTE_CLAIM", uid, String.valueOf(first))).isEqualTo("CLAIMED");
        }
        assertThat(reservedMatchesClaims(first)).isEqualTo(3);
        // three ringing fill a cap of three: a fourth call is refused before anyone answers
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", failedOver, String.valueOf(first))).isEqualTo("CAP");

        odbc.value("ODBC_ROUTE_ANSWER", answered);
        assertThat(reservedMatchesClaims(first)).isEqualTo(2);
        odbc.value("ODBC_ROUTE_RELEASE", busy, "BUSY");
        assertThat(reservedMatchesClaims(first)).isEqualTo(1);
        odbc.value("ODBC_ROUTE_RELEASE", lostAnswer, "ANSWERED_HANGUP");
        assertThat(reservedMatchesClaims(first)).isZero();
        assertThat(fixtures.capUsed(first)).isEqualTo(2);
        odbc.value("ODBC_ROUTE_RELEASE", answered, "ANSWERED_HANGUP");
        assertThat(reservedMatchesClaims(first)).isZero();
        // two used and none ringing leave room for one more
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", failedOver, String.valueOf(first))).isEqualTo("CLAIMED");
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", failedOver, String.valueOf(second))).isEqualTo("CLAIMED");
        assertThat(List.of(reservedMatchesClaims(first), reservedMatchesClaims(second))).containsExactly(0, 1);
        odbc.value("ODBC_ROUTE_RELEASE", failedOver, "HANGUP");
        assertThat(List.of(reservedMatchesClaims(first), reservedMatchesClaims(second))).containsExactly(0, 0);
        assertThat(List.of(fixtures.inFlight(first), fixtures.inFlight(second))).containsExactly(0, 0);
    }

    private int reservedMatchesClaims(long setting) {
        int reserved = jdbc.queryForObject("SELECT reserved FROM campaign_client_settings WHERE id = ?",
                Integer.class, setting);
        assertThat(reserved).as("reserved of setting %d", setting).isEqualTo(jdbc.queryForObject(
                "SELECT count(*)::int FROM route_claims WHERE setting_id = ? AND status = 'CLAIMED'", Integer.class,
                setting));
        return reserved;
    }

    private String skipReason(long campaign, String at) {
        return jdbc.queryForObject("SELECT skip_reason FROM route_evaluate(?, ?::timestamptz)", String.class,
                campaign, at);
    }

    @Test
    void theCarriersNumberFormatsAllReachTheDid() {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        String digits = campaign.did().substring(1);

        for (String exten : List.of(campaign.did(), digits, digits.substring(1), "00" + digits)) {
            Call call = dialplan.call(exten, uid(), endpoint -> "ANSWER");
            assertThat(call.answered).as(exten).isNotNull();
            call.hangup();
        }
    }

    @Test
    void unknownInactiveAndUnassignedDidsAreRejectedWithAReason() {
        var campaign = fixtures.campaign("PRIORITY");
        String inactive = fixtures.did(campaign.sellerId(), campaign.id());
        jdbc.update("UPDATE dids SET active = false WHERE number = ?", inactive);
        String unassigned = fixtures.did(campaign.sellerId(), null);

        assertUnrouted(dialplan.call("+15550000000", uid(), endpoint -> "ANSWER"), "UNKNOWN_DID", 1);
        // a number no extension of [from-pstn] matches never reaches the dialplan: chan_pjsip answers 404 itself
        assertThat(dialplan.call("anonymous", uid(), endpoint -> "ANSWER").notFound).isTrue();
        assertUnrouted(dialplan.call(inactive, uid(), endpoint -> "ANSWER"), "INACTIVE_DID", 1);
        assertUnrouted(dialplan.call(unassigned, uid(), endpoint -> "ANSWER"), "NO_CAMPAIGN", 1);
        assertUnrouted(dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER"), "NO_TARGET", 34);
    }

    /**
     * A call no buyer can take says why, for the reports' "rejected by cap" and "rejected by schedule": a buyer in
     * service was full (CAPPED), or every one was closed (SCHEDULE); none in service is NO_TARGET.
     */
    @Test
    void aCallNoBuyerCanTakeSaysWhetherItsBuyerWasFullOrClosed() {
        var capped = fixtures.campaign("PRIORITY");
        String full = fixtures.client("UTC");
        fixtures.setting(capped.id(), full, 1, 1, 1000, 0, "DAY");
        String closedLater = fixtures.client("UTC");
        long closedSetting = fixtures.setting(capped.id(), closedLater, 2, 1);
        closeToday(fixtures.clientId(closedLater));
        var closed = fixtures.campaign("PRIORITY");
        String shut = fixtures.client("UTC");
        fixtures.setting(closed.id(), shut, 1, 1);
        closeToday(fixtures.clientId(shut));
        var busy = fixtures.campaign("PRIORITY");
        fixtures.setting(busy.id(), fixtures.client("UTC"), 1, 1, 0, null, "DAY");
        var fullAndClosed = fixtures.campaign("WEIGHTED");   // a random order: the reason must not depend on it
        fixtures.setting(fullAndClosed.id(), fixtures.client("UTC"), 1, 1, 1000, 0, "DAY");
        String closedToo = fixtures.client("UTC");
        fixtures.setting(fullAndClosed.id(), closedToo, 1, 1000);
        closeToday(fixtures.clientId(closedToo));
        var outOfService = fixtures.campaign("PRIORITY");
        long paused = fixtures.setting(outOfService.id(), fixtures.client("UTC"), 1, 1);
        jdbc.update("UPDATE campaign_client_settings SET active = false WHERE id IN (?, ?)", paused, closedSetting);

        assertUnrouted(dialplan.call(capped.did(), uid(), endpoint -> "ANSWER"), "CAPPED", 34);
        assertUnrouted(dialplan.call(closed.did(), uid(), endpoint -> "ANSWER"), "SCHEDULE", 34);
        assertUnrouted(dialplan.call(busy.did(), uid(), endpoint -> "ANSWER"), "CAPPED", 34);
        for (int i = 0; i < 5; i++) {
            assertUnrouted(dialplan.call(fullAndClosed.did(), uid(), endpoint -> "ANSWER"), "CAPPED", 34);
        }
        assertUnrouted(dialplan.call(outOfService.did(), uid(), endpoint -> "ANSWER"), "NO_TARGET", 34);
    }

    /** A failover buyer that closed while the earlier ones rang is not dialed: its hours are read again. */
    @Test
    void aFailoverBuyerThatClosedMeanwhileIsSkipped() {
        var campaign = fixtures.campaign("PRIORITY");
        String first = fixtures.client("UTC");
        String closesMeanwhile = fixtures.client("UTC");
        fixtures.setting(campaign.id(), first, 1, 1);
        long closing = fixtures.setting(campaign.id(), closesMeanwhile, 2, 1);

        Call call = dialplan.call(campaign.did(), uid(), endpoint -> {
            if (endpoint.equals(first)) {
                closeToday(fixtures.clientId(closesMeanwhile));   // its hours end while the first buyer rings
                return "NOANSWER";
            }
            return "ANSWER";
        });

        assertThat(call.tried).containsExactly(first);
        assertThat(call.cdr).containsEntry("unrouted_reason", "ALL_FAILED");
        assertThat(fixtures.inFlight(closing)).isZero();
    }

    /** Hours only on a day that is not today where the buyer is (UTC). */
    private void closeToday(long clientId) {
        int tomorrow = ZonedDateTime.now(ZoneId.of("UTC")).plusDays(1).getDayOfWeek().getValue();
        jdbc.update("INSERT INTO client_schedules (client_id, day_of_week, open_time, close_time) VALUES (?, ?, "
                + "'00:00', '24:00')", clientId, tomorrow);
    }

    /** The database does not answer the call's first round trip: the carrier gets 503, the CDR says DB_ERROR. */
    @Test
    void aCallTheDatabaseCannotRouteIsRefusedAsADatabaseError() {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        jdbc.execute("ALTER FUNCTION route_call(text, text, text, text) RENAME TO route_call_away");
        try {
            Call call = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");

            assertUnrouted(call, "DB_ERROR", 34);
            assertThat(call.cdr).containsEntry("did", campaign.did().substring(1));
        }
        finally {
            jdbc.execute("ALTER FUNCTION route_call_away(text, text, text, text) RENAME TO route_call");
        }
    }

    /**
     * The buyer answers but route_answer fails (a database blip): the claim stays CLAIMED until the call hangs up,
     * and the hangup handler, whose last Dial was answered, has the release count the answer after all. An
     * answer route_answer did count is never counted twice.
     */
    @Test
    void anAnswerTheDatabaseMissedIsCountedWhenTheCallHangsUp() {
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("UTC");
        long setting = fixtures.setting(campaign.id(), buyer, 1, 1);
        Call call;
        jdbc.execute("ALTER FUNCTION route_answer(text) RENAME TO route_answer_away");
        try {
            call = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");
        }
        finally {
            jdbc.execute("ALTER FUNCTION route_answer_away(text) RENAME TO route_answer");
        }
        assertThat(call.answered).isEqualTo(buyer);
        assertThat(fixtures.capUsed(setting)).isZero();

        assertThat(call.hangup()).isEqualTo("RELEASED");

        assertThat(fixtures.capUsed(setting)).isEqualTo(1);
        assertThat(fixtures.inFlight(setting)).isZero();
        assertThat(jdbc.queryForObject("SELECT status || ' ' || release_reason FROM route_claims WHERE call_uid = ?",
                String.class, call.uid)).isEqualTo("ANSWERED ANSWERED_HANGUP");

        Call counted = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");
        assertThat(counted.hangup()).isEqualTo("RELEASED");
        assertThat(fixtures.capUsed(setting)).isEqualTo(2);
    }

    private static void assertUnrouted(Call call, String reason, int cause) {
        assertThat(call.cdr).containsEntry("route_status", "UNROUTED").containsEntry("unrouted_reason", reason);
        assertThat(call.hangupCause).isEqualTo(cause);
        assertThat(call.tried).isEmpty();
    }

    /**
     * The CDR a call leaves (its dialplan's CDR() values, the hangup handler's cause, the caller id as the carrier
     * sent it) becomes a call log with that cause, reason and caller id: the whole path the call log's hangup
     * cause takes, the hostile caller id included.
     */
    @Test
    void aCallsCdrBecomesACallLogWithItsHangupCauseAndItsCallerIdVerbatim() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        Call call = dialplan.call(campaign.did(), uid(), endpoint -> "BUSY");
        call.hangup();
        String callerId = "'; DROP TABLE dids; --";

        MapSqlParameterSource row = new MapSqlParameterSource(call.cdr).addValue("uid", call.uid)
                .addValue("src", callerId);
        new NamedParameterJdbcTemplate(jdbc).update("INSERT INTO cdr (src, dst, start, answer, \"end\", duration, "
                + "billsec, disposition, uniqueid, linkedid, " + String.join(", ", call.cdr.keySet()) + ") "
                + "VALUES (:src, '" + campaign.did() + "', now() AT TIME ZONE 'UTC' - interval '1 minute', "
                + "'1970-01-01', now() AT TIME ZONE 'UTC' - interval '50 seconds', 10, 0, 'BUSY', :uid, :uid, "
                + String.join(", ", call.cdr.keySet().stream().map(k -> ":" + k).toList()) + ")", row);
        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        assertThat(call.cdr).containsEntry("userfield", "34");
        assertThat(jdbc.queryForMap("SELECT disposition, hangup_cause, unrouted_reason, caller_id, targets_tried "
                + "FROM call_logs WHERE linked_id = ?", call.uid)).containsEntry("disposition", "UNROUTED")
                .containsEntry("hangup_cause", "34").containsEntry("unrouted_reason", "ALL_FAILED")
                .containsEntry("caller_id", callerId).containsEntry("targets_tried", 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dids WHERE number = ?", Long.class, campaign.did()))
                .isOne();
    }

    /**
     * Asterisk 22 writes a CDR row's dst and dcontext from where the caller's channel is, not from the number the
     * carrier dialled: [from-pstn] moves it to [inbound-route] s before any Dial, and an unrouted call's only row is
     * last touched by its hangup handler. Either call log still names the DID as the carrier sent it.
     */
    @Test
    void anInboundCallLogNamesTheDidAsTheCarrierSentItThoughItsCdrDstIsTheDialplans() throws Exception {
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("UTC");
        fixtures.setting(campaign.id(), buyer, 1, 1);
        String dialled = campaign.did().substring(1);
        Call routed = dialplan.call(dialled, uid(), endpoint -> "ANSWER");
        assertThat(routed.cdrDst()).isEqualTo("s");
        assertThat(routed.cdrDcontext()).isEqualTo("inbound-route");
        insertCdr(routed, "PJSIP/" + buyer + "-00000001", "ANSWERED");
        routed.hangup();

        String unknown = "+17" + String.format("%09d", System.nanoTime() % 1_000_000_000L);
        Call unrouted = dialplan.call(unknown, uid(), endpoint -> "ANSWER");
        unrouted.hangup();
        assertThat(unrouted.cdrDst()).isEqualTo("s");
        assertThat(unrouted.cdrDcontext()).isEqualTo("route-hangup");
        insertCdr(unrouted, "", "NO ANSWER");

        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForMap("SELECT destination, did_number, disposition FROM call_logs WHERE linked_id = ?",
                routed.uid)).containsEntry("destination", dialled).containsEntry("did_number", campaign.did())
                .containsEntry("disposition", "ANSWERED");
        assertThat(jdbc.queryForMap("SELECT destination, disposition FROM call_logs WHERE linked_id = ?",
                unrouted.uid)).containsEntry("destination", unknown).containsEntry("disposition", "UNROUTED");
    }

    /** The call's first CDR row as Asterisk 22 writes it: dst and dcontext where the channel was, its CDR() values. */
    private void insertCdr(Call call, String dstChannel, String disposition) {
        boolean answered = disposition.equals("ANSWERED");
        MapSqlParameterSource row = new MapSqlParameterSource(call.cdr).addValue("uid", call.uid)
                .addValue("dst", call.cdrDst()).addValue("dcontext", call.cdrDcontext())
                .addValue("dstchannel", dstChannel).addValue("disposition", disposition);
        new NamedParameterJdbcTemplate(jdbc).update("INSERT INTO cdr (src, dst, dcontext, dstchannel, start, answer, "
                + "\"end\", duration, billsec, disposition, uniqueid, linkedid, " + String.join(", ", call.cdr.keySet())
                + ") VALUES ('15555550100', :dst, :dcontext, :dstchannel, now() AT TIME ZONE 'UTC' - interval '1 minute', "
                + (answered ? "now() AT TIME ZONE 'UTC' - interval '55 seconds'" : "'1970-01-01'")
                + ", now() AT TIME ZONE 'UTC' - interval '5 seconds', 55, " + (answered ? 50 : 0)
                + ", :disposition, :uid, :uid, "
                + String.join(", ", call.cdr.keySet().stream().map(k -> ":" + k).toList()) + ")", row);
    }

    @Test
    void aCallHoldsOneClaimAtATimeAndClaimingTwiceIsHarmless() {
        var campaign = fixtures.campaign("PRIORITY");
        long first = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long second = fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1);
        String uid = uid();

        assertThat(odbc.value("ODBC_ROUTE_CLAIM", uid, "" + first)).isEqualTo("CLAIMED");
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", uid, "" + first)).isEqualTo("CLAIMED");
        assertThat(fixtures.inFlight(first)).isEqualTo(1);
        // a dialplan that forgot to release: the new claim gives the old one back
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", uid, "" + second)).isEqualTo("CLAIMED");

        assertThat(List.of(fixtures.inFlight(first), fixtures.inFlight(second))).containsExactly(0, 1);
        assertThat(jdbc.queryForObject("SELECT release_reason FROM route_claims WHERE call_uid = ? AND setting_id = ?",
                String.class, uid, first)).isEqualTo("SUPERSEDED");
    }

    @Test
    void anInactiveBuyerCannotBeClaimed() {
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("UTC");
        long setting = fixtures.setting(campaign.id(), buyer, 1, 1);
        jdbc.update("UPDATE clients SET active = false WHERE endpoint = ?", buyer);

        assertThat(odbc.value("ODBC_ROUTE_CLAIM", uid(), "" + setting)).isEqualTo("INACTIVE");
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).singleElement()
                .satisfies(row -> assertThat(row.subList(7, 10)).containsOnly(""));
        assertThat(fixtures.inFlight(setting)).isZero();
    }

    /** Routing reads a buyer's facts from copies on its settings: an edit of the buyer reaches them at once. */
    @Test
    void aBuyersEditReachesRoutingAtOnce() {
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("UTC");
        long setting = fixtures.setting(campaign.id(), buyer, 1, 1);
        String renamed = RoutingFixtures.unique("renamed");
        jdbc.update("UPDATE clients SET endpoint = ?, name = ?, time_zone = 'Asia/Tokyo' WHERE endpoint = ?",
                renamed, renamed, buyer);

        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).singleElement()
                .satisfies(row -> assertThat(row.subList(7, 10)).containsExactly("" + setting,
                        "" + fixtures.clientId(renamed), renamed));
        assertThat(jdbc.queryForMap("SELECT client_name, client_time_zone FROM campaign_client_settings WHERE id = ?",
                setting)).containsEntry("client_name", renamed).containsEntry("client_time_zone", "Asia/Tokyo");

        // a setting moved to another buyer takes that buyer's facts
        String next = fixtures.client("UTC");
        jdbc.update("UPDATE campaign_client_settings SET client_id = ? WHERE id = ?", fixtures.clientId(next), setting);
        assertThat(jdbc.queryForObject("SELECT client_endpoint FROM campaign_client_settings WHERE id = ?",
                String.class, setting)).isEqualTo(next);
    }

    @Test
    void hostileValuesAreJustValues() {
        var campaign = fixtures.campaign("PRIORITY");
        long setting = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        long dids = jdbc.queryForObject("SELECT count(*) FROM dids", Long.class);
        String hostile = "'; DROP TABLE dids; --";

        // even unfiltered, SQL_ESC keeps them inside their string literal
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", hostile, hostile)).singleElement()
                .satisfies(row -> assertThat(row.get(0)).isEqualTo("UNKNOWN_DID"));
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did() + "') OR ('1'='1", hostile)).singleElement()
                .satisfies(row -> assertThat(row.get(0)).isEqualTo("UNKNOWN_DID"));
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", hostile, String.valueOf(setting))).isEqualTo("CLAIMED");
        assertThat(odbc.value("ODBC_ROUTE_RELEASE", hostile, hostile)).isEqualTo("RELEASED");
        assertThat(odbc.value("ODBC_ROUTE_CLAIM", uid(), setting + "; DELETE FROM dids")).isEqualTo("NO_SETTING");
        // and through the dialplan (a number that starts with a digit matches _X.), FILTER leaves nothing of them
        assertUnrouted(dialplan.call("1" + hostile, hostile, endpoint -> "ANSWER"), "UNKNOWN_DID", 1);
        assertThat(dialplan.call(hostile, hostile, endpoint -> "ANSWER").notFound).isTrue();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM dids", Long.class)).isEqualTo(dids);
        assertThat(jdbc.queryForObject("SELECT release_reason FROM route_claims WHERE call_uid = ?", String.class,
                hostile)).isEqualTo(hostile);
    }

    @Test
    void theDatabaseStillRefusesImpossibleSettingsAndClaims() {
        var campaign = fixtures.campaign("PRIORITY");
        long setting = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        String uid = uid();
        odbc.value("ODBC_ROUTE_CLAIM", uid, String.valueOf(setting));

        // the rules V9_26_0 moved from CHECK constraints into domains hold for every column they covered
        for (String assignment : List.of("priority = -1", "weight = 0", "max_concurrent = -1", "total_cap = -1",
                "cap_period = 'WEEK'", "in_flight = -1", "cap_used = -1")) {
            assertThatThrownBy(() -> jdbc.update("UPDATE campaign_client_settings SET " + assignment
                    + " WHERE id = ?", setting)).as(assignment)
                    .isInstanceOfSatisfying(DataIntegrityViolationException.class, e -> assertThat(
                            ((SQLException) e.getMostSpecificCause()).getSQLState()).isEqualTo("23514"));
        }
        assertThatThrownBy(() -> jdbc.update("UPDATE route_claims SET status = 'LOST' WHERE call_uid = ?", uid))
                .isInstanceOf(DataIntegrityViolationException.class);
        // a setting copies its buyer's facts (V9_27_0): an unknown buyer is still a foreign key violation
        assertThatThrownBy(() -> jdbc.update("INSERT INTO campaign_client_settings (campaign_id, client_id) "
                + "VALUES (?, -1)", campaign.id()))
                .isInstanceOfSatisfying(DataIntegrityViolationException.class, e -> assertThat(
                        ((SQLException) e.getMostSpecificCause()).getSQLState()).isEqualTo("23503"));
        assertThat(fixtures.inFlight(setting)).isEqualTo(1);
    }

    /** ODBC_ROUTE_CALL's 12th column says whether the DID's campaign records its calls: 1 or 0, on every row. */
    @Test
    void theFirstRoundTripSaysWhetherTheCampaignRecordsItsCalls() {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1);
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).hasSize(2)
                .allSatisfy(row -> assertThat(row).hasSize(13).element(11).isEqualTo("0"));

        jdbc.update("UPDATE campaigns SET record_calls = true WHERE id = ?", campaign.id());

        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).hasSize(2)
                .allSatisfy(row -> assertThat(row).hasSize(13).element(11).isEqualTo("1"));
        // an unknown DID has no campaign, so no switch
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", "15550000000", uid())).singleElement()
                .satisfies(row -> assertThat(row).hasSize(13).element(11).isEqualTo(""));
    }

    /**
     * A recording campaign's call is recorded once, from before its first Dial, however many buyers it fails over
     * to: one MixMonitor on the caller's channel, the file named after its unique id and stamped in its CDR.
     */
    @Test
    void aRecordingCampaignsCallIsRecordedOnceFromBeforeItsFirstDial() {
        var campaign = fixtures.campaign("PRIORITY");
        jdbc.update("UPDATE campaigns SET record_calls = true WHERE id = ?", campaign.id());
        String busy = fixtures.client("UTC");
        String away = fixtures.client("UTC");
        String taker = fixtures.client("UTC");
        fixtures.setting(campaign.id(), busy, 1, 1);
        fixtures.setting(campaign.id(), away, 2, 1);
        fixtures.setting(campaign.id(), taker, 3, 1);
        String uid = uid();

        Call call = dialplan.call(campaign.did(), uid,
                endpoint -> endpoint.equals(busy) ? "BUSY" : endpoint.equals(away) ? "NOANSWER" : "ANSWER");

        assertThat(call.tried).containsExactly(busy, away, taker);
        assertThat(call.answered).isEqualTo(taker);
        assertThat(call.recordings).containsExactly(new DialplanRunner.MixMonitorStart(uid + ".wav,b", 0));
        assertThat(call.cdr).containsEntry("recording_file", uid + ".wav");
    }

    /** A campaign that does not record (the default) starts no MixMonitor; nor does a call no buyer takes. */
    @Test
    void aCallIsRecordedOnlyWhenItsCampaignRecordsAndABuyerIsDialled() {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        var recording = fixtures.campaign("PRIORITY");
        jdbc.update("UPDATE campaigns SET record_calls = true WHERE id = ?", recording.id());

        Call plain = dialplan.call(campaign.did(), uid(), endpoint -> "ANSWER");
        Call noBuyer = dialplan.call(recording.did(), uid(), endpoint -> "ANSWER");

        assertThat(plain.answered).isNotNull();
        assertThat(plain.recordings).isEmpty();
        assertThat(plain.cdr).doesNotContainKey("recording_file");
        assertUnrouted(noBuyer, "NO_TARGET", 34);
        assertThat(noBuyer.recordings).isEmpty();
        assertThat(noBuyer.cdr).doesNotContainKey("recording_file");
    }

    /**
     * ODBC_ROUTE_CALL's last column is the campaign's recording notice, on every row, only when the campaign records
     * its calls; and never a name the dialplan could not pass to Playback as it is, whoever wrote it to the table.
     */
    @Test
    void theFirstRoundTripGivesTheRecordingNoticeOnlyWhenTheCampaignRecords() {
        var campaign = fixtures.campaign("PRIORITY");
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1);
        fixtures.setting(campaign.id(), fixtures.client("UTC"), 2, 1);
        jdbc.update("UPDATE campaigns SET recording_notice = 'custom/ca-consent' WHERE id = ?", campaign.id());
        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).hasSize(2)
                .allSatisfy(row -> assertThat(row).hasSize(13).last().isEqualTo(""));

        jdbc.update("UPDATE campaigns SET record_calls = true WHERE id = ?", campaign.id());

        assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).hasSize(2)
                .allSatisfy(row -> assertThat(row).hasSize(13).last().isEqualTo("custom/ca-consent"));
        // a name with a comma would shift the columns ARRAY() reads; the table refuses it, and were it there
        // (the constraint dropped), the lookup would not hand it over
        assertThatThrownBy(() -> jdbc.update("UPDATE campaigns SET recording_notice = 'a,b' WHERE id = ?",
                campaign.id())).isInstanceOf(DataIntegrityViolationException.class);
        jdbc.execute("ALTER TABLE campaigns DROP CONSTRAINT campaigns_recording_notice_sound_name");
        try {
            for (String hostile : List.of("a,b", "../etc/passwd", "/var/lib/x", "x)", "a b", "n".repeat(129))) {
                jdbc.update("UPDATE campaigns SET recording_notice = ? WHERE id = ?", hostile, campaign.id());
                assertThat(odbc.fetchAll("ODBC_ROUTE_CALL", campaign.did(), uid())).hasSize(2)
                        .allSatisfy(row -> assertThat(row).hasSize(13).last().isEqualTo(""));
            }
        }
        finally {
            jdbc.update("UPDATE campaigns SET recording_notice = NULL WHERE id = ?", campaign.id());
            jdbc.execute("ALTER TABLE campaigns ADD CONSTRAINT campaigns_recording_notice_sound_name CHECK "
                    + "(length(recording_notice) <= 128 AND recording_notice ~ '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$')");
        }
    }

    /**
     * A recording campaign with a notice answers the caller and plays it after the first buyer is claimed and before
     * any Dial, once however many buyers the call fails over to, and records from there; the first buyer's slot is
     * held while the notice plays (the claim came with the lookup that named the notice).
     */
    @Test
    void aRecordingCampaignsNoticeIsPlayedOnceBeforeTheFirstDial() {
        var campaign = fixtures.campaign("PRIORITY");
        jdbc.update("UPDATE campaigns SET record_calls = true, recording_notice = 'custom/ca-consent' WHERE id = ?",
                campaign.id());
        String busy = fixtures.client("UTC");
        String taker = fixtures.client("UTC");
        long first = fixtures.setting(campaign.id(), busy, 1, 1);
        fixtures.setting(campaign.id(), taker, 2, 1);
        String uid = uid();
        List<Integer> heldWhilePlaying = new ArrayList<>();

        Call call = dialplan.whilePlaying(() -> heldWhilePlaying.add(fixtures.inFlight(first)))
                .call(campaign.did(), uid, endpoint -> endpoint.equals(busy) ? "BUSY" : "ANSWER");

        assertThat(call.prompts).containsExactly(new DialplanRunner.Prompt("Answer", "", 0),
                new DialplanRunner.Prompt("Playback", "custom/ca-consent", 0));
        assertThat(heldWhilePlaying).containsExactly(1);
        assertThat(call.tried).containsExactly(busy, taker);
        assertThat(call.answered).isEqualTo(taker);
        assertThat(call.recordings).containsExactly(new DialplanRunner.MixMonitorStart(uid + ".wav,b", 0));
        assertThat(call.cdr).containsEntry("recording_file", uid + ".wav").containsEntry("caller_answered", "NOTICE");
        // the buyer's answer, for the row's own answer is the notice's
        assertThat(call.answeredCdr).containsOnlyKeys("dialed_answered_at");
    }

    /**
     * No notice is played where the campaign does not record, nor has one, nor where no buyer can take the call (it
     * is refused unanswered); a notice Playback cannot find leaves the caller untold, so the call is not recorded.
     */
    @Test
    void aNoticeIsPlayedOnlyToACallToRecordAndOneUnplayedLeavesTheCallUnrecorded() {
        var plain = fixtures.campaign("PRIORITY");
        fixtures.setting(plain.id(), fixtures.client("UTC"), 1, 1);
        jdbc.update("UPDATE campaigns SET recording_notice = 'custom/ca-consent' WHERE id = ?", plain.id());
        var silent = fixtures.campaign("PRIORITY");
        fixtures.setting(silent.id(), fixtures.client("UTC"), 1, 1);
        jdbc.update("UPDATE campaigns SET record_calls = true WHERE id = ?", silent.id());
        var noBuyer = fixtures.campaign("PRIORITY");
        jdbc.update("UPDATE campaigns SET record_calls = true, recording_notice = 'custom/ca-consent' WHERE id = ?",
                noBuyer.id());
        var missing = fixtures.campaign("PRIORITY");
        fixtures.setting(missing.id(), fixtures.client("UTC"), 1, 1);
        jdbc.update("UPDATE campaigns SET record_calls = true, recording_notice = 'custom/gone' WHERE id = ?",
                missing.id());

        Call notRecorded = dialplan.call(plain.did(), uid(), endpoint -> "ANSWER");
        Call noNotice = dialplan.call(silent.did(), uid(), endpoint -> "ANSWER");
        Call refused = dialplan.call(noBuyer.did(), uid(), endpoint -> "ANSWER");
        Call untold = dialplan.sounds(sound -> !sound.equals("custom/gone"))
                .call(missing.did(), uid(), endpoint -> "ANSWER");

        assertThat(notRecorded.prompts).isEmpty();
        assertThat(notRecorded.recordings).isEmpty();
        assertThat(noNotice.prompts).isEmpty();
        assertThat(noNotice.recordings).hasSize(1);
        assertThat(noNotice.answered).isNotNull();
        assertThat(noNotice.cdr).doesNotContainKey("caller_answered");
        assertUnrouted(refused, "NO_TARGET", 34);
        assertThat(refused.prompts).isEmpty();
        assertThat(untold.prompts).extracting(DialplanRunner.Prompt::app).containsExactly("Answer", "Playback");
        assertThat(untold.answered).isNotNull();
        assertThat(untold.recordings).isEmpty();
        assertThat(untold.cdr).doesNotContainKey("recording_file");
    }

    static String uid() {
        return "pbx1-" + System.nanoTime() + "." + RoutingFixtures.unique("c").replace("c-", "");
    }
}
