package io.capconduit.dialer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AsteriskServerMapper;
import io.capconduit.telephony.ConnectedAsterisk;
import io.capconduit.telephony.OtherInstanceAmi;
import io.capconduit.telephony.OtherInstanceForwarding;
import io.capconduit.telephony.SeparateAmiConnection;
import io.capconduit.telephony.TestAmiServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances on one database and one Asterisk, each with its own AMI connection: the application's
 * (instance B: its dialer, its event handling) and another made here (instance A: a recovery of its own).
 */
@IntegrationTest
class DialerInstancesIntegrationTests {

    private static final String STATUS = "query ($id: ID!) { asteriskServerStatus(serverId: $id) { connected "
            + "asteriskVersion activeChannels startedAt uptimeSeconds error } }";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    AmiConnections ami;

    @Autowired
    AsteriskServerMapper servers;

    @Autowired
    DialerMapper dialerMapper;

    @Autowired
    ProgressiveDialer dialer;

    @Autowired
    DialerRecovery recovery;

    @Autowired
    DialerEvents events;

    @Autowired
    AgentStateService agentStates;

    @Autowired
    DialerBackground background;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    DataSource dataSource;

    @Autowired
    ApplicationContext application;

    ConnectedAsterisk connected;

    TestAmiServer asterisk;

    long serverId;

    AmiConnections otherInstance;

    @BeforeEach
    void connect() throws Exception {
        connected = RecoveredAsterisk.connect(jdbc, ami, recovery);
        asterisk = connected.asterisk();
        serverId = connected.serverId();
        otherInstance = OtherInstanceAmi.connect(servers, serverId);
    }

    @AfterEach
    void disconnect() throws Exception {
        otherInstance.stop();
        connected.close();
    }

