package io.capconduit.dialer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlErrors;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AsteriskServerMapper;
import io.capconduit.telephony.ConnectedAsterisk;
import io.capconduit.telephony.SeparateAmiConnection;
import io.capconduit.telephony.TestAmiServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dialer against a real TCP AMI server through the real asterisk-java client. */
@IntegrationTest
class ProgressiveDialerIntegrationTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AmiConnections ami;

    @Autowired
    DialerMapper dialerMapper;

    @Autowired
    ProgressiveDialer dialer;

    @Autowired
    DialerRecovery recovery;

    @Autowired
    DialerEvents events;

    @Autowired
    DialerBackground background;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    AsteriskServerMapper servers;

    ConnectedAsterisk connected;

    TestAmiServer asterisk;

    long serverId;

    @BeforeEach
    void connect() throws Exception {
        connected = RecoveredAsterisk.connect(jdbc, ami, recovery);
        asterisk = connected.asterisk();
        serverId = connected.serverId();
    }

    @AfterEach
    void disconnect() throws Exception {
        connected.close();
    }

    @Test
    void placesAgentsTimesRatioCallsAndRetriesEachOutcomeAfterItsDelay() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "dial_ratio = 1.5, retry_busy_seconds = 100, "
                + "retry_no_answer_seconds = 200, retry_failed_seconds = 300");
        for (int i = 0; i < 10; i++) {
            campaign.queued(OutboundFixture.phone());
        }
        campaign.agent("AVAILABLE");
        campaign.agent("AVAILABLE");
        TestAmiServer.Outcome[] outcomes = {TestAmiServer.Outcome.BUSY, TestAmiServer.Outcome.NO_ANSWER,
                TestAmiServer.Outcome.FAILED};
        asterisk.outcomes(originate -> outcomes[(int) (Long.parseLong(originate.variables().get("QUEUE_ENTRY_ID")) % 3)]);

        int placed = dialer.dial(campaign.campaignId());

        assertThat(placed).isEqualTo(3); // 2 agents × 1.5
        await(() -> count("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? AND status = 'DONE'",
                campaign.campaignId()) == 3);
        List<Map<String, Object>> settled = jdbc.queryForList("""
                SELECT q.outcome, l.status, l.attempts, extract(epoch FROM l.next_attempt_at - q.done_at)::int AS delay
                FROM outbound_queue q JOIN leads l ON l.id = q.lead_id
                WHERE q.campaign_id = ? AND q.status = 'DONE'""", campaign.campaignId());
        assertThat(settled).allSatisfy(row -> {
            assertThat(row.get("status")).isEqualTo("RETRY");
            assertThat(row.get("attempts")).isEqualTo(1);
            int expected = switch ((String) row.get("outcome")) {
                case "BUSY" -> 100;
                case "NO_ANSWER" -> 200;
                default -> 300;
            };
            assertThat((Integer) row.get("delay")).isBetween(expected - 1, expected + 1);
        });
        assertThat(asterisk.originates()).allSatisfy(originate -> {
            assertThat(originate.channelId()).startsWith("cc-");
            assertThat(originate.context()).isEqualTo("capconduit-outbound-answered");
            assertThat(originate.variables()).containsKeys("QUEUE_ENTRY_ID", "LEAD_ID", "CAMPAIGN_ID");
        });
    }

    /** Asterisk refuses an originate (a trunk it does not know, say): the entry is settled FAILED at once. */
    @Test
    void aRefusedOriginateIsSettledFailedAndItsLeadRetriedAfterTheFailedDelay() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "retry_failed_seconds = 300");
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");

        dialRefusedAndAwaitSettled(campaign, lead);

        assertRetriedAfterFailure(lead, 300);
    }

    /**
     * The settle of a refused originate fails once (the database went away for a moment): it is tried again,
     * rather than leaving the entry DIALING until the server's next reconnect.
     */
    @Test
    void theSettleOfARefusedOriginateIsTriedAgainWhenTheDatabaseFailsIt() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "retry_failed_seconds = 300");
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");
        try (FailingUpdates settles = new FailingUpdates("NEW.status = 'DONE' AND NEW.lead_id = " + lead, 1)) {
            dialRefusedAndAwaitSettled(campaign, lead);

            assertThat(settles.attempts()).as("settle attempts").isEqualTo(2);
            assertRetriedAfterFailure(lead, 300);
        }
    }

    /**
     * Asterisk could not even make the call's channel (a trunk with no reachable contact): its OriginateResponse is a
     * Failure with Uniqueid "&lt;null&gt;" and no Hangup follows. The entry is still settled FAILED, matched by the
     * Originate's ActionID, rather than left DIALING.
     */
    @Test
    void anOriginateThatMadeNoChannelIsSettledFailed() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "retry_failed_seconds = 300");
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");
        asterisk.outcomes(originate -> TestAmiServer.Outcome.NO_CHANNEL);

        assertThat(dialer.dial(campaign.campaignId())).isOne();
        await(() -> count("SELECT count(*) FROM outbound_queue WHERE lead_id = ? AND status = 'DONE'", lead) == 1);

        assertRetriedAfterFailure(lead, 300);
    }

    /**
     * A call whose channel was made fails: its outcome comes from the Hangup's cause (17: BUSY), not from the
     * OriginateResponse's reason (1, the far end hung up), whichever of the two arrives first.
     */
    @Test
    void aFailedCallIsSettledFromItsHangupCauseNotTheOriginateReason() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        String channel = "cc-busy-" + lead;
        dialing(lead, channel);

        asterisk.push(TestAmiServer.event("OriginateResponse", "Response", "Failure", "Channel",
                "PJSIP/trunk-000000b1", "Context", "capconduit-outbound-answered", "Exten", "s", "Reason", "1",
                "Uniqueid", channel, "CallerIDNum", "<unknown>", "CallerIDName", "<unknown>"));
        asterisk.push(TestAmiServer.event("Hangup", "Channel", "PJSIP/trunk-000000b1", "Uniqueid", channel,
                "Linkedid", channel, "Cause", "17", "Cause-txt", "User busy"));
        await(() -> "DONE".equals(queueStatus(lead)));

        assertThat(jdbc.queryForMap("SELECT outcome, hangup_cause FROM outbound_queue WHERE lead_id = ?", lead))
                .containsEntry("outcome", "BUSY").containsEntry("hangup_cause", 17);
        assertThat(Outcomes.fromOriginateReason(1)).isEqualTo("FAILED");
    }

    /**
     * The lead's phone rings until the Originate's Timeout: Asterisk 22 hangs the channel up with no cause (Hangup
     * Cause 0, "Unknown"; asterisk/asterisk issue #1660) after an OriginateResponse Failure with Reason 3. The call
     * is NO_ANSWER and retried after the no-answer delay, not FAILED.
     */
    @Test
    void aCallThatRangUntilTheTimeoutIsSettledNoAnswer() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC",
                "retry_no_answer_seconds = 200, retry_failed_seconds = 300");
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");
        asterisk.outcomes(originate -> TestAmiServer.Outcome.NO_ANSWER);

        assertThat(dialer.dial(campaign.campaignId())).isOne();
        await(() -> "DONE".equals(queueStatus(lead)));

        assertThat(jdbc.queryForMap("""
                SELECT q.outcome, q.hangup_cause, l.status, extract(epoch FROM l.next_attempt_at - q.done_at)::int AS delay
                FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.lead_id = ?""", lead))
                .containsEntry("outcome", "NO_ANSWER").containsEntry("hangup_cause", 0)
                .containsEntry("status", "RETRY")
                .hasEntrySatisfying("delay", delay -> assertThat((Integer) delay).isBetween(199, 201));
    }

    /** Dials the campaign's one queued lead, whose Originate Asterisk refuses, and waits until it is settled. */
    private void dialRefusedAndAwaitSettled(OutboundFixture campaign, long lead) {
        asterisk.refuseNextOriginate("Extension does not exist.");
        assertThat(dialer.dial(campaign.campaignId())).isOne();
        await(() -> count("SELECT count(*) FROM outbound_queue WHERE lead_id = ? AND status = 'DONE'", lead) == 1);
    }

    private void assertRetriedAfterFailure(long lead, int delaySeconds) {
        assertThat(jdbc.queryForMap("""
                SELECT q.outcome, l.status, l.attempts, extract(epoch FROM l.next_attempt_at - q.done_at)::int AS delay
                FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.lead_id = ?""", lead))
                .containsEntry("outcome", "FAILED").containsEntry("status", "RETRY").containsEntry("attempts", 1)
                .hasEntrySatisfying("delay", delay -> assertThat((Integer) delay).isBetween(delaySeconds - 1,
                        delaySeconds + 1));
    }

    @Test
    void twoDialerInstancesNeverDialTheSameEntry() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "dial_ratio = 3.0");
        for (int i = 0; i < 60; i++) {
            campaign.queued(OutboundFixture.phone());
        }
        for (int i = 0; i < 10; i++) {
            campaign.agent("AVAILABLE");
        }
        asterisk.outcomes(originate -> TestAmiServer.Outcome.NO_ANSWER);
        ProgressiveDialer first = new ProgressiveDialer(dialerMapper, ami, background, recovery, transactions);
        ProgressiveDialer second = new ProgressiveDialer(dialerMapper, ami, background, recovery, transactions);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                List<Callable<Integer>> both = List.of(() -> first.dial(campaign.campaignId()),
                        () -> second.dial(campaign.campaignId()));
                threads.invokeAll(both);
                await(() -> count("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? AND status = 'DIALING'",
                        campaign.campaignId()) == 0);
            }
        }
        finally {
            threads.shutdown();
        }

        List<String> leadsDialed = asterisk.originates().stream().map(o -> o.variables().get("LEAD_ID")).toList();
        assertThat(leadsDialed).hasSize(60).doesNotHaveDuplicates();
        assertThat(count("SELECT count(*) FROM leads l JOIN outbound_queue q ON q.lead_id = l.id "
                + "WHERE q.campaign_id = ? AND l.attempts = 1", campaign.campaignId())).isEqualTo(60);
    }

    @Test
    void aConnectionDroppedMidOriginateNeitherDialsTwiceNorLosesAnEntry() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        for (int i = 0; i < 3; i++) {
            campaign.queued(OutboundFixture.phone());
            campaign.agent("AVAILABLE");
        }
        asterisk.outcomes(originate -> TestAmiServer.Outcome.NO_ANSWER);
        asterisk.dropOnNextOriginate();

        dialer.dial(campaign.campaignId());
        await(() -> ami.isConnected(serverId) && count("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? "
                + "AND status = 'QUEUED'", campaign.campaignId()) + asterisk.originates().size() >= 3);
        // the dropped call is still up on Asterisk: recovery leaves it DIALING, the rest are dialed now
        await(() -> {
            dialer.dial(campaign.campaignId());
            return count("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? AND status = 'QUEUED'",
                    campaign.campaignId()) == 0;
        });
        String dropped = asterisk.originates().get(0).channelId();
        asterisk.hangup(dropped, 19);
        await(() -> count("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? AND status = 'DONE'",
                campaign.campaignId()) == 3);

        List<String> leadsDialed = asterisk.originates().stream().map(o -> o.variables().get("LEAD_ID")).toList();
        assertThat(leadsDialed).hasSize(3).doesNotHaveDuplicates();
    }

    /**
     * An entry put back in the hopper forgets everything its attempt left, answer, outcome and agent included
     * (else the next attempt would settle as this one did), and the agent it held is free again.
     */
    @Test
    void aCallRequeuedAfterItWasAnsweredForgetsThatAttemptAndFreesItsAgent() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channel = "cc-lost-" + lead;
        long entry = answeredOnAgent(lead, agent, channel);

        assertThat(dialerMapper.requeue(channel)).isEqualTo(1);

        assertThat(jdbc.queryForMap("SELECT status, channel_id, answered_at, outcome, agent_id, hangup_cause "
                + "FROM outbound_queue WHERE id = ?", entry)).containsEntry("status", "QUEUED")
                .containsEntry("channel_id", null).containsEntry("answered_at", null).containsEntry("outcome", null)
                .containsEntry("agent_id", null).containsEntry("hangup_cause", null);
        assertThat(agentState(agent)).isEqualTo("AVAILABLE");
        assertThat(jdbc.queryForObject("SELECT attempts FROM leads WHERE id = ?", Integer.class, lead)).isZero();
        assertThat(dialerMapper.requeue(channel)).as("requeued twice").isZero();
    }

    /**
     * An answered call whose channel and CDR Asterisk lost (it crashed mid-call) is settled after the reconnect,
     * keeping its answer and its attempt: the lead may have talked to an agent, so it is not dialed again as if
     * never called. Its agent goes to wrap-up.
     */
    @Test
    void anAnsweredCallLostWithItsChannelAndCdrIsSettledNotDialedAgain() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channel = "cc-answered-lost-" + lead;
        answeredOnAgent(lead, agent, channel);

        // as after a reconnect a minute from now (a recovery of the connect in @BeforeEach looks before it)
        recovery.recover(serverId, Instant.now().plusSeconds(60));

        assertThat(jdbc.queryForMap("SELECT status, outcome FROM outbound_queue WHERE channel_id = ?", channel))
                .containsEntry("status", "DONE").containsEntry("outcome", "ANSWERED");
        assertThat(jdbc.queryForMap("SELECT status, attempts FROM leads WHERE id = ?", lead))
                .containsEntry("status", "DONE").containsEntry("attempts", 1);
        assertThat(agentState(agent)).isEqualTo("WRAP_UP");
        assertThat(count("SELECT count(*) FROM outbound_queue WHERE lead_id = ? AND status <> 'DONE'", lead)).isZero();
        assertThat(asterisk.originates()).isEmpty();
    }

    /**
     * A call lost while the connection stays up (the application instance that handed it out died before sending
     * its Originate) holds the campaign's only agent's call: it is resolved without waiting for a reconnect, and
     * the campaign dials again.
     */
    @Test
    void anEntryLostWhileTheConnectionStaysUpIsResolvedWithoutAReconnect() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "dial_ratio = 1.0");
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");
        dialingAt(lead, "cc-lost-while-up-" + lead, "now() - interval '10 minutes'");
        long ringing = campaign.queued(OutboundFixture.phone());
        String stillUp = "cc-long-ringing-" + ringing;
        dialingAt(ringing, stillUp, "now() - interval '10 minutes'");
        asterisk.channelUp(stillUp, "PJSIP/trunk-0000009a");
        assertThat(dialer.dial(campaign.campaignId())).isZero();

        assertThat(recovery.resolveOverdue()).isGreaterThanOrEqualTo(1);

        assertThat(queueStatus(lead)).isEqualTo("QUEUED");
        assertThat(jdbc.queryForObject("SELECT attempts FROM leads WHERE id = ?", Integer.class, lead)).isZero();
        assertThat(queueStatus(ringing)).isEqualTo("DIALING");   // still up: left to its coming events
        asterisk.hangup(stillUp, 19);
        await(() -> "DONE".equals(queueStatus(ringing)));
        assertThat(dialer.dial(campaign.campaignId())).isOne();
    }

    /**
     * The connection dropped between the answer and the Redirect to the agent: the call played the abandon
     * message. Recovery reads that from the CDR: ABANDONED (the lead is retried), and the agent is free.
     */
    @Test
    void recoverySettlesACallThatEndedOnTheAbandonMessageAsAbandonedAndFreesItsAgent() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channel = "cc-abandoned-" + lead;
        answeredOnAgent(lead, agent, channel);
        jdbc.update("INSERT INTO cdr (start, answer, \"end\", duration, billsec, disposition, userfield, uniqueid, "
                + "linkedid) VALUES (now() AT TIME ZONE 'UTC' - interval '50 seconds', now() AT TIME ZONE 'UTC' - "
                + "interval '45 seconds', now() AT TIME ZONE 'UTC' - interval '30 seconds', 20, 15, 'ANSWERED', "
                + "'ABANDONED', ?, ?)", channel, channel);

        // as after a reconnect a minute from now (a recovery of the connect in @BeforeEach looks before it)
        recovery.recover(serverId, Instant.now().plusSeconds(60));

        assertThat(jdbc.queryForMap("SELECT status, outcome, agent_id FROM outbound_queue WHERE channel_id = ?",
                channel)).containsEntry("status", "DONE").containsEntry("outcome", "ABANDONED")
                .containsEntry("agent_id", null);
        assertThat(jdbc.queryForMap("SELECT status, last_outcome FROM leads WHERE id = ?", lead))
                .containsEntry("status", "RETRY").containsEntry("last_outcome", "ABANDONED");
        assertThat(agentState(agent)).isEqualTo("AVAILABLE");
    }

    /**
     * Every application instance has its own AMI connection and hears the same OriginateResponse: only the first
     * to take the answer gives the call an agent and redirects it; the others do nothing.
     */
    @Test
    void anAnswerHeardTwiceTakesOneAgentAndRedirectsOnce() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long first = campaign.agent("AVAILABLE");
        long second = campaign.agent("AVAILABLE");
        String channelId = "cc-heard-twice-" + lead;
        dialing(lead, channelId);
        asterisk.channelUp(channelId, "PJSIP/trunk-0000005d");
        OriginateResponseEvent answered = answered(channelId, "PJSIP/trunk-0000005d");

        events.onEvent(serverId, answered);
        events.onEvent(serverId, answered);

        await(() -> !redirectsOf("PJSIP/trunk-0000005d").isEmpty());
        Thread.sleep(300);
        assertThat(redirectsOf("PJSIP/trunk-0000005d")).hasSize(1);
        assertThat(List.of(agentState(first), agentState(second))).containsExactlyInAnyOrder("ON_CALL", "AVAILABLE");
    }

    private List<Map<String, String>> redirectsOf(String channel) {
        return asterisk.actions("Redirect").stream().filter(action -> channel.equals(action.get("Channel"))).toList();
    }

    /**
     * The call is answered but the connection is gone before the Redirect to the agent can be sent: the answered
     * context plays the abandon message by itself, so the call is marked ABANDONED and the agent set free at once
     * (the call's hangup, or recovery, settles the entry).
     */
    @Test
    void anAnsweredCallWhoseRedirectCannotBeSentIsAbandonedAndItsAgentFreed() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channelId = "cc-unsent-" + lead;
        dialing(lead, channelId);
        ami.disconnect(serverId);
        OriginateResponseEvent answered = answered(channelId, "PJSIP/trunk-0000002b");

        events.onEvent(serverId, answered);

        assertThat(jdbc.queryForMap("SELECT status, outcome, agent_id FROM outbound_queue WHERE channel_id = ?",
                channelId)).containsEntry("status", "DIALING").containsEntry("outcome", "ABANDONED")
                .containsEntry("agent_id", null);
        assertThat(agentState(agent)).isEqualTo("AVAILABLE");
        assertThat(asterisk.actions("Redirect")).isEmpty();
    }

    /** A channel list that goes unanswered in time is asked for again, not taken for a lost connection. */
    @Test
    void recoveryAsksAgainWhenItsChannelListGoesUnanswered() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        String channel = "cc-unlisted-" + lead;
        dialing(lead, channel);
        asterisk.ignoreNextShowChannels();

        // as after a reconnect a minute from now (a recovery of the connect in @BeforeEach looks before it)
        new DialerRecovery(dialerMapper, ami, Duration.ofSeconds(15), Duration.ZERO)
                .recover(serverId, Instant.now().plusSeconds(60));

        // the list unanswered, the one asked for again, and the next look, which puts the call back
        assertThat(asterisk.actions("CoreShowChannels")).hasSize(3);
        // neither up nor in the CDR: back in the hopper
        assertThat(queueStatus(lead))
                .isEqualTo("QUEUED");
    }

    /**
     * A channel list refused with an error is no list: recovery asks again (past three tries, with growing
     * pauses) instead of taking it for an empty one and putting a call that is still up back in the hopper.
     */
    @Test
    void recoveryKeepsAskingWhileTheChannelListIsRefused() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        String channel = "cc-refused-" + lead;
        dialing(lead, channel);
        asterisk.channelUp(channel, "PJSIP/trunk-0000004c");
        asterisk.refuseShowChannels(3);

        recovery.recover(serverId, Instant.now().plusSeconds(60));

        assertThat(asterisk.actions("CoreShowChannels")).hasSize(4);
        // still up on Asterisk: left to its coming events
        assertThat(queueStatus(lead))
                .isEqualTo("DIALING");
    }

    /**
     * An entry handed out a moment ago (by another application instance, as this one reconnects) is neither up
     * nor in the CDR yet: its Originate may still be on its way. Recovery does not put it back in the hopper,
     * which would dial the lead twice; it looks again, and finds the call up.
     */
    @Test
    void recoveryLeavesAnEntryHandedOutAMomentAgoUntilItsCallShows() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        String channel = "cc-just-sent-" + lead;
        dialingAt(lead, channel, "now()");
        DialerRecovery patient = new DialerRecovery(dialerMapper, ami, Duration.ofSeconds(5));
        Thread recovering = new Thread(() -> patient.recover(serverId, Instant.now().plusSeconds(60)));
        recovering.start();
        await(() -> !asterisk.actions("CoreShowChannels").isEmpty());

        asterisk.channelUp(channel, "PJSIP/trunk-0000006e");
        recovering.join(Duration.ofSeconds(20).toMillis());

        assertThat(recovering.isAlive()).isFalse();
        assertThat(queueStatus(lead))
                .isEqualTo("DIALING");
        // no longer taken for missing: once it rings out, its Hangup has time to settle it before a recovery may
        assertThat(jdbc.queryForObject("SELECT missing_since FROM outbound_queue WHERE lead_id = ?",
                java.sql.Timestamp.class, lead)).isNull();
    }

    /** Such an entry whose call never shows goes back to the hopper once it is no longer young. */
    @Test
    void recoveryRequeuesAYoungEntryWhoseCallNeverShows() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        dialingAt(lead, "cc-never-shows-" + lead, "now()");

        new DialerRecovery(dialerMapper, ami, Duration.ofSeconds(1)).recover(serverId, Instant.now().plusSeconds(60));

        assertThat(queueStatus(lead))
                .isEqualTo("QUEUED");
        assertThat(asterisk.actions("CoreShowChannels").size()).isGreaterThanOrEqualTo(2);
    }

    /** Recovery for an earlier connect stops asking once a later connect's recovery has begun. */
    @Test
    void anEarlierRecoveryGivesWayToALaterOne() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        dialing(lead, "cc-superseded-" + lead);
        asterisk.refuseShowChannels(1_000);
        Instant first = Instant.now().plusSeconds(60);
        Thread earlier = new Thread(() -> recovery.recover(serverId, first));
        earlier.start();
        await(() -> asterisk.actions("CoreShowChannels").size() >= 2);
        Thread later = new Thread(() -> recovery.recover(serverId, first.plusSeconds(1)));
        later.start();

        // still refused: only the later recovery goes on asking
        earlier.join(Duration.ofSeconds(10).toMillis());
        assertThat(earlier.isAlive()).isFalse();
        asterisk.refuseShowChannels(0);
        later.join(Duration.ofSeconds(20).toMillis());
        assertThat(later.isAlive()).isFalse();
        // neither up nor in the CDR: back in the hopper
        assertThat(queueStatus(lead))
                .isEqualTo("QUEUED");
    }

    @Test
    void recoveryPausesGrowToThirtySeconds() {
        assertThat(DialerRecovery.pauseAfter(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(DialerRecovery.pauseAfter(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(DialerRecovery.pauseAfter(8)).isEqualTo(Duration.ofSeconds(30));
        assertThat(DialerRecovery.pauseAfter(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    /**
     * The lead's queue entry as an answered call handed to the agent leaves it (dialed on this test's server,
     * ChannelId {@code channel}, a normal-clearing cause stored), its attempt counted; returns the entry's id.
     */
    /** The lead's queue entry as the dialer leaves it once its Originate is sent to this test's server. */
    private void dialing(long lead, String channelId) {
        // handed out a minute ago: before the outage the recovery tests play
        dialingAt(lead, channelId, "now() - interval '1 minute'");
    }

    private String queueStatus(long lead) {
        return jdbc.queryForObject("SELECT status FROM outbound_queue WHERE lead_id = ?", String.class, lead);
    }

    /** The same, handed out at {@code when} (an SQL expression). */
    private void dialingAt(long lead, String channelId, String when) {
        dialingOn(serverId, lead, channelId, when);
    }

    private void dialingOn(long server, long lead, String channelId, String when) {
        jdbc.update("UPDATE outbound_queue SET status = 'DIALING', dialing_at = " + when + ", server_id = ?, "
                + "channel_id = ? WHERE lead_id = ?", server, channelId, lead);
        jdbc.update("UPDATE leads SET attempts = 1 WHERE id = ?", lead);
    }

    /** Asterisk's OriginateResponse for an answered call. */
    private OriginateResponseEvent answered(String channelId, String channel) {
        OriginateResponseEvent answered = new OriginateResponseEvent(this);
        answered.setResponse("Success");
        answered.setUniqueId(channelId);
        answered.setChannel(channel);
        return answered;
    }

    /**
     * Makes UPDATEs of outbound_queue fail, as a database that went away would, while {@code condition} (SQL on
     * NEW) holds, the first {@code failures} times; counts the UPDATEs it matched, whatever rolled back.
     */
    private final class FailingUpdates implements AutoCloseable {

        private final String name = "fail_" + java.util.UUID.randomUUID().toString().replace("-", "");

        FailingUpdates(String condition, long failures) {
            jdbc.execute("CREATE SEQUENCE " + name);
            jdbc.execute("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition
                    + " AND nextval('" + name + "') <= " + failures + " THEN RAISE EXCEPTION "
                    + "'terminating connection due to administrator command'; END IF; RETURN NEW; END $$");
            jdbc.execute("CREATE TRIGGER " + name + " BEFORE UPDATE ON outbound_queue FOR EACH ROW EXECUTE FUNCTION "
                    + name + "()");
        }

        long attempts() {
            return jdbc.queryForObject("SELECT last_value FROM " + name, Long.class);
        }

        @Override
        public void close() {
            jdbc.execute("DROP TRIGGER " + name + " ON outbound_queue");
            jdbc.execute("DROP FUNCTION " + name + "()");
            jdbc.execute("DROP SEQUENCE " + name);
        }
    }

    /** A deactivated server is never reconnected, so never recovered: its calls are resolved once they must have ended. */
    @Test
    void theCallsOfADeactivatedServerAreResolvedOnceTheyMustHaveEnded() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long gone = OutboundFixture.server(jdbc, 1, "unused");
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", gone);
        long unanswered = campaign.queued(OutboundFixture.phone());
        dialingOn(gone, unanswered, "cc-orphan-unanswered-" + unanswered, "now() - interval '11 minutes'");
        long recent = campaign.queued(OutboundFixture.phone());
        dialingOn(gone, recent, "cc-orphan-recent-" + recent, "now() - interval '2 minutes'");
        long withCdr = campaign.queued(OutboundFixture.phone());
        String withCdrChannel = "cc-orphan-cdr-" + withCdr;
        dialingOn(gone, withCdr, withCdrChannel, "now() - interval '11 minutes'");
        jdbc.update("INSERT INTO cdr (start, answer, \"end\", duration, billsec, disposition, uniqueid, linkedid) "
                + "VALUES (now() AT TIME ZONE 'UTC' - interval '11 minutes', '1970-01-01', now() AT TIME ZONE 'UTC' - "
                + "interval '10 minutes', 30, 0, 'NO ANSWER', ?, ?)", withCdrChannel, withCdrChannel);
        long answered = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String answeredChannel = "cc-orphan-answered-" + answered;
        answeredOnAgent(answered, agent, answeredChannel);
        jdbc.update("UPDATE outbound_queue SET server_id = ?, dialing_at = now() - interval '5 hours', "
                + "answered_at = now() - interval '5 hours' WHERE lead_id = ?", gone, answered);
        long onActiveServer = campaign.queued(OutboundFixture.phone());
        dialingAt(onActiveServer, "cc-orphan-active-" + onActiveServer, "now() - interval '11 minutes'");

        // other test classes share the database and may leave orphans of their own: counted, not asserted
        assertThat(recovery.resolveOrphans()).isGreaterThanOrEqualTo(3);

        // its answer may have gone unheard with the server's AMI: failed, retried after the campaign's delay
        assertThat(jdbc.queryForMap("SELECT q.status, q.outcome, l.status AS lead_status, l.attempts FROM outbound_queue q "
                + "JOIN leads l ON l.id = q.lead_id WHERE q.lead_id = ?", unanswered)).containsEntry("status", "DONE")
                .containsEntry("outcome", "FAILED").containsEntry("lead_status", "RETRY").containsEntry("attempts", 1);
        assertThat(queueStatus(recent)).isEqualTo("DIALING");      // its dial may still be ringing
        assertThat(jdbc.queryForMap("SELECT status, outcome FROM outbound_queue WHERE lead_id = ?", withCdr))
                .containsEntry("status", "DONE").containsEntry("outcome", "NO_ANSWER");
        assertThat(jdbc.queryForMap("SELECT status, outcome FROM outbound_queue WHERE lead_id = ?", answered))
                .containsEntry("status", "DONE").containsEntry("outcome", "ANSWERED");   // not dialed again
        assertThat(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent))
                .isEqualTo("WRAP_UP");
        assertThat(queueStatus(onActiveServer)).isEqualTo("DIALING");  // its reconnect's recovery decides
        recovery.resolveOrphans();
        assertThat(queueStatus(recent)).isEqualTo("DIALING");
        jdbc.update("UPDATE outbound_queue SET status = 'DONE' WHERE lead_id IN (?, ?)", recent, onActiveServer);
    }

    private long answeredOnAgent(long lead, long agent, String channel) {
        long entry = jdbc.queryForObject("UPDATE outbound_queue SET status = 'DIALING', "
                + "dialing_at = now() - interval '1 minute', "
                + "server_id = ?, channel_id = ?, answered_at = now(), outcome = 'ANSWERED', agent_id = ?, "
                + "hangup_cause = 16 WHERE lead_id = ? RETURNING id", Long.class, serverId, channel, agent, lead);
        jdbc.update("UPDATE leads SET attempts = 1 WHERE id = ?", lead);
        // as claimAgent leaves it: current_channel is the channel's name, not our ChannelId
        jdbc.update("UPDATE agents SET state = 'ON_CALL', current_channel = 'PJSIP/trunk-0000002a' WHERE id = ?",
                agent);
        return entry;
    }

    /**
     * The agent did not pick up (or the redirect was refused): the call played the abandon message, whose
     * variable reaches the dialer as a VarSet event. The call is ABANDONED (the lead is retried), not ANSWERED,
     * and the agent held for it is free.
     */
    @Test
    void aCallThatEndsOnTheAbandonMessageIsAbandonedNotAnswered() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channel = "cc-not-picked-up-" + lead;
        answeredOnAgent(lead, agent, channel);
        asterisk.channelUp(channel, "PJSIP/trunk-0000002a");

        pushAbandoned(asterisk, channel);
        await(() -> "AVAILABLE".equals(agentState(agent)));
        asterisk.hangup(channel, 16);
        await(() -> "DONE".equals(jdbc.queryForObject("SELECT status FROM outbound_queue WHERE channel_id = ?",
                String.class, channel)));

        assertAbandonedAndAgentFree(lead, agent, channel);
    }

    /**
     * The agent's phone rang out (or refused) an answered lead: that lead was abandoned, and an agent left AVAILABLE
     * would be handed the next answered lead after wrap-up, and abandon it too, one after another while nobody is at
     * the phone (the abandon rate climbs, the pacing falls for every agent). The agent is paused with a reason, as
     * a queue's autopause does, until a person makes it available again.
     */
    @Test
    void anAgentWhoDoesNotPickUpAnAnsweredLeadIsPausedNotHandedTheNextOne() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
        String channel = "cc-agent-missed-" + lead;
        answeredOnAgent(lead, agent, channel);
        asterisk.channelUp(channel, "PJSIP/trunk-0000002a");

        // capconduit-outbound-agent: the Dial to the agent ended NOANSWER, then the abandon message
        asterisk.push(TestAmiServer.event("VarSet", "Channel", "PJSIP/trunk-0000002a", "Uniqueid", channel,
                "Linkedid", channel, "Variable", DialerEvents.AGENT_MISSED_VARIABLE, "Value", "NOANSWER"));
        pushAbandoned(asterisk, channel);
        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", "PJSIP/" + endpoint, "State", "NOT_INUSE"));
        asterisk.hangup(channel, 16);
        await(() -> "DONE".equals(jdbc.queryForObject("SELECT status FROM outbound_queue WHERE channel_id = ?",
                String.class, channel)));

        assertThat(jdbc.queryForMap("SELECT outcome, agent_id FROM outbound_queue WHERE channel_id = ?", channel))
                .containsEntry("outcome", "ABANDONED").containsEntry("agent_id", null);
        assertThat(jdbc.queryForMap("SELECT state, pause_reason FROM agents WHERE id = ?", agent))
                .containsEntry("state", "PAUSED").containsEntry("pause_reason", "Did not answer a dialer call");
        campaign.queued(OutboundFixture.phone());
        assertThat(dialer.dial(campaign.campaignId())).isZero();
    }

    /**
     * The abandon message's VarSet waits behind other events (here: one held on purpose) while the call's Hangup
     * could run at once: the VarSet is still handled first, so the call is ABANDONED, not settled ANSWERED with
     * its agent sent to wrap-up.
     */
    @Test
    void anAbandonIsHandledBeforeItsHangupWhatEverWaitsBeforeIt() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channel = apartFromEventsOfNoChannel("cc-abandon-ordered-" + lead);
        answeredOnAgent(lead, agent, channel);
        HeldEvents held = new HeldEvents();
        try (SeparateAmiConnection other = SeparateAmiConnection.start(jdbc, servers, held, events)) {
            other.asterisk().channelUp(channel, "PJSIP/trunk-0000002a");
            held.hold(other.asterisk());
            pushAbandoned(other.asterisk(), channel);
            other.asterisk().hangup(channel, 16);
            await(() -> "DONE".equals(jdbc.queryForObject("SELECT status FROM outbound_queue WHERE channel_id = ?",
                    String.class, channel)));
            held.releaseAndDrain(other.asterisk());
        }
        finally {
            held.release();
        }

        assertAbandonedAndAgentFree(lead, agent, channel);
    }

    /**
     * An agent channel's BridgeEnter waits behind other events while its Hangup could run at once: it is still
     * handled first, so the agent ends in wrap-up, not ON_CALL again after the call is over.
     */
    @Test
    void anAgentChannelsBridgeIsHandledBeforeItsHangup() throws Exception {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long agent = campaign.agent("ON_CALL");
        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
        String channel = "PJSIP/" + endpoint + "-0000c0de";
        String uniqueId = apartFromEventsOfNoChannel("test-pbx-agent-leg-" + agent);
        HeldEvents held = new HeldEvents();
        try (SeparateAmiConnection other = SeparateAmiConnection.start(jdbc, servers, held, events)) {
            held.hold(other.asterisk());
            other.asterisk().push(TestAmiServer.event("BridgeEnter", "BridgeUniqueid", "bridge-" + agent,
                    "BridgeType", "basic", "BridgeNumChannels", "2", "Channel", channel, "Uniqueid", uniqueId,
                    "Linkedid", uniqueId));
            other.asterisk().push(TestAmiServer.event("Hangup", "Channel", channel, "Uniqueid", uniqueId,
                    "Linkedid", uniqueId, "Cause", "16", "Cause-txt", "Normal Clearing"));
            await(() -> "WRAP_UP".equals(agentState(agent)));
            held.releaseAndDrain(other.asterisk());
        }
        finally {
            held.release();
        }

        assertThat(agentState(agent)).isEqualTo("WRAP_UP");
    }

    /** The abandon context's VarSet on the channel PJSIP/trunk-0000002a whose unique id is {@code channel}. */
    private static void pushAbandoned(TestAmiServer server, String channel) {
        server.push(TestAmiServer.event("VarSet", "Channel", "PJSIP/trunk-0000002a", "Uniqueid", channel,
                "Linkedid", channel, "Variable", DialerEvents.ABANDONED_VARIABLE, "Value", "1"));
    }

    /** The call settled ABANDONED, its lead to be retried, and the agent it held free. */
    private void assertAbandonedAndAgentFree(long lead, long agent, String channel) {
        assertThat(jdbc.queryForMap("SELECT outcome, agent_id FROM outbound_queue WHERE channel_id = ?", channel))
                .containsEntry("outcome", "ABANDONED").containsEntry("agent_id", null);
        assertThat(jdbc.queryForMap("SELECT status, last_outcome FROM leads WHERE id = ?", lead))
                .containsEntry("status", "RETRY").containsEntry("last_outcome", "ABANDONED");
        assertThat(agentState(agent)).isEqualTo("AVAILABLE");
    }

    /** {@code prefix} with a suffix that makes its events run apart from those of no channel. */
    private static String apartFromEventsOfNoChannel(String prefix) {
        return java.util.stream.IntStream.iterate(0, i -> i + 1).mapToObj(i -> prefix + "-" + i)
                .filter(id -> !SeparateAmiConnection.ordersWithEventsOfNoChannel(id)).findFirst().orElseThrow();
    }

    /** The settle of a hangup fails once on the event thread (the database went away): it is tried again. */
    @Test
    void theSettleOfAHangupIsTriedAgainWhenTheDatabaseFailsIt() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channel = "cc-settle-retried-" + lead;
        answeredOnAgent(lead, agent, channel);
        asterisk.channelUp(channel, "PJSIP/trunk-0000002a");
        try (FailingUpdates settles = new FailingUpdates("NEW.status = 'DONE' AND NEW.lead_id = " + lead, 1)) {
            asterisk.hangup(channel, 16);

            await(() -> count("SELECT count(*) FROM outbound_queue WHERE lead_id = ? AND status = 'DONE'", lead) == 1);
            assertThat(settles.attempts()).as("settle attempts").isEqualTo(2);
            assertThat(agentState(agent)).isEqualTo("WRAP_UP");
        }
    }

    /** A server allowed 0.1 calls per second gets one call, then none until ten seconds have passed. */
    @Test
    void aFractionalCallsPerSecondLimitHolds() {
        OutboundFixture campaign = campaignOnATenthOfACallPerSecond(3);

        assertThat(dialer.dial(campaign.campaignId())).isOne();
        // two seconds later: a new second, but the same ten seconds
        jdbc.update("UPDATE outbound_queue SET dialing_at = dialing_at - interval '2 seconds' "
                + "WHERE campaign_id = ? AND status = 'DIALING'", campaign.campaignId());
        assertThat(dialer.dial(campaign.campaignId())).isZero();
    }

    /**
     * A server allowed 0.1 calls per second whose calls all fail at once (busy, or a carrier refusing them for its
     * own rate limit) still gets one call per ten seconds: ended calls count, not only those still ringing.
     */
    @Test
    void aFractionalCallsPerSecondLimitCountsCallsThatAlreadyEnded() {
        OutboundFixture campaign = campaignOnATenthOfACallPerSecond(5);
        asterisk.outcomes(originate -> TestAmiServer.Outcome.BUSY);

        int placed = 0;
        for (int second = 0; second < 5; second++) {
            placed += dialer.dial(campaign.campaignId());
            await(() -> count("SELECT count(*) FROM outbound_queue WHERE campaign_id = ? AND status = 'DIALING'",
                    campaign.campaignId()) == 0);
            // two seconds later: a new second, the same ten seconds. The call's age is set, not shifted by 2 s per
            // round: shifted, the real time the rounds took added up, and on a loaded machine 2 s of it put the
            // fifth round past the ten seconds (a second call placed, rightly)
            jdbc.update("UPDATE outbound_queue SET dialing_at = now() - make_interval(secs => ?) "
                    + "WHERE campaign_id = ? AND dialing_at IS NOT NULL", 2 * (second + 1), campaign.campaignId());
        }

        assertThat(placed).isOne();
        assertThat(asterisk.originates()).hasSize(1);
    }

    /**
     * A campaign with {@code leads} queued leads and as many free agents; this test's server (its own, dropped after
     * the test) is allowed 0.1 calls per second.
     */
    private OutboundFixture campaignOnATenthOfACallPerSecond(int leads) {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        for (int i = 0; i < leads; i++) {
            campaign.queued(OutboundFixture.phone());
            campaign.agent("AVAILABLE");
        }
        jdbc.update("UPDATE asterisk_servers SET max_calls_per_second = 0.1 WHERE id = ?", serverId);
        return campaign;
    }

    /** Taking an answer is one transaction: when recording its outcome fails, the agent is not left ON_CALL. */
    @Test
    void anAnswerWhoseOutcomeCannotBeRecordedLeavesNoAgentOnCall() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");
        String channelId = "cc-outcome-fails-" + lead;
        dialing(lead, channelId);
        OriginateResponseEvent answered = answered(channelId, "PJSIP/trunk-0000007f");
        try (FailingUpdates outcomes = new FailingUpdates("NEW.outcome = 'ANSWERED' AND NEW.lead_id = " + lead,
                Long.MAX_VALUE)) {
            assertThatThrownBy(() -> events.onEvent(serverId, answered)).isInstanceOf(RuntimeException.class);
        }

        assertThat(agentState(agent)).isEqualTo("AVAILABLE");
        assertThat(jdbc.queryForObject("SELECT answered_at IS NULL FROM outbound_queue WHERE channel_id = ?",
                Boolean.class, channelId)).isTrue();
    }

    /** One agent in two campaigns, dial ratio 1: one call rings for it, not one per campaign. */
    @Test
    void anAgentSharedByTwoCampaignsIsDialedForOnce() {
        OutboundFixture first = OutboundFixture.create(jdbc, "UTC", "dial_ratio = 1.0");
        OutboundFixture second = OutboundFixture.create(jdbc, "UTC", "dial_ratio = 1.0");
        long ringing = first.queued(OutboundFixture.phone());
        second.queued(OutboundFixture.phone());
        long agent = first.agent("AVAILABLE");
        jdbc.update("INSERT INTO agent_campaigns (agent_id, campaign_id) VALUES (?, ?)", agent, second.campaignId());
        // the first campaign's call for that agent is ringing
        dialing(ringing, "cc-shared-" + ringing);

        assertThat(dialer.dial(second.campaignId())).isZero();

    }

    /**
     * Staff can free an agent left ON_CALL by a call whose end was missed (no dialer call names it), but not one a
     * dialer call holds.
     */
    @Test
    void staffFreeAnAgentLeftOnCallButNotOneACallHolds() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        long held = campaign.agent("AVAILABLE");
        long stale = campaign.agent("ON_CALL");
        answeredOnAgent(lead, held, "cc-holds-agent-" + lead);
        String set = "mutation ($id: ID!) { setAgentState(input: {agentId: $id, state: AVAILABLE}) { state } }";

        graphQl.as("staff").document(set).variable("id", held).execute().errors()
                .expect(error -> "input.agentId".equals(error.getExtensions().get("field"))
                        && error.getMessage().contains("on a dialer call"))
                .verify();
        graphQl.as("staff").document(set).variable("id", stale).execute()
                .path("setAgentState.state").entity(String.class).isEqualTo("AVAILABLE");
        assertThat(agentState(held)).isEqualTo("ON_CALL");
    }

    @Test
    void aNumberPutOnDncAfterQueueingIsNotDialed() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        String phone = OutboundFixture.phone();
        long lead = campaign.queued(phone);
        campaign.agent("AVAILABLE");
        jdbc.update("INSERT INTO dnc_numbers (phone) VALUES (?)", phone);

        assertThat(dialer.dial(campaign.campaignId())).isZero();

        assertThat(asterisk.originates()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT outcome FROM outbound_queue WHERE lead_id = ?", String.class, lead))
                .isEqualTo("DNC");
    }

    /**
     * Queued entries whose lead stopped being dialable after it was queued (its last call settled ANSWERED, its
     * attempts used up, its retry not yet due: a fill racing that call's settle queues such leads) are neither
     * handed out nor left holding hopper room.
     */
    @Test
    void aQueuedLeadThatIsNoLongerDialableIsNeitherDialedNorLeftQueued() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "max_attempts = 3");
        long answered = campaign.queued(OutboundFixture.phone());
        jdbc.update("UPDATE leads SET status = 'DONE', attempts = 1 WHERE id = ?", answered);
        long notYetDue = campaign.queued(OutboundFixture.phone());
        jdbc.update("UPDATE leads SET status = 'RETRY', attempts = 1, next_attempt_at = now() + interval '1 hour' "
                + "WHERE id = ?", notYetDue);
        long usedUp = campaign.queued(OutboundFixture.phone());
        jdbc.update("UPDATE leads SET status = 'RETRY', attempts = 3 WHERE id = ?", usedUp);
        for (int i = 0; i < 3; i++) {
            campaign.agent("AVAILABLE");
        }
        DialerMapper.DialCampaign dialCampaign = dialerMapper.findCampaign(campaign.campaignId());
        String[] zones = new CallWindow(dialCampaign.callWindowStart(), dialCampaign.callWindowEnd())
                .zonesOpenAt(Instant.now());

        assertThat(dialerMapper.handOut(dialCampaign, serverId, 3, zones)).isEmpty();
        assertThat(dialer.dial(campaign.campaignId())).isZero();

        assertThat(asterisk.originates()).isEmpty();
        assertThat(jdbc.queryForList("SELECT l.attempts FROM leads l WHERE l.list_id = ? ORDER BY l.id",
                Integer.class, campaign.listId())).containsExactly(1, 1, 3);
        assertThat(jdbc.queryForList("SELECT status || ' ' || outcome FROM outbound_queue WHERE campaign_id = ?",
                String.class, campaign.campaignId())).containsOnly("DONE CANCELLED").hasSize(3);
    }

    @Test
    void anAnsweredCallTakesAnAgentWhoWrapsUpAfterTheHangup() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "wrap_up_seconds = 30");
        campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");

        assertThat(dialer.dial(campaign.campaignId())).isEqualTo(1);
        await(() -> "ON_CALL".equals(agentState(agent)));
        await(() -> asterisk.actions("Redirect").stream()
                .anyMatch(r -> String.valueOf(agent).equals(r.get("Exten"))));
        String channelId = asterisk.originates().get(0).channelId();
        asterisk.hangup(channelId, 16);
        await(() -> "WRAP_UP".equals(agentState(agent)));

        assertThat(jdbc.queryForObject("SELECT outcome FROM outbound_queue WHERE channel_id = ?", String.class,
                channelId)).isEqualTo("ANSWERED");
        graphQl.as("staff").document("mutation ($id: ID!) { endWrapUp(agentId: $id) { state } }")
                .variable("id", agent).execute().path("endWrapUp.state").entity(String.class).isEqualTo("AVAILABLE");
        graphQl.as("staff").document("mutation ($id: ID!) { setAgentState(input: {agentId: $id, state: PAUSED}) "
                + "{ state } }").variable("id", agent).execute().errors()
                .expect(error -> "input.pauseReason".equals(error.getExtensions().get("field"))).verify();

        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", "PJSIP/" + endpoint, "State", "UNAVAILABLE"));
        await(() -> "OFFLINE".equals(agentState(agent)));
    }

    /**
     * An agent put ON_CALL by its phone's state whose call ended while AMI was down (NOT_INUSE never heard) goes to
     * wrap-up after the reconnect; one whose call is still up on that server stays ON_CALL.
     */
    @Test
    void anAgentWhoseCallEndedWhileAmiWasDownIsInWrapUpAfterTheReconnect() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "wrap_up_seconds = 30");
        long ended = campaign.agent("AVAILABLE");
        long talking = campaign.agent("AVAILABLE");
        for (long agent : List.of(ended, talking)) {
            asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", "PJSIP/" + endpointOf(agent),
                    "State", "INUSE"));
        }
        await(() -> "ON_CALL".equals(agentState(ended)) && "ON_CALL".equals(agentState(talking)));
        asterisk.channelUp("test-pbx-talking-" + talking, "PJSIP/" + endpointOf(talking) + "-0000beef");

        // as after a reconnect a minute from now
        events.onConnected(serverId, Instant.now().plusSeconds(60));

        await(() -> "WRAP_UP".equals(agentState(ended)));
        assertThat(jdbc.queryForObject("SELECT wrap_up_until > now() FROM agents WHERE id = ?", Boolean.class, ended))
                .isTrue();
        assertThat(agentState(talking)).isEqualTo("ON_CALL");
    }

    /**
     * An agent with an 8-digit extension: its phone's device (PJSIP/agent-10012345) ends as a channel name's suffix
     * does, and was read as the endpoint "agent", so its state never followed its phone (1 in 100 random
     * extensions of these tests has 8 digits).
     */
    @Test
    void anAgentWithAnEightDigitExtensionFollowsItsPhonesState() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "wrap_up_seconds = 30");
        long agent = campaign.agent("AVAILABLE", String.valueOf(10_000_000 + (long) (Math.random() * 90_000_000)));
        String device = "PJSIP/" + endpointOf(agent);

        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", device, "State", "INUSE"));
        await(() -> "ON_CALL".equals(agentState(agent)));
        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", device, "State", "NOT_INUSE"));
        await(() -> "WRAP_UP".equals(agentState(agent)));
        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", device, "State", "UNAVAILABLE"));
        await(() -> "OFFLINE".equals(agentState(agent)));
    }

    /**
     * An agent in wrap-up takes or makes a call on its phone (a callback, a colleague): its phone in use puts it
     * ON_CALL as it does an available agent, or its wrap-up would run out mid-call and the dialer hand it an answered
     * lead while it talks.
     */
    @Test
    void anAgentWhosePhoneIsInUseDuringWrapUpIsOnACallNotFreedWhenItsWrapUpEnds() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", "wrap_up_seconds = 30");
        campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("WRAP_UP");
        jdbc.update("UPDATE agents SET wrap_up_until = now() + interval '30 seconds' WHERE id = ?", agent);

        asterisk.push(TestAmiServer.event("DeviceStateChange", "Device", "PJSIP/" + endpointOf(agent), "State",
                "INUSE"));
        await(() -> "ON_CALL".equals(agentState(agent)));
        jdbc.update("UPDATE agents SET wrap_up_until = now() - interval '1 second' WHERE id = ? AND state = 'WRAP_UP'",
                agent);

        dialerMapper.endExpiredWrapUps();   // as every tick starts

        assertThat(agentState(agent)).isEqualTo("ON_CALL");
        assertThat(dialer.dial(campaign.campaignId())).isZero();
    }

    private String endpointOf(long agent) {
        return jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
    }

    @Test
    void serverStatusIsTheRealAmiAnswer() {
        graphQl.as("staff").document("query ($id: ID!) { asteriskServerStatus(serverId: $id) { connected "
                + "asteriskVersion systemName activeChannels } }").variable("id", serverId).execute()
                .path("asteriskServerStatus.connected").entity(Boolean.class).isEqualTo(true)
                .path("asteriskServerStatus.asteriskVersion").entity(String.class).isEqualTo("22.5.2")
                .path("asteriskServerStatus.activeChannels").entity(Integer.class).isEqualTo(0);

        asterisk.refuseShowChannels(1);
        graphQl.as("staff").document("query ($id: ID!) { asteriskServerStatus(serverId: $id) { connected "
                + "activeChannels error } }").variable("id", serverId).execute()
                .path("asteriskServerStatus.connected").entity(Boolean.class).isEqualTo(true)
                .path("asteriskServerStatus.activeChannels").valueIsNull()
                .path("asteriskServerStatus.error").entity(String.class)
                .isEqualTo("Asterisk refused CoreShowChannels: Failed to queue channel list");
    }

    /**
     * Asterisk takes an AMI login while it is still starting (main/manager.c's action_login sends FullyBooted only
     * once it is fully booted): no call is handed to it before its FullyBooted, when its dialplan may not be loaded
     * and an Originate would fail and cost the lead an attempt.
     */
    @Test
    void aServerStillBootingGetsNoCallUntilItIsFullyBooted() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long lead = campaign.queued(OutboundFixture.phone());
        campaign.agent("AVAILABLE");
        asterisk.booting();
        ami.connect(serverId);
        Eventually.await("logged in to a booting Asterisk", Duration.ofSeconds(10),
                () -> ami.isConnected(serverId) && asterisk.loggedInSessions() == 1);

        assertThat(dialer.dial(campaign.campaignId())).isZero();
        assertThat(asterisk.originates()).isEmpty();
        assertThat(queueStatus(lead)).isEqualTo("QUEUED");

        asterisk.finishBooting();
        Eventually.await("fully booted", Duration.ofSeconds(10), () -> ami.isReady(serverId));
        assertThat(dialer.dial(campaign.campaignId())).isOne();
        await(() -> asterisk.originates().size() == 1);
    }

    /**
     * An Asterisk whose host runs in another time zone than this application: CoreStatus gives its start in that
     * host's local time, with no zone. Its uptime is still right, from the Uptime of the FullyBooted event it sends on
     * login.
     */
    @Test
    void serverStatusUptimeIsRightWhateverTheAsteriskHostsTimeZone() {
        ZoneId elsewhere = TestAmiServer.aZoneFarFromHere();
        asterisk.startedAt(Instant.now().minus(Duration.ofHours(3)), elsewhere);
        // a new login, whose FullyBooted carries the new Uptime
        ami.connect(serverId);
        Eventually.await("reconnected with the new boot", Duration.ofSeconds(10),
                () -> ami.isConnected(serverId) && ami.startedAt(serverId).isPresent()
                        && ami.startedAt(serverId).get().isBefore(Instant.now().minus(Duration.ofHours(2))));

        var status = graphQl.as("staff").document("query ($id: ID!) { asteriskServerStatus(serverId: $id) { "
                + "uptimeSeconds reloadedAt } }").variable("id", serverId).execute();
        Integer uptime = status.path("asteriskServerStatus.uptimeSeconds").entity(Integer.class).get();
        Instant reloaded = OffsetDateTime.parse(status.path("asteriskServerStatus.reloadedAt")
                .entity(String.class).get()).toInstant();

        assertThat(uptime).isBetween(3 * 3600 - 5, 3 * 3600 + 60);
        // the test Asterisk last reloaded when it started
        assertThat(Duration.between(reloaded, Instant.now().minus(Duration.ofHours(3))).abs())
                .isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void callControlSpeaksAmiAndRefusesHostileChannelNames() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long agent = campaign.agent("AVAILABLE");
        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);
        String extension = jdbc.queryForObject("SELECT extension FROM agents WHERE id = ?", String.class, agent);

        graphQl.as("staff").document("mutation ($agent: ID!, $campaign: ID!, $server: ID!) { clickToCall(input: "
                + "{agentId: $agent, number: \"+15557654321\", campaignId: $campaign, serverId: $server}) { ok channelId } }")
                .variable("agent", agent).variable("campaign", campaign.campaignId()).variable("server", serverId)
                .execute().path("clickToCall.ok").entity(Boolean.class).isEqualTo(true);
        TestAmiServer.Originate call = asterisk.originates().get(0);
        assertThat(call.channel()).isEqualTo("PJSIP/" + endpoint);
        assertThat(call.context()).isEqualTo("capconduit-click-to-call");
        assertThat(call.variables().get("CTC_DIAL")).endsWith("15557654321@trunk-" + jdbc.queryForObject(
                "SELECT name FROM campaigns WHERE id = ?", String.class, campaign.campaignId()));
        // the number itself, which the dialplan stamps in the CDR (its dst is the Originate's exten, s)
        assertThat(call.variables()).containsEntry("CTC_NUMBER", "+15557654321")
                .containsEntry("CAMPAIGN_ID", String.valueOf(campaign.campaignId()))
                .containsEntry("AGENT_ID", String.valueOf(agent));
        assertThat(call.exten()).isEqualTo("s");
        String channel = asterisk.liveChannels().get(call.channelId()).channel();

        graphQl.as("staff").document("mutation ($server: ID!, $channel: String!, $ext: String) { blindTransfer("
                + "input: {serverId: $server, channel: $channel, extension: $ext}) { ok } }")
                .variable("server", serverId).variable("channel", channel).variable("ext", extension)
                .execute().path("blindTransfer.ok").entity(Boolean.class).isEqualTo(true);
        assertThat(asterisk.actions("Setvar")).anyMatch(a -> ("PJSIP/" + endpoint).equals(a.get("Value")));
        assertThat(asterisk.actions("Redirect")).anyMatch(a -> "capconduit-transfer".equals(a.get("Context")));

        graphQl.as("staff").document("mutation ($server: ID!, $channel: String!) { hangupChannel(input: "
                + "{serverId: $server, channel: $channel}) { ok } }").variable("server", serverId)
                .variable("channel", channel).execute().path("hangupChannel.ok").entity(Boolean.class).isEqualTo(true);
        assertThat(asterisk.liveChannels()).doesNotContainKey(call.channelId());

        graphQl.as("staff").document("mutation ($server: ID!) { hangupChannel(input: {serverId: $server, "
                + "channel: \"PJSIP/x\\r\\nAction: Originate\"}) { ok } }").variable("server", serverId).execute()
                .errors().expect(error -> "input.channel".equals(error.getExtensions().get("field"))).verify();
        graphQl.as("seller1").document("mutation ($server: ID!) { hangupChannel(input: {serverId: $server, "
                + "channel: \"PJSIP/a-00000001\"}) { ok } }").variable("server", serverId).execute()
                .errors().expect(error -> "FORBIDDEN".equals(error.getExtensions().get("classification"))).verify();
    }

    /**
     * A click-to-call is recorded under its ChannelId when it is placed: the agent's channel and every CDR row of
     * the call carry that id, and when the agent never answers no dialplan stamps the number, agent or campaign.
     */
    @Test
    void aClickToCallIsRecordedUnderItsChannelIdWhenPlaced() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long agent = campaign.agent("AVAILABLE");

        String channelId = graphQl.as("staff").document("mutation ($agent: ID!, $campaign: ID!, $server: ID!) { "
                + "clickToCall(input: {agentId: $agent, number: \"+15557654321\", campaignId: $campaign, "
                + "serverId: $server}) { ok channelId } }").variable("agent", agent)
                .variable("campaign", campaign.campaignId()).variable("server", serverId).execute()
                .path("clickToCall.channelId").entity(String.class).get();

        assertThat(asterisk.originates()).extracting(TestAmiServer.Originate::channelId).containsExactly(channelId);
        assertThat(jdbc.queryForMap("SELECT agent_id, campaign_id, number, server_id FROM click_to_calls "
                + "WHERE channel_id = ?", channelId)).containsEntry("agent_id", agent)
                .containsEntry("campaign_id", campaign.campaignId()).containsEntry("number", "+15557654321")
                .containsEntry("server_id", serverId);
    }

    /**
     * A number on the DNC list is never dialed by hand either: click-to-call and a blind transfer to a number are
     * refused before anything reaches Asterisk, as the dialer never hands out a lead whose number is on it.
     */
    @Test
    void clickToCallAndTransferRefuseANumberOnTheDncList() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long agent = campaign.agent("AVAILABLE");
        String number = OutboundFixture.phone();
        jdbc.update("INSERT INTO dnc_numbers (phone, reason) VALUES (?, 'asked not to be called')", number);

        graphQl.as("staff").document("mutation ($agent: ID!, $number: String!, $campaign: ID!, $server: ID!) { "
                + "clickToCall(input: {agentId: $agent, number: $number, campaignId: $campaign, serverId: $server}) "
                + "{ ok } }").variable("agent", agent).variable("number", number)
                .variable("campaign", campaign.campaignId()).variable("server", serverId).execute()
                .errors().expect(GraphQlErrors.badInput("input.number")).verify();
        graphQl.as("staff").document("mutation ($server: ID!, $number: String!, $campaign: ID) { blindTransfer(input: "
                + "{serverId: $server, channel: \"PJSIP/agent-1001-0000002a\", number: $number, campaignId: $campaign}) "
                + "{ ok } }").variable("server", serverId).variable("number", number)
                .variable("campaign", campaign.campaignId()).execute()
                .errors().expect(GraphQlErrors.badInput("input.number")).verify();

        assertThat(asterisk.originates()).isEmpty();
        assertThat(asterisk.actions("Setvar")).isEmpty();
        assertThat(asterisk.actions("Redirect")).isEmpty();
        assertThat(count("SELECT count(*) FROM click_to_calls WHERE number = ?", number)).isZero();
    }

    /**
     * Click-to-call rings an AVAILABLE agent's phone, which says nothing while it rings (RINGING moves no agent): the
     * dialer would pace calls for the agent and hand it an answered lead meanwhile, which rings a phone already in a
     * call and is abandoned. The agent is held for the click-to-call from the moment it is placed until its channel
     * hangs up, then wraps up as after any call.
     */
    @Test
    void anAgentRungForAClickToCallIsHandedNoLeadUntilThatCallEnds() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        campaign.queued(OutboundFixture.phone());
        long agent = campaign.agent("AVAILABLE");

        String channelId = clickToCall(agent, campaign).path("clickToCall.channelId").entity(String.class).get();

        assertThat(agentState(agent)).isEqualTo("ON_CALL");
        assertThat(dialer.dial(campaign.campaignId())).isZero();
        asterisk.hangup(channelId, 16);
        await(() -> "WRAP_UP".equals(agentState(agent)));
        assertThat(asterisk.originates()).extracting(TestAmiServer.Originate::channelId).containsExactly(channelId);
    }

    /**
     * An agent already on a call is not rung for a click-to-call; one whose click-to-call made no call at all
     * (Asterisk refused the Originate, or could not even make the agent's channel, so no Hangup follows) is free again.
     */
    @Test
    void clickToCallRefusesAnAgentOnACallAndFreesOneWhoseCallWasNeverMade() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long talking = campaign.agent("ON_CALL");
        long refused = campaign.agent("AVAILABLE");
        long unreachable = campaign.agent("AVAILABLE");

        clickToCall(talking, campaign).errors().expect(GraphQlErrors.badInput("input.agentId")).verify();
        assertThat(asterisk.originates()).isEmpty();

        asterisk.refuseNextOriginate("Extension does not exist.");
        clickToCall(refused, campaign).path("clickToCall.ok").entity(Boolean.class).isEqualTo(false);
        assertThat(agentState(refused)).isEqualTo("AVAILABLE");

        asterisk.outcomes(originate -> TestAmiServer.Outcome.NO_CHANNEL);
        clickToCall(unreachable, campaign).path("clickToCall.ok").entity(Boolean.class).isEqualTo(true);
        await(() -> "AVAILABLE".equals(agentState(unreachable)));
        assertThat(agentState(talking)).isEqualTo("ON_CALL");
    }

    private GraphQlTester.Response clickToCall(long agent, OutboundFixture campaign) {
        return graphQl.as("staff").document("mutation ($agent: ID!, $campaign: ID!, $server: ID!) { clickToCall(input: "
                + "{agentId: $agent, number: \"+15557654321\", campaignId: $campaign, serverId: $server}) "
                + "{ ok channelId } }").variable("agent", agent).variable("campaign", campaign.campaignId())
                .variable("server", serverId).execute();
    }

    private String agentState(long agent) {
        return jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent);
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    static void await(BooleanSupplier condition) {
        Eventually.await("the dialer's state changes", Duration.ofSeconds(20), condition);
    }
}
