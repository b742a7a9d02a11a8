package io.capconduit.calls;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.ConnectionWalk;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.SqlStatementCounter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** The raw cdr rows through the API: keyset pages, filters, staff only, the call log of each and back. */
@IntegrationTest
class CdrsGraphQlIntegrationTests {

    private static final String PAGE = """
            query ($filter: CdrFilter, $first: Int, $after: String) {
              cdrs(filter: $filter, first: $first, after: $after) {
                edges { cursor node { id startTime } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    SqlStatementCounter statements;

    @Test
    void pagesWalkEveryRowOfTheRangeOnceNewestFirst() {
        // 130 rows, three to a start time (the id breaks the tie), written in an order unlike their start order
        jdbc.update("""
                INSERT INTO cdr (linkedid, uniqueid, start, answer, "end", disposition)
                SELECT 'cdr-paging-' || g, 'cdr-paging-' || g, timestamp '2001-01-01 00:00:00' + (g / 3) * interval '1 minute',
                       '1970-01-01', timestamp '2001-01-01 00:00:30' + (g / 3) * interval '1 minute', 'NO ANSWER'
                FROM generate_series(1, 130) g ORDER BY g % 7, g""");

        List<Long> ids = walk(Map.of("from", "2001-01-01T00:00:00Z", "to", "2001-01-02T00:00:00Z"), 20);

        assertThat(ids).hasSize(130).doesNotHaveDuplicates().isEqualTo(jdbc.queryForList("""
                SELECT id FROM cdr WHERE start >= '2001-01-01' AND start < '2001-01-02' ORDER BY start DESC, id DESC""",
                Long.class));
    }

    @Test
    void eachFilterFindsItsRows() {
        String call = "cdr-filter-" + UUID.randomUUID();
        String campaign = jdbc.queryForObject("SELECT id::text FROM campaigns WHERE name = 'Auto Insurance'", String.class);
        long atFrom = insert(call, call, "+12025550101", "+18005550101", "2002-02-02 10:00:00", "ANSWERED", "INBOUND",
                campaign, "+18005550101");
        long failover = insert(call, call + ".2", "+12025550101", "+18005550101", "2002-02-02 10:30:00", "BUSY",
                "INBOUND", campaign, "+18005550101");
        long outbound = insert("cdr-filter-out-" + UUID.randomUUID(), "cc-1", "+18005550199", "+13035550142",
                "2002-02-02 10:59:59.999999", "NO ANSWER", "OUTBOUND", "999999", null);
        insert("cdr-filter-at-to-" + UUID.randomUUID(), "x", "+13035550142", "+18005550102", "2002-02-02 11:00:00",
                "ANSWERED", "INBOUND", campaign, "+18005550102");
        Map<String, Object> hour = Map.of("from", "2002-02-02T10:00:00Z", "to", "2002-02-02T11:00:00Z");

        assertThat(ids(hour)).containsExactly(outbound, failover, atFrom);
        assertThat(ids(with(hour, "linkedId", call))).containsExactly(failover, atFrom);
        assertThat(ids(Map.of("linkedId", call))).containsExactly(failover, atFrom);
        assertThat(ids(Map.of("uniqueId", call + ".2"))).containsExactly(failover);
        // the caller of one call is the number dialed in another
        assertThat(ids(with(hour, "number", "+13035550142"))).containsExactly(outbound);
        assertThat(ids(Map.of("number", "+13035550142", "from", "2002-02-02T00:00:00Z"))).hasSize(2);
        assertThat(ids(with(hour, "number", "+12025550101"))).containsExactly(failover, atFrom);
        assertThat(ids(with(hour, "disposition", "BUSY"))).containsExactly(failover);
        assertThat(ids(with(hour, "direction", "OUTBOUND"))).containsExactly(outbound);
        assertThat(ids(with(hour, "campaignId", campaign))).containsExactly(failover, atFrom);
        assertThat(ids(with(hour, "campaignId", "999999"))).containsExactly(outbound);
        assertThat(ids(with(hour, "did", "+18005550101"))).containsExactly(failover, atFrom);
        assertThat(ids(Map.of("linkedId", "cdr-filter-none-" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void sellersMayNotAndBadArgumentsAreNamed() {
        graphQl.as("seller1").document(PAGE).execute().errors().expect(classified("FORBIDDEN")).verify()
                .path("$.data").valueIsNull();
        graphQl.as("admin").document(PAGE).execute().path("cdrs.pageInfo.hasNextPage").hasValue();
        graphQl.as("staff").document(PAGE).variable("first", 0).execute().errors().expect(badInput("first")).verify();
        graphQl.as("staff").document(PAGE).variable("first", 501).execute().errors().expect(badInput("first")).verify();
        graphQl.as("staff").document(PAGE).variable("after", "garbage").execute().errors().expect(badInput("after")).verify();
        jdbc.update("INSERT INTO call_logs (linked_id, direction, start_time, disposition) "
                + "VALUES ('cdr-cursor-' || gen_random_uuid(), 'INBOUND', now(), 'ANSWERED')");
        String callLogCursor = graphQl.as("staff").document("{ callLogs(first: 1) { pageInfo { endCursor } } }")
                .execute().path("callLogs.pageInfo.endCursor").entity(String.class).get();
        graphQl.as("staff").document(PAGE).variable("after", callLogCursor).execute().errors()
                .expect(badInput("after")).verify();
        graphQl.as("staff").document(PAGE).variable("filter", Map.of("from", "2002-01-02T00:00:00Z",
                "to", "2002-01-01T00:00:00Z")).execute().errors().expect(badInput("filter.to")).verify();
        // UNROUTED is a call log's disposition, never a cdr row's
        graphQl.as("staff").document(PAGE).variable("filter", Map.of("disposition", "UNROUTED")).execute()
                .errors().expect(badInput("filter.disposition")).verify();
        graphQl.as("staff").document(PAGE).variable("filter", Map.of("campaignId", "abc")).execute()
                .errors().expect(badInput("filter.campaignId")).verify();
    }

    /** A click-to-call's row shows what its dialplan stamped beside its own dst (s) and answer (the agent's). */
    @Test
    void aClickToCallRowShowsTheNumberAndWhenItAnswered() {
        String call = "ctc-" + UUID.randomUUID();
        new CdrRows(named).leg(call).set("direction", "OUTBOUND").set("dst", "s")
                .set("dialed_number", "+12125550147").set("dialed_answered_at", "2026-03-02 10:00:04.250").insert();

        GraphQlTester.Response response = graphQl.as("staff").document("""
                query ($call: String) {
                  cdrs(filter: {linkedId: $call}) { edges { node { dst dialedNumber dialedAnsweredAt } } }
                }""").variable("call", call).execute();

        response.path("cdrs.edges[0].node.dst").entity(String.class).isEqualTo("s");
        response.path("cdrs.edges[0].node.dialedNumber").entity(String.class).isEqualTo("+12125550147");
        response.path("cdrs.edges[0].node.dialedAnsweredAt").entity(String.class).isEqualTo("2026-03-02 10:00:04.250");
    }

    /** Every column, and the times of a reconciled call as its call log shows them; a 1970 answer is no answer. */
    @Test
    void aRowShowsItsColumnsAndTheInstantsOfItsCallLog() throws Exception {
        String call = "cdr-times-" + UUID.randomUUID();
        Instant start = Instant.parse("2026-11-30T23:58:01.250Z");
        CdrRows rows = new CdrRows(named);
        long busy = rows.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("did", "+18005550101").set("disposition", "BUSY").times(start, null, start.plusSeconds(5)).insert();
        long answered = rows.leg(call).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("did", "+18005550101").set("recording_file", "rec-" + call + ".wav")
                .answered(start.plusSeconds(5), start.plusSeconds(9), start.plusSeconds(130)).insert();
        launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());

        GraphQlTester.Response response = graphQl.as("staff").document("""
                query ($call: String) {
                  cdrs(filter: {linkedId: $call}) { edges { node {
                    id accountCode src dst dcontext clid channel dstChannel lastApp lastData startTime answerTime endTime
                    duration billsec disposition amaFlags userField uniqueId linkedId peerAccount sequence
                    direction campaignId settingId clientId sellerId did strategy targetsTried routeStatus unroutedReason
                    queueEntryId leadId agentId recordingFile insertedAt
                    callLog { id startTime answerTime endTime disposition }
                  } } }
                }""").variable("call", call).execute();

        response.path("cdrs.edges[*].node.id").entityList(Long.class).containsExactly(answered, busy);
        response.path("cdrs.edges[1].node.answerTime").valueIsNull();
        response.path("cdrs.edges[1].node.startTime").entity(Instant.class).isEqualTo(start);
        response.path("cdrs.edges[1].node.disposition").entity(String.class).isEqualTo("BUSY");
        response.path("cdrs.edges[1].node.dstChannel").entity(String.class).isEqualTo("PJSIP/Pacific Home Services-00000001");
        response.path("cdrs.edges[0].node.recordingFile").entity(String.class).isEqualTo("rec-" + call + ".wav");
        response.path("cdrs.edges[0].node.src").entity(String.class).isEqualTo("+12125550100");
        response.path("cdrs.edges[0].node.did").entity(String.class).isEqualTo("+18005550101");
        response.path("cdrs.edges[0].node.campaignId").entity(String.class).isEqualTo(
                jdbc.queryForObject("SELECT id::text FROM campaigns WHERE name = 'Auto Insurance'", String.class));
        response.path("cdrs.edges[0].node.insertedAt").hasValue();
        // the call log's times are the rows' times: the first start, the answered leg's answer, the last end
        response.path("cdrs.edges[0].node.callLog.disposition").entity(String.class).isEqualTo("ANSWERED");
        response.path("cdrs.edges[1].node.callLog.startTime").entity(Instant.class).isEqualTo(start);
        response.path("cdrs.edges[0].node.answerTime").entity(Instant.class).isEqualTo(start.plusSeconds(9));
        response.path("cdrs.edges[0].node.callLog.answerTime").entity(Instant.class).isEqualTo(start.plusSeconds(9));
        response.path("cdrs.edges[0].node.endTime").entity(Instant.class).isEqualTo(start.plusSeconds(130));
        response.path("cdrs.edges[0].node.callLog.endTime").entity(Instant.class).isEqualTo(start.plusSeconds(130));
        response.path("cdrs.edges[0].node.callLog.id").entity(Long.class).isEqualTo(
                response.path("cdrs.edges[1].node.callLog.id").entity(Long.class).get());
    }

    /** Each call log lists its own rows, by id; a seller sees the rows of its own calls only. */
    @Test
    void aCallLogListsItsRowsToWhoeverMaySeeIt() {
        String call = "cdr-of-log-" + UUID.randomUUID();
        long log = jdbc.queryForObject("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, start_time, disposition)
                SELECT ?, 'INBOUND', cp.seller_id, cp.id, now(), 'ANSWERED' FROM campaigns cp
                WHERE cp.name = 'Auto Insurance' RETURNING id""", Long.class, call);
        long first = insert(call, call, "+12025550101", "+18005550101", "2026-11-30 10:00:00", "NO ANSWER", "INBOUND",
                null, null);
        long second = insert(call, call, "+12025550101", "+18005550101", "2026-11-30 09:59:00", "ANSWERED", "INBOUND",
                null, null);
        insert("other-" + call, call, "+12025550101", "+18005550101", "2026-11-30 10:00:00", "ANSWERED", "INBOUND",
                null, null);
        String query = "query ($id: ID!) { callLog(id: $id) { cdrs { id linkedId callLog { id } } } }";

        for (String user : List.of("seller1", "staff", "admin")) {
            GraphQlTester.Response response = graphQl.as(user).document(query).variable("id", log).execute();
            response.path("callLog.cdrs[*].id").entityList(Long.class).containsExactly(first, second);
            response.path("callLog.cdrs[*].callLog.id").entityList(Long.class).containsExactly(log, log);
        }
        graphQl.as("seller2").document(query).variable("id", log).execute().errors().expect(classified("NOT_FOUND"))
                .verify().path("callLog").valueIsNull();
        // a row whose call was not reconciled has no call log
        graphQl.as("staff").document("query ($call: String) { cdrs(filter: {linkedId: $call}) "
                + "{ edges { node { callLog { id } } } } }").variable("call", "other-" + call).execute()
                .path("cdrs.edges[0].node.callLog").valueIsNull();
    }

    /** A page of rows with their call logs, and call logs with their rows, each cost one statement per level. */
    @Test
    void rowsAndCallLogsLoadInBatches() {
        String prefix = "cdr-batch-" + UUID.randomUUID() + "-";
        jdbc.update("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, start_time, disposition)
                SELECT ? || g, 'INBOUND', cp.seller_id, cp.id, timestamptz '2003-03-03 00:00:00+00' + g * interval '1 s',
                       'ANSWERED'
                FROM campaigns cp, generate_series(1, 20) g WHERE cp.name = 'Auto Insurance'""", prefix);
        jdbc.update("""
                INSERT INTO cdr (linkedid, uniqueid, start, answer, "end", disposition, campaign_id, seller_id)
                SELECT ? || g, ? || g, timestamp '2003-03-03 00:00:00' + g * interval '1 s', '1970-01-01',
                       timestamp '2003-03-03 00:01:00', 'NO ANSWER', cp.id::text, cp.seller_id::text
                FROM campaigns cp, generate_series(1, 20) g, generate_series(1, 2) leg
                WHERE cp.name = 'Auto Insurance'""", prefix, prefix);

        // what a request of each user costs before its query runs (signing in: the user, the sign-in throttle)
        long signIn = signInCost("staff");
        long before = statements.count();
        GraphQlTester.Response rows = graphQl.as("staff").document("""
                { cdrs(filter: {from: "2003-03-03T00:00:00Z", to: "2003-03-04T00:00:00Z"}, first: 40) {
                    edges { node { id callLog { id cdrs { id } } } } } }""").execute();
        long rowsCost = statements.count() - before - signIn;
        rows.path("cdrs.edges").entityList(Object.class).hasSize(40);
        rows.path("cdrs.edges[*].node.callLog.cdrs[*].id").entityList(Long.class).hasSize(80);

        signIn = signInCost("seller1");
        before = statements.count();
        graphQl.as("seller1").document("""
                { callLogs(filter: {from: "2003-03-03T00:00:00Z", to: "2003-03-04T00:00:00Z"}) {
                    edges { node { id cdrs { id callLog { id } } } } } }""").execute()
                .path("callLogs.edges[*].node.cdrs[*].callLog.id").entityList(Long.class).hasSize(40);
        long logsCost = statements.count() - before - signIn;

        // the page, the call logs, their rows; 20 calls one by one would be 40 more
        assertThat(rowsCost).isBetween(3L, 4L);
        assertThat(logsCost).isBetween(3L, 4L);
    }

    private long signInCost(String user) {
        long before = statements.count();
        graphQl.as(user).document("{ __typename }").execute().path("__typename").hasValue();
        return statements.count() - before;
    }

    private long insert(String linkedId, String uniqueId, String src, String dst, String start, String disposition,
            String direction, String campaignId, String did) {
        return jdbc.queryForObject("""
                INSERT INTO cdr (linkedid, uniqueid, src, dst, start, answer, "end", duration, billsec, disposition,
                                 direction, campaign_id, did)
                VALUES (?, ?, ?, ?, ?::timestamp, '1970-01-01', ?::timestamp + interval '20 s', 20, 0, ?, ?, ?, ?)
                RETURNING id""", Long.class, linkedId, uniqueId, src, dst, start, start, disposition, direction,
                campaignId, did);
    }

    private static Map<String, Object> with(Map<String, Object> filter, String name, Object value) {
        Map<String, Object> more = new HashMap<>(filter);
        more.put(name, value);
        return more;
    }

    private List<Long> ids(Map<String, Object> filter) {
        return walk(filter, 500);
    }

    private List<Long> walk(Map<String, Object> filter, int first) {
        return ConnectionWalk.idsNewestFirst(graphQl.as("staff"), PAGE, "cdrs", Map.of("filter", filter, "first", first));
    }
}