    /**
     * Instance A's connection was down while a call instance B placed rang out. B heard the Hangup, but its settle
     * has not landed yet (its event thread busy, the database retried) and Asterisk's CDR row is not written yet.
     * A reconnects: the call is neither up nor in the CDR, yet it rang. A does not put it back in the hopper before
     * B's settle could land: the lead is retried after the campaign's no-answer delay, its attempt counted, and not
     * dialed again at once.
     */
    @Test
    void aCallThatJustRangOutIsSettledByItsHangupNotPutBackByAnotherInstancesRecovery() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "retry_no_answer_seconds = 200");
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");
        String channel = "cc-just-rang-out-" + lead;
        dialingOn(serverId, lead, channel, "now() - interval '40 seconds'");
        DialerRecovery instanceA = new DialerRecovery(dialerMapper, otherInstance, Duration.ofSeconds(15));
        Thread recovering = new Thread(() -> instanceA.recover(serverId, Instant.now().plusSeconds(60)));

        recovering.start();
        // A has looked once: its channel list had no such call, the CDR no row
        Eventually.await("instance A's first look at " + channel, Duration.ofSeconds(20),
                () -> !recovering.isAlive() || missingSince(channel));
        // B's settle of the Hangup it heard lands now
        asterisk.push(TestAmiServer.event("Hangup", "Channel", "PJSIP/trunk-000000e1", "Uniqueid", channel,
                "Linkedid", channel, "Cause", "0", "Cause-txt", "Unknown"));
        Eventually.await("instance B's settle", Duration.ofSeconds(20), () -> !"DIALING".equals(status(lead)));
        recovering.join(Duration.ofSeconds(30).toMillis());

        assertThat(recovering.isAlive()).isFalse();
        assertThat(jdbc.queryForMap("SELECT q.status, q.outcome, l.status AS lead_status, l.attempts, "
                + "extract(epoch FROM l.next_attempt_at - q.done_at)::int AS delay FROM outbound_queue q "
                + "JOIN leads l ON l.id = q.lead_id WHERE q.lead_id = ?", lead))
                .containsEntry("status", "DONE").containsEntry("outcome", "NO_ANSWER")
                .containsEntry("lead_status", "RETRY").containsEntry("attempts", 1)
                .hasEntrySatisfying("delay", delay -> assertThat((Integer) delay).isBetween(199, 201));
        assertThat(dialer.dial(campaign.campaignId())).as("calls placed right after").isZero();
        assertThat(asterisk.originates()).isEmpty();
    }

    /**
     * Two instances recover the same server at once (Asterisk restarted; both reconnect), each deciding on the same
     * entries from its own channel list: each call that never happened goes back to the hopper once, its attempt
     * given back once (the lead had one attempt before this one).
     */
    @Test
    void twoInstancesRecoveringAtOncePutEachCallBackOnce() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        List<Long> leads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long lead = campaign.queued(OutboundFixture.phone());
            dialingOn(serverId, lead, "cc-restarted-" + lead, "now() - interval '1 minute'");
            jdbc.update("UPDATE leads SET attempts = 2 WHERE id = ?", lead);
            leads.add(lead);
        }
        DialerRecovery instanceA = new DialerRecovery(dialerMapper, otherInstance, Duration.ofSeconds(15), Duration.ZERO);
        DialerRecovery instanceB = new DialerRecovery(dialerMapper, ami, Duration.ofSeconds(15), Duration.ZERO);
        Instant connectedAt = Instant.now().plusSeconds(60);
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> recoveries = List.of(
                    both.submit(() -> awaitThen(start, () -> instanceA.recover(serverId, connectedAt))),
                    both.submit(() -> awaitThen(start, () -> instanceB.recover(serverId, connectedAt))));
            start.countDown();
            for (Future<?> recovery : recoveries) {
                recovery.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            both.shutdownNow();
        }

        for (long lead : leads) {
            assertThat(jdbc.queryForMap("SELECT q.status, q.channel_id, q.missing_since, l.attempts FROM outbound_queue q "
                    + "JOIN leads l ON l.id = q.lead_id WHERE q.lead_id = ?", lead))
                    .containsEntry("status", "QUEUED").containsEntry("channel_id", null)
                    .containsEntry("missing_since", null).containsEntry("attempts", 1);
        }
    }

    /**
     * Instance A put a call back and the dialer placed it again (a new ChannelId, answered, its agent on the call);
     * instance B, looking at the old call a moment before, acts on what it saw: none of recovery's decisions on the
     * old call (settle it, abandon it, put it back, mark it missing) touches the new one.
     */
    @Test
    void anotherInstancesLateDecisionsOnACallPutBackAndPlacedAgainChangeNothing() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String old = "cc-put-back-" + lead;
        dialingOn(serverId, lead, old, "now() - interval '1 minute'");
        new DialerRecovery(dialerMapper, otherInstance, Duration.ofSeconds(15), Duration.ZERO)
                .recover(serverId, Instant.now().plusSeconds(60));
        assertThat(status(lead)).isEqualTo("QUEUED");
        assertThat(dialer.dial(campaign.campaignId())).isOne();
        Eventually.await("the new call answered and given its agent", Duration.ofSeconds(20),
                () -> "ON_CALL".equals(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent)));

        assertThat(dialerMapper.settle(old, "NO_ANSWER", 0)).isZero();
        assertThat(dialerMapper.settle(old, "FAILED", null)).isZero();
        assertThat(dialerMapper.abandon(old)).isZero();
        assertThat(dialerMapper.requeue(old)).isZero();
        assertThat(dialerMapper.requeueMissing(old, 0)).isZero();
        assertThat(dialerMapper.markMissing(old)).isZero();

        assertThat(jdbc.queryForMap("SELECT q.status, q.channel_id, q.outcome, q.agent_id, q.missing_since, "
                + "q.answered_at IS NOT NULL AS answered, l.attempts FROM outbound_queue q JOIN leads l ON l.id = q.lead_id "
                + "WHERE q.lead_id = ?", lead))
                .containsEntry("status", "DIALING").containsEntry("channel_id", asterisk.originates().get(0).channelId())
                .containsEntry("outcome", "ANSWERED").containsEntry("agent_id", agent)
                .containsEntry("missing_since", null).containsEntry("answered", true).containsEntry("attempts", 1);
        assertThat(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent)).isEqualTo("ON_CALL");
        assertThat(asterisk.originates()).hasSize(1);
        jdbc.update("UPDATE outbound_queue SET status = 'DONE' WHERE lead_id = ?", lead);
    }

    /**
     * Every instance hears every event and handles it in its own time. Agent X's call ends: instance A handles the
     * Hangup of X's phone channel and its NOT_INUSE at once (wrap-up), X's wrap-up ends and X takes the next
     * answered lead. Instance B, behind (its event thread held up), handles the same two events only now: they are
     * older than X's new call and leave it alone, instead of putting X into wrap-up while it talks, then AVAILABLE
     * for a lead it cannot take.
     */
    @Test
    void agentEventsAnotherInstanceHandlesLateLeaveTheAgentsNextCallAlone() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        // X's phone and a probe's on the executor B holds, the one of the Hangup's channel: B handles none of them
        long agent = campaign.agent("ON_CALL", extensionOnTheStripeOfNoChannel());
        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
        String probeExtension = extensionOnTheStripeOfNoChannel();
        long probe = jdbc.queryForObject("INSERT INTO agents (name, extension, endpoint, state) VALUES (?, ?, ?, "
                + "'AVAILABLE') RETURNING id", Long.class, "Probe " + probeExtension, probeExtension,
                "agent-" + probeExtension);
        String uniqueId = onTheStripeOfNoChannel("agent-leg-" + agent);
        HeldEvents held = new HeldEvents();
        DialerEvents instanceB = new DialerEvents(dialerMapper, agentStates, recovery, otherInstance, background,
                transactions);
        AmiConnections instanceBAmi = OtherInstanceAmi.connect(servers, serverId, held, instanceB);
        try {
            held.hold(asterisk);
            asterisk.push(TestAmiServer.event("Hangup", "Channel", "PJSIP/" + endpoint + "-0000a001",
                    "Uniqueid", uniqueId, "Linkedid", "cc-first-call-" + agent, "Cause", "16",
                    "Cause-txt", "Normal Clearing"));
            asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", "PJSIP/" + endpoint, "State",
                    "NOT_INUSE"));
            asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", "PJSIP/agent-" + probeExtension,
                    "State", "INUSE"));
            // A handles the three in order on one executor: the probe on a call means A is done with X's two
            Eventually.await("instance A's handling of agent " + agent + "'s events", Duration.ofSeconds(20),
                    () -> "ON_CALL".equals(agentState(probe)));
            assertThat(agentState(agent)).isEqualTo("WRAP_UP");
            // and they reached B (its executor is late, not its connection): on a busy machine B's connection could
            // otherwise read them after X's next call began, and they would be news there
            held.awaitRead(asterisk);
            jdbc.update("UPDATE agents SET state = 'AVAILABLE', state_changed_at = now() WHERE id = ?", agent);
            assertThat(dialerMapper.claimAgent(campaign.campaignId(), "PJSIP/trunk-0000b002").id()).isEqualTo(agent);

            held.releaseAndDrain(asterisk);
        }
        finally {
            held.release();
            instanceBAmi.stop();
        }

        assertThat(agentState(agent)).isEqualTo("ON_CALL");
    }

    /**
     * One instance whose event thread was held up: the bridge of an agent in wrap-up and the call's Hangup, both
     * arrived before it got to them, are handled in order and leave the agent in wrap-up, not ON_CALL for ever.
     */
    @Test
    void aBridgeAndHangupHandledLateLeaveTheAgentInWrapUp() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long agent = campaign.agent("WRAP_UP");
        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
        String uniqueId = onTheStripeOfNoChannel("agent-leg-bridged-" + agent);
        HeldEvents held = new HeldEvents();
        try (SeparateAmiConnection alone = SeparateAmiConnection.start(jdbc, servers, held, events)) {
            held.hold(alone.asterisk());
            alone.asterisk().push(TestAmiServer.event("BridgeEnter", "BridgeUniqueid", "bridge-" + agent,
                    "BridgeType", "basic", "BridgeNumChannels", "2", "Channel", "PJSIP/" + endpoint + "-0000c001",
                    "Uniqueid", uniqueId, "Linkedid", uniqueId));
            alone.asterisk().push(TestAmiServer.event("Hangup", "Channel", "PJSIP/" + endpoint + "-0000c001",
                    "Uniqueid", uniqueId, "Linkedid", uniqueId, "Cause", "16", "Cause-txt", "Normal Clearing"));
            held.releaseAndDrain(alone.asterisk());
        }
        finally {
            held.release();
        }

        assertThat(agentState(agent)).isEqualTo("WRAP_UP");
    }

    /**
     * Two ticks at once (Quartz runs one at a time, but takes a stalled instance for dead after its check-in
     * interval and fires the tick elsewhere): both read the campaign's load before either hands out, so each places
     * agents × ratio calls, twice what the agents can take. The second reads the load after the first's hand-out.
     */
    @Test
    void twoTicksAtOncePlaceAgentsTimesRatioCallsOnce() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "dial_ratio = 1.0");
        for (int i = 0; i < 20; i++) {
            campaign.queued(OutboundFixture.phone());
        }
        for (int i = 0; i < 4; i++) {
            campaign.agent("AVAILABLE");
        }
        ProgressiveDialer instanceA = new ProgressiveDialer(dialerMapper, ami, background, recovery, transactions);
        ProgressiveDialer instanceB = new ProgressiveDialer(dialerMapper, otherInstance, background, recovery,
                transactions);
        ExecutorService both = Executors.newFixedThreadPool(2);
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            // the leads' rows held: a hand-out takes its entries, then waits to count their attempts
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM leads WHERE list_id = ? FOR UPDATE")) {
                lock.setLong(1, campaign.listId());
                lock.executeQuery().close();
            }
            List<Future<Integer>> ticks = List.of(both.submit(() -> instanceA.dial(campaign.campaignId())),
                    both.submit(() -> instanceB.dial(campaign.campaignId())));
            Eventually.await("both ticks waiting", Duration.ofSeconds(20), () -> jdbc.queryForObject(
                    "SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted", Integer.class) >= 2);
            holder.rollback();
            for (Future<Integer> tick : ticks) {
                tick.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            both.shutdownNow();
        }

        // both hand-outs committed before their ticks returned; their Originates are sent, maybe not yet read
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? "
                + "AND dialing_at IS NOT NULL", Integer.class, campaign.campaignId())).isEqualTo(4);
        Eventually.await("the calls answered", Duration.ofSeconds(20), () -> jdbc.queryForObject(
                "SELECT count(*) FROM outbound_queue WHERE campaign_id = ? AND answered_at IS NOT NULL", Integer.class,
                campaign.campaignId()) == 4);
        assertThat(asterisk.originates()).hasSize(4);
        jdbc.update("UPDATE outbound_queue SET status = 'DONE' WHERE campaign_id = ?", campaign.campaignId());
    }

    private String agentState(long agent) {
        return jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent);
    }

    /** An agent extension whose phone's state changes run on the executor of events that name no channel. */
    private static String extensionOnTheStripeOfNoChannel() {
        return Stream.generate(() -> String.valueOf(100000 + (long) (Math.random() * 9_000_000_000L)))
                .filter(extension -> SeparateAmiConnection.deviceOrdersWithEventsOfNoChannel("PJSIP/agent-"
                        + extension))
                .findFirst().orElseThrow();
    }

    /** {@code prefix} with a suffix that makes its events run with (so behind) those of no channel. */
    private static String onTheStripeOfNoChannel(String prefix) {
        return IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + "-" + i)
                .filter(SeparateAmiConnection::ordersWithEventsOfNoChannel).findFirst().orElseThrow();
    }

    private static void awaitThen(CountDownLatch start, Runnable work) {
        try {
            start.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        }
        work.run();
    }

    private boolean missingSince(String channel) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT missing_since IS NOT NULL FROM outbound_queue "
                + "WHERE channel_id = ?", Boolean.class, channel));
    }

    private String status(long lead) {
        return jdbc.queryForObject("SELECT status FROM outbound_queue WHERE lead_id = ?", String.class, lead);
    }

    /** The lead's entry as a dialer leaves it once its Originate is sent to {@code server}, at {@code when} (SQL). */
    /**
     * Call control asked of an instance that holds no AMI connection to the server (auto-connect off there) is sent
     * through the instance that holds one: Asterisk gets each action once and the caller its answer, a refusal too.
     */
    @Test
    void callControlOnAnInstanceWithoutTheConnectionIsSentThroughTheInstanceThatHasIt() {
        ami.disconnect(serverId);
        asterisk.channelUp("forwarded-hangup", "PJSIP/trunk-0000fa01");
        asterisk.channelUp("forwarded-transfer", "PJSIP/trunk-0000fa02");
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "active = true");
        String number = OutboundFixture.phone();

        try (OtherInstanceForwarding serving = OtherInstanceForwarding.of(otherInstance, application).listen()) {
            hangup("PJSIP/trunk-0000fa01").path("hangupChannel.ok").entity(Boolean.class).isEqualTo(true)
                    .path("hangupChannel.message").entity(String.class).isEqualTo("Channel Hungup");
            hangup("PJSIP/trunk-0000dead").path("hangupChannel.ok").entity(Boolean.class).isEqualTo(false)
                    .path("hangupChannel.message").entity(String.class).isEqualTo("No such channel");
            graphQl.as("staff").document("mutation ($server: ID!, $number: String!, $campaign: ID!) { blindTransfer("
                    + "input: {serverId: $server, channel: \"PJSIP/trunk-0000fa02\", number: $number, campaignId: "
                    + "$campaign}) { ok message } }").variable("server", serverId).variable("number", number)
                    .variable("campaign", campaign.campaignId()).execute()
                    .path("blindTransfer.ok").entity(Boolean.class).isEqualTo(true)
                    .path("blindTransfer.message").entity(String.class).isEqualTo("Redirect successful");
        }

        assertThat(asterisk.actions("Hangup")).extracting(action -> action.get("Channel"))
                .containsExactly("PJSIP/trunk-0000fa01", "PJSIP/trunk-0000dead");
        assertThat(asterisk.actions("Setvar")).singleElement().satisfies(set -> {
            assertThat(set).containsEntry("Channel", "PJSIP/trunk-0000fa02").containsEntry("Variable", "TRANSFER_DIAL");
            assertThat(set.get("Value")).startsWith("PJSIP/").contains(number.substring(1) + "@trunk-");
        });
        assertThat(asterisk.actions("Redirect")).singleElement().satisfies(redirect -> assertThat(redirect)
                .containsEntry("Context", "capconduit-transfer").containsEntry("Exten", "s"));
        assertThat(forwardedRows()).as("answered rows are deleted").isZero();
    }

    /** A click-to-call asked of an instance without the connection is originated by the one that has it. */
    @Test
    void clickToCallOnAnInstanceWithoutTheConnectionIsOriginatedThroughTheInstanceThatHasIt() {
        ami.disconnect(serverId);
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "active = true");
        long agent = campaign.agent("AVAILABLE");
        String number = OutboundFixture.phone();

        String channelId;
        try (OtherInstanceForwarding serving = OtherInstanceForwarding.of(otherInstance, application).listen()) {
            channelId = graphQl.as("staff").document("mutation ($agent: ID!, $number: String!, $campaign: ID!, "
                    + "$server: ID!) { clickToCall(input: {agentId: $agent, number: $number, campaignId: $campaign, "
                    + "serverId: $server, outsideCallWindow: true}) { ok channelId } }").variable("agent", agent)
                    .variable("number", number).variable("campaign", campaign.campaignId())
                    .variable("server", serverId).execute().path("clickToCall.ok").entity(Boolean.class).isEqualTo(true)
                    .path("clickToCall.channelId").entity(String.class).get();
        }

        assertThat(asterisk.originates()).singleElement().satisfies(originate -> {
            assertThat(originate.channelId()).isEqualTo(channelId);
            assertThat(originate.context()).isEqualTo(CallControlService.CLICK_TO_CALL_CONTEXT);
            assertThat(originate.variables()).containsEntry("CTC_NUMBER", number)
                    .containsEntry("AGENT_ID", String.valueOf(agent));
        });
    }

    /**
     * The instance holding the connection does not serve forwarded actions (it died a moment ago, or hangs): the
     * caller is told so after the timeout (4 s in tests), and the action, withdrawn, is never sent later.
     */
    @Test
    void callControlThroughAnInstanceThatDoesNotAnswerFailsClearlyAndIsNeverSentLater() {
        ami.disconnect(serverId);
        asterisk.channelUp("forwarded-unanswered", "PJSIP/trunk-0000fa03");

        String message = hangup("PJSIP/trunk-0000fa03").path("hangupChannel.ok").entity(Boolean.class).isEqualTo(false)
                .path("hangupChannel.message").entity(String.class).get();

        assertThat(message).isEqualTo("Asterisk server " + serverId + ": the app instance holding its AMI connection "
                + "did not answer in 4 s; the Hangup was withdrawn, nothing was sent");
        assertThat(forwardedRows()).isZero();
        try (OtherInstanceForwarding serving = OtherInstanceForwarding.of(otherInstance, application)) {
            serving.catchUp();
        }
        assertThat(asterisk.actions("Hangup")).isEmpty();
    }

    /**
     * The holding instance's listening connection was down when the action was asked for: once it listens again it
     * reads the actions still waiting and sends this one, and its caller gets the answer.
     */
    @Test
    void anActionWhoseNotificationTheHoldingInstanceMissedIsSentOnceItListensAgain() throws Exception {
        ami.disconnect(serverId);
        asterisk.channelUp("forwarded-missed", "PJSIP/trunk-0000fa04");

        try (OtherInstanceForwarding serving = OtherInstanceForwarding.of(otherInstance, application)) {
            CompletableFuture<String> hangup = CompletableFuture.supplyAsync(() -> hangup("PJSIP/trunk-0000fa04")
                    .path("hangupChannel.message").entity(String.class).get());
            Eventually.await("the forwarded Hangup written", Duration.ofSeconds(3), () -> forwardedRows() == 1);
            serving.catchUp();

            assertThat(hangup.get(10, TimeUnit.SECONDS)).isEqualTo("Channel Hungup");
        }
        assertThat(asterisk.actions("Hangup")).hasSize(1);
    }

    private GraphQlTester.Response hangup(String channel) {
        return graphQl.as("staff").document("mutation ($server: ID!, $channel: String!) { hangupChannel(input: "
                + "{serverId: $server, channel: $channel}) { ok message } }").variable("server", serverId)
                .variable("channel", channel).execute();
    }

    private int forwardedRows() {
        return jdbc.queryForObject("SELECT count(*) FROM ami_forwarded_actions WHERE server_id = ?", Integer.class,
                serverId);
    }

    /**
     * A server's status asked of an instance without its connection is asked through the instance that has it (its
     * uptime right whatever the Asterisk host's time zone, from the FullyBooted that instance was sent); one that
     * does not answer leaves the server connected without figures, saying why; none left: down.
     */
    @Test
    void serverStatusOnAnInstanceWithoutTheConnectionIsAskedThroughTheInstanceThatHasIt() {
        ami.disconnect(serverId);
        asterisk.channelUp("forwarded-status", "PJSIP/trunk-0000fa05");
        ZoneId elsewhere = TestAmiServer.aZoneFarFromHere();
        asterisk.startedAt(Instant.now().minus(Duration.ofHours(3)), elsewhere);
        otherInstance.stop();
        otherInstance = OtherInstanceAmi.connect(servers, serverId);   // a login told of that start

        try (OtherInstanceForwarding serving = OtherInstanceForwarding.of(otherInstance, application).listen()) {
            graphQl.as("staff").document(STATUS).variable("id", serverId).execute()
                    .path("asteriskServerStatus.connected").entity(Boolean.class).isEqualTo(true)
                    .path("asteriskServerStatus.asteriskVersion").entity(String.class).isEqualTo("22.5.2")
                    .path("asteriskServerStatus.activeChannels").entity(Integer.class).isEqualTo(1)
                    .path("asteriskServerStatus.uptimeSeconds").entity(Integer.class)
                    .satisfies(uptime -> assertThat(uptime).isBetween(3 * 3600 - 5, 3 * 3600 + 60))
                    .path("asteriskServerStatus.error").valueIsNull();
        }
        graphQl.as("staff").document(STATUS).variable("id", serverId).execute()
                .path("asteriskServerStatus.connected").entity(Boolean.class).isEqualTo(true)
                .path("asteriskServerStatus.asteriskVersion").valueIsNull()
                .path("asteriskServerStatus.error").entity(String.class)
                .isEqualTo("Asterisk server " + serverId + ": the app instance holding its AMI connection did not "
                        + "answer in 4 s; the CoreSettings was withdrawn, nothing was sent");

        otherInstance.stop();
        graphQl.as("staff").document(STATUS).variable("id", serverId).execute()
                .path("asteriskServerStatus.connected").entity(Boolean.class).isEqualTo(false);
    }

    private void dialingOn(long server, long lead, String channelId, String when) {
        jdbc.update("UPDATE outbound_queue SET status = 'DIALING', dialing_at = " + when + ", server_id = ?, "
                + "channel_id = ? WHERE lead_id = ?", server, channelId, lead);
        jdbc.update("UPDATE leads SET attempts = 1, last_attempt_at = now() WHERE id = ?", lead);
    }
}
