package io.capconduit.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;

import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** callEvents over a real WebSocket: what the routing claims, the dialer's queue and the call logs say, and to whom. */
@IntegrationTest
class CallEventsSubscriptionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENTS = """
            subscription ($campaignId: ID) {
              callEvents(campaignId: $campaignId) { kind linkedId entryId callLogId direction campaignId sellerId
                                                    clientId agentId leadId detail at }
            }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    BatchJobLauncher launcher;

    private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();

    record Event(String kind, String linkedId, String entryId, String callLogId, String direction, String campaignId,
            String sellerId, String clientId, String agentId, String leadId, String detail, String at) {
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(socket -> socket.stop().block(WAIT));
    }

    /** The claims' events cost every inbound call (V9_52_1): an installation turns them on. */
    @Test
    void theInboundClaimsEventsAreOffUntilTurnedOn() {
        assertThat(jdbc.queryForObject("SELECT tgenabled FROM pg_trigger WHERE tgname = 'route_claims_call_event'",
                String.class)).isEqualTo("D");
    }

    @Test
    void staffSeeAnInboundCallOfferedAnsweredAndReleased() {
        long setting = activeSetting("Acme Leads");
        ConnectableFlux<Event> events = live("staff", null, null);
        String call = "ev-" + UUID.randomUUID();

        jdbc.execute("ALTER TABLE route_claims ENABLE TRIGGER route_claims_call_event");
        try {
            assertThat(jdbc.queryForObject("SELECT route_claim(?, ?)", String.class, call, setting)).isEqualTo("CLAIMED");
            jdbc.queryForObject("SELECT route_answer(?)", String.class, call);
            jdbc.queryForObject("SELECT route_release(?, 'ANSWERED_HANGUP')", String.class, call);
        }
        finally {
            jdbc.execute("ALTER TABLE route_claims DISABLE TRIGGER route_claims_call_event");
        }

        List<Event> ofCall = events.filter(e -> call.equals(e.linkedId())).take(3).collectList().block(WAIT);
        assertThat(ofCall).extracting(Event::kind).containsExactly("RINGING", "ANSWERED", "RELEASED");
        Event ringing = ofCall.get(0);
        assertThat(ringing.direction()).isEqualTo("INBOUND");
        assertThat(ringing.campaignId()).isEqualTo(jdbc.queryForObject(
                "SELECT campaign_id::text FROM campaign_client_settings WHERE id = ?", String.class, setting));
        assertThat(ringing.clientId()).isEqualTo(jdbc.queryForObject(
                "SELECT client_id::text FROM campaign_client_settings WHERE id = ?", String.class, setting));
        assertThat(ringing.sellerId()).isEqualTo(sellerId("Acme Leads"));
        assertThat(ringing.at()).isNotBlank();
        assertThat(ofCall.get(2).detail()).isEqualTo("ANSWERED_HANGUP");
    }

    /** Another seller's call comes first on the channel: had it been let through, it would be the first seen. */
    @Test
    void aSellerSeesItsOwnCampaignsCallsOnly() {
        ConnectableFlux<Event> events = live("seller1", null, sellerId("Acme Leads"));
        String theirs = "ev-" + UUID.randomUUID();
        String own = "ev-" + UUID.randomUUID();

        jdbc.execute("ALTER TABLE route_claims ENABLE TRIGGER route_claims_call_event");
        try {
            assertThat(jdbc.queryForObject("SELECT route_claim(?, ?)", String.class, theirs,
                    activeSetting("Bright Media"))).isEqualTo("CLAIMED");
            assertThat(jdbc.queryForObject("SELECT route_claim(?, ?)", String.class, own, activeSetting("Acme Leads")))
                    .isEqualTo("CLAIMED");
            jdbc.queryForObject("SELECT route_release(?, 'NOANSWER')", String.class, theirs);
            jdbc.queryForObject("SELECT route_release(?, 'NOANSWER')", String.class, own);
        }
        finally {
            jdbc.execute("ALTER TABLE route_claims DISABLE TRIGGER route_claims_call_event");
        }

        Event first = events.filter(e -> e.linkedId() != null && e.linkedId().startsWith("ev-")).blockFirst(WAIT);
        assertThat(first.linkedId()).isEqualTo(own);
        assertThat(first.sellerId()).isEqualTo(sellerId("Acme Leads"));
        assertThatThrownBy(() -> subscribe("seller1", jdbc.queryForObject(
                "SELECT id::text FROM campaigns WHERE name = 'Solar Callbacks'", String.class)).blockFirst(WAIT))
                .isInstanceOfSatisfying(SubscriptionErrorException.class, ex -> assertThat(ex.getErrors())
                        .singleElement().satisfies(error ->
                                assertThat(error.getExtensions()).containsEntry("classification", "NOT_FOUND")));
    }

    @Test
    void theDialersCallAndItsLogReachTheCampaignsSeller() throws Exception {
        String campaign = jdbc.queryForObject("SELECT id::text FROM campaigns WHERE name = 'Solar Callbacks'", String.class);
        ConnectableFlux<Event> events = live("seller2", campaign, sellerId("Bright Media"));
        String channel = "ev-" + UUID.randomUUID();
        long lead = jdbc.queryForObject("INSERT INTO leads (list_id, phone) SELECT id, '+1202557' || "
                + "lpad((floor(random() * 10000))::int::text, 4, '0') FROM lead_lists WHERE name = 'Solar prospects' "
                + "RETURNING id", Long.class);
        long entry = jdbc.queryForObject("INSERT INTO outbound_queue (campaign_id, lead_id) VALUES (?::bigint, ?) "
                + "RETURNING id", Long.class, campaign, lead);

        jdbc.update("UPDATE outbound_queue SET status = 'DIALING', dialing_at = now(), channel_id = ? WHERE id = ?",
                channel, entry);
        jdbc.update("UPDATE outbound_queue SET status = 'DONE', done_at = now(), outcome = 'BUSY' WHERE id = ?", entry);
        // the lead's channel's CDR row, as Asterisk writes it for a busy lead; the reconciliation job writes the
        // call's log and announces it
        new CdrRows(named).leg(channel).set("direction", null).set("dcontext", "capconduit-outbound-answered")
                .set("dst", "s").set("disposition", "BUSY").insert();
        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        List<Event> ofCall = events.filter(e -> channel.equals(e.linkedId())).take(3).collectList().block(WAIT);
        assertThat(ofCall).extracting(Event::kind).containsExactly("DIALING", "DONE", "LOGGED");
        assertThat(ofCall).allSatisfy(event -> {
            assertThat(event.entryId()).isEqualTo(String.valueOf(entry));
            assertThat(event.direction()).isEqualTo("OUTBOUND");
            assertThat(event.campaignId()).isEqualTo(campaign);
            assertThat(event.sellerId()).isEqualTo(sellerId("Bright Media"));
            assertThat(event.leadId()).isEqualTo(String.valueOf(lead));
        });
        assertThat(ofCall.get(1).detail()).isEqualTo("BUSY");
        assertThat(ofCall.get(2).callLogId()).isNotNull();
        assertThat(ofCall.get(2).detail()).isEqualTo("BUSY");
    }

    /** Events sent while this instance's listening connection was down are lost: subscribers are told so. */
    @Test
    void subscribersAreToldWhenTheEventFeedWasInterrupted() {
        ConnectableFlux<Event> events = live("seller1", null, sellerId("Acme Leads"));

        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                Boolean.class, PostgresNotifications.APPLICATION_NAME);

        assertThat(events.filter(e -> "MISSED_SOME".equals(e.kind())).blockFirst(WAIT).at()).isNotBlank();
    }

    /**
     * A subscription that is live: the events from now on, replayed to each reader. Events are not replayed to a
     * late subscriber, so a probe (a queue entry's event of a campaign of the subscriber's seller, sent as the
     * trigger would) is sent until one arrives.
     */
    private ConnectableFlux<Event> live(String user, String campaignId, String probeSeller) {
        List<Event> seen = new CopyOnWriteArrayList<>();
        ConnectableFlux<Event> events = subscribe(user, campaignId).doOnNext(seen::add).replay();
        events.connect();
        String probe = "probe-" + UUID.randomUUID();
        Eventually.await("the subscription live", WAIT, () -> {
            jdbc.queryForList("SELECT pg_notify('capconduit_call_events', json_build_object('s', 'QUEUE', 'uid', ?::text, "
                    + "'campaign', coalesce(?::bigint, (SELECT min(id) FROM campaigns WHERE seller_id = ?::bigint)), "
                    + "'status', 'DIALING', 'at', now())::text)", probe, campaignId, probeSeller);
            return seen.stream().anyMatch(e -> probe.equals(e.linkedId()));
        });
        return events;
    }

    private Flux<Event> subscribe(String user, String campaignId) {
        WebSocketGraphQlTester socket = graphQl.webSocket(user);
        sockets.add(socket);
        return socket.document(EVENTS).variable("campaignId", campaignId).executeSubscription()
                .toFlux("callEvents", Event.class);
    }

    private long activeSetting(String seller) {
        return jdbc.queryForObject("""
                SELECT s.id FROM campaign_client_settings s JOIN campaigns c ON c.id = s.campaign_id
                JOIN sellers sl ON sl.id = c.seller_id
                WHERE sl.name = ? AND s.active AND s.client_active AND c.active AND s.in_flight < s.max_concurrent
                  AND (s.total_cap IS NULL OR s.cap_used + s.reserved < s.total_cap)
                ORDER BY s.id LIMIT 1""", Long.class, seller);
    }

    private String sellerId(String name) {
        return jdbc.queryForObject("SELECT id::text FROM sellers WHERE name = ?", String.class, name);
    }
}
