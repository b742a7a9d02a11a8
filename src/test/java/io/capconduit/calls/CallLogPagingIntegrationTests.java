package io.capconduit.calls;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.capconduit.support.ConnectionWalk;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** Keyset paging over call logs and leads: every row once, in order, filters applied, bad arguments named. */
@IntegrationTest
class CallLogPagingIntegrationTests {

    private static final String PAGE = """
            query ($filter: CallLogFilter, $after: String) {
              callLogs(filter: $filter, first: 50, after: $after) {
                edges { cursor node { id startTime disposition campaign { name } client { name } } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void pagesWalkEveryMatchingCallOnceNewestFirst() {
        long seller = jdbc.queryForObject("INSERT INTO sellers (name) VALUES ('paging seller') RETURNING id", Long.class);
        long campaign = jdbc.queryForObject("INSERT INTO campaigns (seller_id, name) VALUES (?, 'paging') RETURNING id",
                Long.class, seller);
        // 130 calls, several sharing a start time (the id breaks ties), a third of them busy
        jdbc.update("INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, start_time, disposition) "
                + "SELECT 'paging-' || g, 'INBOUND', ?, ?, timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 minute', "
                + "CASE WHEN g % 3 = 0 THEN 'BUSY' ELSE 'ANSWERED' END FROM generate_series(1, 130) g", seller, campaign);

        List<Long> ids = walk(Map.of("campaignId", campaign));
        assertThat(ids).hasSize(130).doesNotHaveDuplicates();
        assertThat(ids).isEqualTo(jdbc.queryForList("SELECT id FROM call_logs WHERE campaign_id = ? "
                + "ORDER BY start_time DESC, id DESC", Long.class, campaign));

        assertThat(walk(Map.of("campaignId", campaign, "disposition", "BUSY"))).hasSize(43);
        assertThat(walk(Map.of("campaignId", campaign, "from", "2026-01-01T00:10:00Z", "to", "2026-01-01T00:20:00Z")))
                .hasSize(30);
    }

    /** A call that failed over names every buyer it rang, in order, as ids and as clients; its seller sees them. */
    @Test
    void aCallLogNamesTheBuyersItRangInOrder() {
        long sunrise = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Sunrise Insurance Call Center'", Long.class);
        long pacific = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Pacific Home Services'", Long.class);
        long deleted = jdbc.queryForObject("SELECT max(id) + 1000 FROM clients", Long.class);
        long log = jdbc.queryForObject("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, client_id, start_time, disposition,
                                       clients_tried, targets_tried)
                SELECT 'tried-' || gen_random_uuid(), 'INBOUND', cp.seller_id, cp.id, ?, now(), 'ANSWERED', ARRAY[?, ?, ?], 3
                FROM campaigns cp WHERE cp.name = 'Auto Insurance' RETURNING id""", Long.class, pacific, sunrise, deleted, pacific);
        String query = "query ($id: ID!) { callLog(id: $id) { clientIdsTried clientsTried { id name } client { name } } }";

        GraphQlTester.Response response = graphQl.as("seller1").document(query).variable("id", log).execute();
        response.path("callLog.clientIdsTried").entityList(Long.class).containsExactly(sunrise, deleted, pacific);
        response.path("callLog.clientsTried[*].name").entityList(String.class)
                .containsExactly("Sunrise Insurance Call Center", "Pacific Home Services");
        response.path("callLog.client.name").entity(String.class).isEqualTo("Pacific Home Services");

        graphQl.as("staff").document("{ callLogs(first: 500) { edges { node { id clientIdsTried clientsTried { id } } } } }")
                .execute().path("callLogs.edges[?(@.node.id == '" + log + "')].node.clientsTried[*].id")
                .entityList(Long.class).containsExactly(sunrise, pacific);
    }

    /** Every recording of a call, oldest first, beside the last one recordingFile names. */
    @Test
    void aCallLogListsEveryRecordingOfTheCall() {
        long log = jdbc.queryForObject("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, start_time, disposition, recording_file)
                SELECT 'recorded-' || gen_random_uuid(), 'INBOUND', cp.seller_id, cp.id, now(), 'ANSWERED', 'leg-2.wav'
                FROM campaigns cp WHERE cp.name = 'Auto Insurance' RETURNING id""", Long.class);
        String linkedId = jdbc.queryForObject("SELECT linked_id FROM call_logs WHERE id = ?", String.class, log);
        jdbc.update("INSERT INTO recordings (linked_id, call_log_id, file_name) VALUES (?, ?, 'leg-1.wav'), (?, ?, 'leg-2.wav')",
                linkedId, log, linkedId, log);
        String query = "query ($id: ID!) { callLog(id: $id) { recordingFile recordingFiles } }";

        GraphQlTester.Response response = graphQl.as("seller1").document(query).variable("id", log).execute();
        response.path("callLog.recordingFiles").entityList(String.class).containsExactly("leg-1.wav", "leg-2.wav");
        response.path("callLog.recordingFile").entity(String.class).isEqualTo("leg-2.wav");
        graphQl.as("seller2").document(query).variable("id", log).execute().errors().expect(classified("NOT_FOUND"))
                .verify().path("callLog").valueIsNull();
    }

    /** Issue 5: a call log lists every client tried; reconciliation stores them, and the API shows them. */
    @Test
    void aCallLogListsEveryClientItsCallWasOfferedToInOrder() {
        String failover = "tried-" + UUID.randomUUID();
        String direct = "tried-" + UUID.randomUUID();
        String unrouted = "tried-" + UUID.randomUUID();
        jdbc.update("""
                INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, client_id, clients_tried, start_time,
                                       disposition)
                SELECT v.linked_id, 'INBOUND', cp.seller_id, cp.id, (SELECT id FROM clients WHERE name = v.answered),
                       ARRAY(SELECT c.id FROM unnest(v.tried) WITH ORDINALITY t (name, n) JOIN clients c ON c.name = t.name
                             ORDER BY t.n),
                       timestamptz '2031-03-03 10:00:00+00' + v.n * interval '1 second', v.disposition
                FROM campaigns cp, (VALUES
                    (?, 1, ARRAY['Pacific Home Services', 'Sunrise Insurance Call Center'], 'Sunrise Insurance Call Center', 'ANSWERED'),
                    (?, 2, ARRAY['Pacific Home Services'], 'Pacific Home Services', 'ANSWERED'),
                    (?, 3, ARRAY[]::text[], NULL, 'UNROUTED')) v (linked_id, n, tried, answered, disposition)
                WHERE cp.name = 'Auto Insurance'""", failover, direct, unrouted);
        String query = """
                { callLogs(filter: {from: "2031-03-03T10:00:00Z", to: "2031-03-03T10:01:00Z"}) {
                    edges { node { linkedId client { name } clientsTried { name } } } } }""";

        for (String user : List.of("staff", "seller1")) {
            GraphQlTester.Response page = graphQl.as(user).document(query).execute();
            page.path("callLogs.edges[*].node.linkedId").entityList(String.class).containsExactly(unrouted, direct, failover);
            page.path("callLogs.edges[2].node.clientsTried[*].name").entityList(String.class)
                    .containsExactly("Pacific Home Services", "Sunrise Insurance Call Center");
            page.path("callLogs.edges[2].node.client.name").entity(String.class).isEqualTo("Sunrise Insurance Call Center");
            page.path("callLogs.edges[1].node.clientsTried[*].name").entityList(String.class)
                    .containsExactly("Pacific Home Services");
            page.path("callLogs.edges[0].node.clientsTried").entityList(Object.class).hasSize(0);
        }
    }

    @Test
    void badPagingArgumentsNameTheField() {
        graphQl.as("staff").document(PAGE).variable("after", "not-a-cursor").execute().errors().expect(badInput("after")).verify();
        graphQl.as("staff").document("{ callLogs(first: 0) { pageInfo { hasNextPage } } }").execute()
                .errors().expect(badInput("first")).verify();
        graphQl.as("staff").document("{ callLogs(first: 501) { pageInfo { hasNextPage } } }").execute()
                .errors().expect(badInput("first")).verify();
        graphQl.as("staff").document(PAGE).variable("filter", Map.of("from", "2026-02-01T00:00:00Z", "to",
                "2026-01-01T00:00:00Z")).execute().errors().expect(badInput("filter.to")).verify();
    }

    /** The filter takes the dispositions the schema lists, as the call-log export does. */
    @Test
    void anUnknownDispositionIsABadRequest() {
        for (String disposition : new String[] { "A\u0000B", "HUNG UP" }) {
            graphQl.as("staff").document(PAGE).variable("filter", Map.of("disposition", disposition)).execute()
                    .errors().expect(badInput("filter.disposition")).verify();
        }
        graphQl.as("staff").document(PAGE).variable("filter", Map.of("disposition", "NO ANSWER")).execute()
                .path("callLogs.pageInfo.hasNextPage").hasValue();
    }

    @Test
    void leadsPageByListAndStatus() {
        long list = jdbc.queryForObject("INSERT INTO lead_lists (name) VALUES ('paging house list') RETURNING id", Long.class);
        jdbc.update("INSERT INTO leads (list_id, phone, status) SELECT ?, '+1202555' || lpad(g::text, 4, '0'), "
                + "CASE WHEN g % 2 = 0 THEN 'DONE' ELSE 'NEW' END FROM generate_series(1, 75) g", list);
        String query = "query ($list: ID!, $after: String) { leads(listId: $list, status: NEW, first: 20, after: $after) "
                + "{ edges { node { id phone status } } pageInfo { hasNextPage endCursor } } }";
        List<Long> ids = new ArrayList<>();
        String after = null;
        do {
            GraphQlTester.Response page = graphQl.as("staff").document(query).variable("list", list).variable("after", after)
                    .execute();
            ids.addAll(page.path("leads.edges[*].node.id").entityList(Long.class).get());
            after = page.path("leads.pageInfo.hasNextPage").entity(Boolean.class).get()
                    ? page.path("leads.pageInfo.endCursor").entity(String.class).get() : null;
        } while (after != null);
        assertThat(ids).hasSize(38).isSorted();
        // a house list is for staff only
        graphQl.as("seller1").document(query).variable("list", list).execute().errors()
                .expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))).verify();
    }

    /** A cursor from one list means nothing in another: said so, rather than answered with an empty page. */
    @Test
    void aCursorOfAnotherListIsABadRequest() {
        long list = jdbc.queryForObject("INSERT INTO lead_lists (name) VALUES ('cursor list') RETURNING id", Long.class);
        jdbc.update("INSERT INTO leads (list_id, phone) SELECT ?, '+1202556' || lpad(g::text, 4, '0') "
                + "FROM generate_series(1, 3) g", list);
        jdbc.update("INSERT INTO call_logs (linked_id, direction, start_time, disposition) "
                + "SELECT 'cursor-' || g, 'INBOUND', now(), 'ANSWERED' FROM generate_series(1, 3) g");
        String leadCursor = graphQl.as("staff").document("query ($list: ID!) { leads(listId: $list, first: 1) "
                + "{ pageInfo { endCursor } } }").variable("list", list).execute()
                .path("leads.pageInfo.endCursor").entity(String.class).get();
        String callLogCursor = graphQl.as("staff").document("{ callLogs(first: 1) { pageInfo { endCursor } } }")
                .execute().path("callLogs.pageInfo.endCursor").entity(String.class).get();

        graphQl.as("staff").document(PAGE).variable("after", leadCursor).execute().errors()
                .expect(badInput("after")).verify();
        graphQl.as("staff").document("query ($list: ID!, $after: String) { leads(listId: $list, after: $after) "
                + "{ pageInfo { endCursor } } }").variable("list", list).variable("after", callLogCursor).execute()
                .errors().expect(badInput("after")).verify();
        long campaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'", Long.class);
        graphQl.as("staff").document("query ($c: ID!, $after: String) { outboundQueue(campaignId: $c, after: $after) "
                + "{ pageInfo { endCursor } } }").variable("c", campaign).variable("after", leadCursor).execute()
                .errors().expect(badInput("after")).verify();
        // each list still takes its own
        graphQl.as("staff").document(PAGE).variable("after", callLogCursor).execute()
                .path("callLogs.edges").entityList(Object.class).hasSizeGreaterThan(0);
    }

    @Test
    void theOutboundQueuePagesForItsOwnSellerOnly() {
        long campaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'", Long.class);
        long list = jdbc.queryForObject("SELECT id FROM lead_lists WHERE name = 'Solar prospects'", Long.class);
        jdbc.update("INSERT INTO leads (list_id, phone) SELECT ?, '+1303555' || lpad(g::text, 4, '0') "
                + "FROM generate_series(1, 7) g", list);
        jdbc.update("INSERT INTO outbound_queue (campaign_id, lead_id) SELECT ?, id FROM leads "
                + "WHERE phone LIKE '+1303555%'", campaign);
        String query = "query ($c: ID!) { outboundQueue(campaignId: $c, status: QUEUED, first: 5) "
                + "{ edges { node { leadId status } } pageInfo { hasNextPage } } }";
        graphQl.as("seller2").document(query).variable("c", campaign).execute()
                .path("outboundQueue.edges").entityList(Object.class).hasSize(5)
                .path("outboundQueue.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
        graphQl.as("seller1").document(query).variable("c", campaign).execute().errors()
                .expect(error -> "NOT_FOUND".equals(error.getExtensions().get("classification"))).verify();
        graphQl.as("seller1").document("{ leadLists { name } }").execute().path("leadLists").entityList(Object.class)
                .satisfies(lists -> assertThat(lists.toString()).doesNotContain("Solar prospects"));
    }

    private List<Long> walk(Map<String, Object> filter) {
        return ConnectionWalk.idsNewestFirst(graphQl.as("staff"), PAGE, "callLogs", Map.of("filter", filter));
    }
}
