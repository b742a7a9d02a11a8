package io.capconduit.calls;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IntegrationTest
class CdrReconciliationIntegrationTests {

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    GraphQlTesters graphQl;

    CdrRows cdr;

    final Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void rows() {
        cdr = new CdrRows(named);
    }

    @Test
    void aFailoverGroupBecomesOneCallLogListingTheClientsTried() throws Exception {
        String call = unique("failover");
        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("did", "+18005550101").set("disposition", "BUSY").times(start, null, start.plusSeconds(3)).insert();
        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("did", "+18005550101").set("targets_tried", "2")
                .answered(start.plusSeconds(3), start.plusSeconds(10), start.plusSeconds(110)).insert();
        // the caller's channel running the hangup handler after the bridge: a row of its own, the last buyer's CDR
        // variables copied, no buyer dialed
        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("did", "+18005550101").set("targets_tried", "2").set("dstchannel", "").set("userfield", "16")
                .answered(start.plusSeconds(110), start.plusSeconds(110), start.plusSeconds(110)).insert();

        assertThat(reconcile().getStatus()).isEqualTo(BatchStatus.COMPLETED);

        Map<String, Object> log = callLog(call);
        assertThat(log).containsEntry("direction", "INBOUND").containsEntry("disposition", "ANSWERED")
                .containsEntry("billsec", 100).containsEntry("duration", 110).containsEntry("targets_tried", 2)
                .containsEntry("billable", true).containsEntry("did_number", "+18005550101")
                .containsEntry("cdr_rows", 3).containsEntry("hangup_cause", "16");
        assertThat(log.get("client_id")).isEqualTo(id("clients", "Pacific Home Services"));
        assertThat(log.get("campaign_id")).isEqualTo(id("campaigns", "Auto Insurance"));
        assertThat(log.get("seller_id")).isEqualTo(id("sellers", "Acme Leads"));
        assertThat(log.get("did_id")).isNotNull();
        assertThat(log.get("answer_time")).isNotNull();
        assertThat(clientsTried(call)).containsExactly(id("clients", "Sunrise Insurance Call Center"),
                id("clients", "Pacific Home Services"));
    }

    /**
     * The dialplan rings every phone a buyer registered at once (Dial of PJSIP_DIAL_CONTACTS): Asterisk writes a row
     * per phone, each naming its channel, all with the buyer's CDR variables. The buyer was tried once.
     */
    @Test
    void aBuyerWhosePhonesRangAtOnceWasTriedOnce() throws Exception {
        String call = unique("forked");
        cdr.leg(call).set("campaign", "Solar Savings").set("client", "Lone Star Solar").set("targets_tried", "2")
                .set("disposition", "NO ANSWER").times(start, null, start.plusSeconds(20)).insert();
        cdr.leg(call).set("campaign", "Solar Savings").set("client", "Lone Star Solar").set("targets_tried", "2")
                .set("disposition", "NO ANSWER").times(start, null, start.plusSeconds(20)).insert();
        cdr.leg(call).set("campaign", "Solar Savings").set("client", "Pacific Home Services").set("targets_tried", "2")
                .set("disposition", "NO ANSWER").times(start.plusSeconds(20), null, start.plusSeconds(40)).insert();
        cdr.leg(call).set("campaign", "Solar Savings").set("client", "Pacific Home Services").set("targets_tried", "2")
                .answered(start.plusSeconds(20), start.plusSeconds(25), start.plusSeconds(85)).insert();

        assertThat(reconcile().getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(callLog(call)).containsEntry("disposition", "ANSWERED").containsEntry("targets_tried", 2)
                .containsEntry("cdr_rows", 4).containsEntry("billsec", 60);
        assertThat(clientsTried(call)).containsExactly(id("clients", "Lone Star Solar"),
                id("clients", "Pacific Home Services"));
    }

    @Test
    void aBadWorkerCountFailsTheRunAndOneWorkerReconcilesInTheStepsOwnTransaction() throws Exception {
        String call = unique("one-worker");
        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("disposition", "NO ANSWER").times(start, null, start.plusSeconds(20)).insert();
        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .answered(start.plusSeconds(20), start.plusSeconds(25), start.plusSeconds(85)).insert();

        assertThatThrownBy(() -> launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0", "workers", "0"),
                Instant.now())).isInstanceOf(InvalidJobParametersException.class)
                .hasMessage("workers must be a whole number from 1 to 16, not '0'");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id = ?", Long.class, call))
                .isZero();

        JobExecution one = launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0", "workers", "1"),
                Instant.now());
        assertThat(one.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(callLog(call)).containsEntry("disposition", "ANSWERED").containsEntry("cdr_rows", 2)
                .containsEntry("billsec", 60);
        assertThat(clientsTried(call)).containsExactly(id("clients", "Sunrise Insurance Call Center"),
                id("clients", "Pacific Home Services"));
    }

    /**
     * An inbound call of a recording campaign has one recording (MixMonitor started before its first Dial), stamped
     * in CDR(recording_file) once: Asterisk copies it into the rows of the later failover Dials, yet a row without it
     * (the answered buyer's, the hangup handler's) never loses it, whether the rows arrive in one run or in two.
     */
    @Test
    void anInboundRecordingOnTheFirstFailoverRowIsTheCallsWhicheverRowsFollow() throws Exception {
        String together = unique("inbound-recorded");
        String apart = unique("inbound-recorded-apart");
        for (String call : List.of(together, apart)) {
            cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                    .set("recording_file", call + ".wav").set("disposition", "BUSY")
                    .times(start, null, start.plusSeconds(3)).insert();
            if (call.equals(apart)) {
                reconcile();
                assertThat(recordings(apart)).containsExactly(apart + ".wav");
            }
            cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                    .set("targets_tried", "2")
                    .answered(start.plusSeconds(3), start.plusSeconds(10), start.plusSeconds(70)).insert();
            cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                    .set("targets_tried", "2").set("dstchannel", "").set("userfield", "16")
                    .answered(start.plusSeconds(70), start.plusSeconds(70), start.plusSeconds(70)).insert();
        }
        // the same call as Asterisk writes it: every row after the first carries the file too
        String everyRow = unique("inbound-recorded-every-row");
        cdr.leg(everyRow).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("recording_file", everyRow + ".wav").set("disposition", "BUSY")
                .times(start, null, start.plusSeconds(3)).insert();
        cdr.leg(everyRow).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", everyRow + ".wav")
                .answered(start.plusSeconds(3), start.plusSeconds(10), start.plusSeconds(70)).insert();

        assertThat(reconcile().getStatus()).isEqualTo(BatchStatus.COMPLETED);

        for (String call : List.of(together, apart, everyRow)) {
            assertThat(callLog(call)).as(call).containsEntry("disposition", "ANSWERED")
                    .containsEntry("direction", "INBOUND").containsEntry("recording_file", call + ".wav");
            assertThat(recordings(call)).as(call).containsExactly(call + ".wav");
        }
        long log = ((Number) callLog(apart).get("id")).longValue();
        graphQl.as("seller1").document("query ($id: ID!) { callLog(id: $id) { recordings { fileName } } }")
                .variable("id", log).execute()
                .path("callLog.recordings[*].fileName").entityList(String.class).containsExactly(apart + ".wav");
    }

    @Test
    void aLegArrivingInALaterRunRebuildsTheCallLogAndAShortAnswerIsNotBillable() throws Exception {
        String call = unique("late-leg");
        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("disposition", "NO ANSWER").times(start, null, start.plusSeconds(25)).insert();
        reconcile();
        assertThat(callLog(call)).containsEntry("disposition", "NO ANSWER").containsEntry("cdr_rows", 1);

        cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", call + ".wav")
                .answered(start.plusSeconds(25), start.plusSeconds(30), start.plusSeconds(60)).insert();
        reconcile();

        assertThat(callLog(call)).containsEntry("disposition", "ANSWERED").containsEntry("cdr_rows", 2)
                .containsEntry("billsec", 30).containsEntry("billable", false)
                .containsEntry("recording_file", call + ".wav");
        assertThat(clientsTried(call)).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM recordings r JOIN call_logs c ON c.id = r.call_log_id "
                + "WHERE c.linked_id = ?", Integer.class, call)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id = ?", Integer.class, call))
                .isEqualTo(1);
    }

    @Test
    void everyRecordingOfACallIsLinkedToItsCallLogWhetherItsLegsArriveTogetherOrApartOrOneIsRejected() throws Exception {
        String together = unique("two-recordings");
        cdr.leg(together).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("recording_file", together + "-a.wav")
                .answered(start, start.plusSeconds(2), start.plusSeconds(40)).insert();
        cdr.leg(together).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", together + "-b.wav")
                .answered(start.plusSeconds(40), start.plusSeconds(42), start.plusSeconds(90)).insert();
        cdr.leg(together).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", together + "-b.wav")   // the same file named by two legs: one recording
                .answered(start.plusSeconds(90), start.plusSeconds(91), start.plusSeconds(95)).insert();
        String rejectedLeg = unique("recording-on-rejected-leg");
        cdr.leg(rejectedLeg).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .answered(start, start.plusSeconds(2), start.plusSeconds(40)).insert();
        cdr.leg(rejectedLeg).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", rejectedLeg + ".wav").set("duration", -5).insert();   // skipped, but recorded
        String apart = unique("recording-later");
        cdr.leg(apart).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("recording_file", apart + "-a.wav")
                .answered(start, start.plusSeconds(2), start.plusSeconds(40)).insert();
        reconcile();
        cdr.leg(apart).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", apart + "-b.wav")
                .answered(start.plusSeconds(40), start.plusSeconds(42), start.plusSeconds(90)).insert();
        // a rejected leg arriving after its call log, and a call whose only row is rejected
        cdr.leg(together).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("recording_file", together + "-c.wav").set("duration", -3).insert();
        String allRejected = unique("recording-every-row-rejected");
        cdr.leg(allRejected).set("recording_file", allRejected + ".wav").set("billsec", -1).insert();
        reconcile();

        assertThat(recordings(together)).containsExactly(together + "-a.wav", together + "-b.wav", together + "-c.wav");
        assertThat(callLog(together)).containsEntry("recording_file", together + "-b.wav");
        assertThat(recordings(rejectedLeg)).containsExactly(rejectedLeg + ".wav");
        assertThat(callLog(rejectedLeg)).containsEntry("cdr_rows", 1);
        assertThat(recordings(apart)).containsExactly(apart + "-a.wav", apart + "-b.wav");
        assertThat(callLog(apart)).containsEntry("recording_file", apart + "-b.wav").containsEntry("cdr_rows", 2);
        assertThat(jdbc.queryForMap("SELECT file_name, call_log_id FROM recordings WHERE linked_id = ?", allRejected))
                .containsEntry("file_name", allRejected + ".wav").containsEntry("call_log_id", null);
    }

    /**
     * A range per cdr row: each range's temporary table is created and dropped again on the same pooled
     * connection, more often than pgjdbc's prepare threshold (5), so its server-side prepared statements see
     * the table replaced under them.
     */
    @Test
    void manyRangesInARowEachGetTheirCallLogs() throws Exception {
        for (String workers : List.of("1", "2")) {
            List<String> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String call = unique("small-range-" + workers);
                cdr.leg(call).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                        .set("recording_file", call + ".wav")
                        .answered(start, start.plusSeconds(2), start.plusSeconds(40)).insert();
                calls.add(call);
            }
            JobExecution run = launcher.run("cdrReconciliationJob",
                    Map.of("graceSeconds", "0", "chunkSize", "1", "workers", workers), Instant.now());

            assertThat(run.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            for (String call : calls) {
                assertThat(callLog(call)).containsEntry("cdr_rows", 1).containsEntry("recording_file", call + ".wav");
                assertThat(recordings(call)).containsExactly(call + ".wav");
            }
        }
    }

    /** The call's recordings linked to its call log, by file name. */
    private List<String> recordings(String call) {
        return jdbc.queryForList("SELECT r.file_name FROM recordings r JOIN call_logs c ON c.id = r.call_log_id "
                + "WHERE c.linked_id = ? AND r.linked_id = c.linked_id ORDER BY r.file_name", String.class, call);
    }

    @Test
    void anUnroutedCallIsLoggedWithItsReason() throws Exception {
        String call = unique("unrouted");
        cdr.leg(call).set("did", "+18005550202").set("route_status", "UNROUTED").set("unrouted_reason", "NO_CAMPAIGN")
                .answered(start, start.plusSeconds(1), start.plusSeconds(6)).insert();

        reconcile();

        assertThat(callLog(call)).containsEntry("disposition", "UNROUTED").containsEntry("unrouted_reason", "NO_CAMPAIGN")
                .containsEntry("billable", false).containsEntry("campaign_id", null)
                .containsEntry("seller_id", id("sellers", "Bright Media"));
    }

    @Test
    void aDirectionWrittenInLowerCaseIsStillTheCallsDirection() throws Exception {
        // a hand-written dialplan may stamp CDR(direction)=outbound: nothing else on this leg says outbound
        String call = unique("lower-direction");
        cdr.leg(call).set("direction", "outbound").answered(start, start.plusSeconds(1), start.plusSeconds(6)).insert();

        reconcile();

        assertThat(callLog(call)).containsEntry("direction", "OUTBOUND");
    }

    @Test
    void rowsYoungerThanTheGracePeriodWait() throws Exception {
        String call = unique("grace");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        cdr.leg(call).set("campaign", "Auto Insurance").times(now.minusSeconds(10), null, now.minusSeconds(5)).insert();

        launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "300"), Instant.now());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id = ?", Integer.class, call))
                .isZero();

        reconcile();
        assertThat(callLog(call)).containsEntry("cdr_rows", 1);
    }

    @Test
    void aHostWhoseClockRunsFastHoldsBackOnlyItsRowsJustWritten() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String fast = unique("fast-clock");
        long row = cdr.leg(fast).times(now.plusSeconds(540), null, now.plusSeconds(600)).insert();
        jdbc.update("UPDATE cdr SET inserted_at = now() - interval '5 minutes' WHERE id = ?", row);
        String after = unique("after-fast-clock");
        cdr.leg(after).times(now.minusSeconds(600), null, now.minusSeconds(580)).insert();

        launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "120"), Instant.now());

        assertThat(callLog(fast)).containsEntry("cdr_rows", 1);
        assertThat(callLog(after)).containsEntry("cdr_rows", 1);
    }

    @Test
    void anUnansweredDialerCallIsAnOutboundCallOfItsEntrySettlingItAndItsLeadWithoutCountingAnAttempt() throws Exception {
        String phone = phone("+15125550");
        long lead = lead(phone, 1);
        String call = unique("cc");
        long entry = dialing(lead, call);
        // as Asterisk writes it: the lead never answered, so the channel never ran the dialplan that stamps the CDR
        dialerRow(call).set("disposition", "BUSY").times(start, null, start.plusSeconds(8)).insert();

        reconcile();

        assertThat(jdbc.queryForMap("SELECT status, outcome, hangup_cause, done_at FROM outbound_queue WHERE id = ?", entry))
                .containsEntry("status", "DONE").containsEntry("outcome", "BUSY").containsEntry("hangup_cause", 17);
        Map<String, Object> updated = jdbc.queryForMap("SELECT status, attempts, last_outcome, "
                + "extract(epoch FROM next_attempt_at)::bigint AS next_at FROM leads WHERE id = ?", lead);
        assertThat(updated).containsEntry("status", "RETRY").containsEntry("attempts", 1)
                .containsEntry("last_outcome", "BUSY");
        int retryBusy = jdbc.queryForObject("SELECT retry_busy_seconds FROM campaigns WHERE name = 'Solar Callbacks'",
                Integer.class);
        assertThat(updated.get("next_at")).isEqualTo(start.plusSeconds(8 + retryBusy).getEpochSecond());
        assertThat(callLog(call)).containsEntry("direction", "OUTBOUND").containsEntry("lead_id", lead)
                .containsEntry("queue_entry_id", entry).containsEntry("campaign_id", id("campaigns", "Solar Callbacks"))
                .containsEntry("seller_id", campaignSeller("Solar Callbacks")).containsEntry("destination", phone);
    }

    @Test
    void anAnsweredDialerCallSettlesAsTheDialerWouldAbandonedStayingAbandonedAndItsAgentReleased() throws Exception {
        long abandonedOnAnswer = dialing(lead(phone("+15125552"), 1), unique("cc"));
        jdbc.update("UPDATE outbound_queue SET outcome = 'ABANDONED', answered_at = now() WHERE id = ?", abandonedOnAnswer);
        long redirectLost = dialing(lead(phone("+15125553"), 1), unique("cc"));
        long waiting = onCall(redirectLost);
        String talkedPhone = phone("+15125554");
        long talked = dialing(lead(talkedPhone, 1), unique("cc"));
        long talking = onCall(talked);
        answeredDialerRow(abandonedOnAnswer).insert();
        answeredDialerRow(redirectLost).set("userfield", "ABANDONED").insert();
        answeredDialerRow(talked).insert();

        reconcile();

        for (long entry : List.of(abandonedOnAnswer, redirectLost)) {
            assertThat(jdbc.queryForMap("SELECT q.status, q.outcome, q.agent_id, l.status AS lead_status "
                    + "FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.id = ?", entry))
                    .containsEntry("status", "DONE").containsEntry("outcome", "ABANDONED").containsEntry("agent_id", null)
                    .containsEntry("lead_status", "RETRY");
        }
        assertThat(agentState(waiting)).isEqualTo("AVAILABLE");
        assertThat(jdbc.queryForMap("SELECT q.status, q.outcome, l.status AS lead_status "
                + "FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.id = ?", talked))
                .containsEntry("status", "DONE").containsEntry("outcome", "ANSWERED").containsEntry("lead_status", "DONE");
        assertThat(agentState(talking)).isEqualTo("WRAP_UP");
        assertThat(callLog(channelOf(talked))).containsEntry("direction", "OUTBOUND").containsEntry("destination", talkedPhone)
                .containsEntry("agent_id", talking);
    }

    @Test
    void anOlderCallsCdrNeverSettlesAnEntryRequeuedAndDialedAgain() throws Exception {
        long lead = lead(phone("+15125555"), 2);
        String first = unique("cc");
        long entry = dialing(lead, first);
        // recovery found neither the channel nor its CDR: back to the hopper, then handed out again
        String second = unique("cc");
        jdbc.update("UPDATE outbound_queue SET channel_id = ? WHERE id = ?", second, entry);
        cdr.leg(first).set("direction", "OUTBOUND").set("campaign", "Solar Callbacks")
                .set("queue_entry_id", String.valueOf(entry)).set("lead_id", String.valueOf(lead))
                .answered(start, start.plusSeconds(5), start.plusSeconds(40)).insert();

        reconcile();

        assertThat(jdbc.queryForObject("SELECT status FROM outbound_queue WHERE id = ?", String.class, entry))
                .isEqualTo("DIALING");
        assertThat(callLog(first)).containsEntry("queue_entry_id", entry);
    }

    @Test
    void anEntryTheDialerAlreadySettledIsLeftAlone() throws Exception {
        long lead = lead(phone("+15125551"), 3);
        String call = unique("cc");
        long entry = dialing(lead, call);
        jdbc.update("UPDATE outbound_queue SET status = 'DONE', outcome = 'ANSWERED', done_at = now() WHERE id = ?", entry);
        jdbc.update("UPDATE leads SET status = 'DONE', last_outcome = 'ANSWERED' WHERE id = ?", lead);
        dialerRow(call).insert();

        reconcile();

        assertThat(jdbc.queryForObject("SELECT outcome FROM outbound_queue WHERE id = ?", String.class, entry))
                .isEqualTo("ANSWERED");
        assertThat(jdbc.queryForObject("SELECT last_outcome FROM leads WHERE id = ?", String.class, lead))
                .isEqualTo("ANSWERED");
    }

    /*
     * The answer of a dialer call was lost (AMI down while the lead talked): its Hangup or recovery settled the entry
     * as unanswered and scheduled the lead again. The lead's CDR leg says it answered: reconciliation settles it as an
     * answered call would have been, and the lead is not dialed again for it.
     */
    @Test
    void anAnswerTheDialerMissedIsCorrectedFromTheLeadsCdrLegAndTheLeadIsNotDialedAgain() throws Exception {
        long talkedLead = lead(phone("+15125556"), 1);
        long talked = settledUnanswered(talkedLead, "NO_ANSWER");
        long abandonedLead = lead(phone("+15125557"), 1);
        long abandoned = settledUnanswered(abandonedLead, "BUSY");
        answeredDialerRow(talked).insert();
        answeredDialerRow(abandoned).set("userfield", "ABANDONED").insert();

        reconcile();

        assertThat(entryAndLead(talked)).containsEntry("outcome", "ANSWERED").containsEntry("lead_status", "DONE")
                .containsEntry("last_outcome", "ANSWERED").containsEntry("next_attempt_at", null)
                .containsEntry("attempts", 1).containsEntry("answered", true);
        Map<String, Object> afterAbandon = entryAndLead(abandoned);
        assertThat(afterAbandon).containsEntry("outcome", "ABANDONED").containsEntry("lead_status", "RETRY")
                .containsEntry("last_outcome", "ABANDONED").containsEntry("attempts", 1);
        int retryNoAnswer = jdbc.queryForObject(
                "SELECT retry_no_answer_seconds FROM campaigns WHERE name = 'Solar Callbacks'", Integer.class);
        assertThat(afterAbandon.get("retry_after")).isEqualTo((long) retryNoAnswer);
    }

    @Test
    void aLostAnswerNeverDowngradesAnOutcomeNorTouchesALeadCalledAgainOrClosedSince() throws Exception {
        long unansweredLead = lead(phone("+15125558"), 1);
        long unanswered = settledUnanswered(unansweredLead, "NO_ANSWER");
        dialerRow(channelOf(unanswered)).insert();   // NO ANSWER: the settle was right
        long calledAgainLead = lead(phone("+15125559"), 1);
        long calledAgain = settledUnanswered(calledAgainLead, "NO_ANSWER");
        long newer = dialing(calledAgainLead, unique("cc"));
        long dncLead = lead(phone("+15125560"), 1);
        long dnc = settledUnanswered(dncLead, "FAILED");
        jdbc.update("UPDATE leads SET status = 'DNC', last_outcome = 'DNC' WHERE id = ?", dncLead);
        long closedLead = lead(phone("+15125561"), 1);
        long closed = settledUnanswered(closedLead, "NO_ANSWER");
        jdbc.update("UPDATE leads SET status = 'DONE', next_attempt_at = NULL WHERE id = ?", closedLead);
        for (long entry : List.of(calledAgain, dnc, closed)) {
            answeredDialerRow(entry).insert();
        }
        Map<String, Object> calledAgainBefore = lead(calledAgainLead);
        Map<String, Object> dncBefore = lead(dncLead);
        Map<String, Object> closedBefore = lead(closedLead);

        reconcile();

        assertThat(entryAndLead(unanswered)).containsEntry("outcome", "NO_ANSWER").containsEntry("lead_status", "RETRY")
                .containsEntry("last_outcome", "NO_ANSWER");
        // the call itself was answered, whatever became of its lead since
        assertThat(entryAndLead(calledAgain)).containsEntry("outcome", "ANSWERED");
        assertThat(entryAndLead(dnc)).containsEntry("outcome", "ANSWERED");
        assertThat(lead(calledAgainLead)).isEqualTo(calledAgainBefore);
        assertThat(lead(dncLead)).isEqualTo(dncBefore);
        assertThat(lead(closedLead)).isEqualTo(closedBefore);
        assertThat(jdbc.queryForObject("SELECT status FROM outbound_queue WHERE id = ?", String.class, newer))
                .isEqualTo("DIALING");
    }

    /*
     * The wrongly settled call was the lead's last attempt, so the settle closed the lead (DONE) with the wrong outcome.
     * The lead is closed either way; its outcome is corrected as its entry's is, and an abandoned call does not
     * reopen it. A lead a DISCONNECTED call closed (its campaign closes those) answered after all: it is settled as
     * answered, or retried when the answer was abandoned.
     */
    @Test
    void aLeadOutOfAttemptsOrClosedAsDisconnectedTakesTheCorrectedOutcome() throws Exception {
        long talkedLead = lead(phone("+15125562"), 3);
        long talked = settledUnanswered(talkedLead, "NO_ANSWER", "DONE");
        long abandonedLead = lead(phone("+15125563"), 3);
        long abandoned = settledUnanswered(abandonedLead, "FAILED", "DONE");
        long disconnectedLead = lead(phone("+15125564"), 1);
        long disconnected = settledUnanswered(disconnectedLead, "DISCONNECTED", "DONE");
        long disconnectedAbandonedLead = lead(phone("+15125565"), 1);
        long disconnectedAbandoned = settledUnanswered(disconnectedAbandonedLead, "DISCONNECTED", "DONE");
        answeredDialerRow(talked).insert();
        answeredDialerRow(abandoned).set("userfield", "ABANDONED").insert();
        answeredDialerRow(disconnected).insert();
        answeredDialerRow(disconnectedAbandoned).set("userfield", "ABANDONED").insert();

        reconcile();

        assertThat(entryAndLead(talked)).containsEntry("outcome", "ANSWERED").containsEntry("lead_status", "DONE")
                .containsEntry("last_outcome", "ANSWERED").containsEntry("next_attempt_at", null)
                .containsEntry("attempts", 3);
        assertThat(entryAndLead(abandoned)).containsEntry("outcome", "ABANDONED").containsEntry("lead_status", "DONE")
                .containsEntry("last_outcome", "ABANDONED").containsEntry("next_attempt_at", null);
        assertThat(entryAndLead(disconnected)).containsEntry("outcome", "ANSWERED").containsEntry("lead_status", "DONE")
                .containsEntry("last_outcome", "ANSWERED");
        assertThat(entryAndLead(disconnectedAbandoned)).containsEntry("outcome", "ABANDONED")
                .containsEntry("lead_status", "RETRY").containsEntry("last_outcome", "ABANDONED");
    }

    /** A lead out of attempts that was closed for another reason since (DNC, INVALID) stays as it is. */
    @Test
    void aLeadOutOfAttemptsClosedForAnotherReasonIsLeftAlone() throws Exception {
        long dncLead = lead(phone("+15125566"), 3);
        long dnc = settledUnanswered(dncLead, "NO_ANSWER", "DONE");
        jdbc.update("UPDATE leads SET status = 'DNC', last_outcome = 'DNC' WHERE id = ?", dncLead);
        long invalidLead = lead(phone("+15125567"), 3);
        long invalid = settledUnanswered(invalidLead, "NO_ANSWER", "DONE");
        jdbc.update("UPDATE leads SET status = 'INVALID' WHERE id = ?", invalidLead);
        answeredDialerRow(dnc).insert();
        answeredDialerRow(invalid).insert();
        Map<String, Object> dncBefore = lead(dncLead);
        Map<String, Object> invalidBefore = lead(invalidLead);

        reconcile();

        assertThat(entryAndLead(dnc)).containsEntry("outcome", "ANSWERED");
        assertThat(entryAndLead(invalid)).containsEntry("outcome", "ANSWERED");
        assertThat(lead(dncLead)).isEqualTo(dncBefore);
        assertThat(lead(invalidLead)).isEqualTo(invalidBefore);
    }

    /** An entry the dialer settled with an unanswered outcome, its lead scheduled for a retry as settle does. */
    private long settledUnanswered(long lead, String outcome) {
        return settledUnanswered(lead, outcome, "RETRY");
    }

    /** The same, the lead left with {@code leadStatus} (DONE: out of attempts, or a disconnected number closed). */
    private long settledUnanswered(long lead, String outcome, String leadStatus) {
        long entry = dialing(lead, "cc-" + UUID.randomUUID());
        jdbc.update("UPDATE outbound_queue SET status = 'DONE', outcome = ?, done_at = now() WHERE id = ?", outcome, entry);
        // handed out in one statement: the attempt's time is the entry's dialing time
        jdbc.update("UPDATE leads l SET status = ?, last_outcome = ?, next_attempt_at = now() + interval '1 hour', "
                + "last_attempt_at = (SELECT dialing_at FROM outbound_queue WHERE id = ?) WHERE id = ?", leadStatus,
                outcome, entry, lead);
        return entry;
    }

    private Map<String, Object> entryAndLead(long entry) {
        return jdbc.queryForMap("SELECT q.outcome, q.answered_at IS NOT NULL AS answered, l.status AS lead_status, "
                + "l.last_outcome, l.attempts, l.next_attempt_at, "
                + "extract(epoch FROM l.next_attempt_at - q.done_at)::bigint AS retry_after "
                + "FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.id = ?", entry);
    }

    private Map<String, Object> lead(long lead) {
        return jdbc.queryForMap("SELECT status, last_outcome, attempts, next_attempt_at, updated_at FROM leads "
                + "WHERE id = ?", lead);
    }

    /*
     * A click-to-call's CDR rows as Asterisk 22 writes them (main/cdr.c). The originated channel is the agent's: its
     * CDR is answered when the agent answers (cdr_object_check_party_a_answer sets the answer time once, when party A
     * is up and none is set), and stays the same record when the dialplan then Dials the number
     * (single_state_process_dial_begin makes the number party B): so the Dial leg's row starts at the Originate,
     * its answer is the agent's, and its billsec (end - answer) counts the number's ringing too. Its disposition is
     * the number's (dial_state_process_dial_end). The number's own answer reaches the row only as the
     * CDR(dialed_answered_at) the Dial's U() routine stamps on the number's channel (a party B variable, merged into
     * the row). When the number hangs up, the agent's channel runs the Hangup() after the Dial: a row of its own,
     * answered, no party B. When the agent hangs up, the Dial ends the dialplan: no such row.
     */

    @Test
    void aClickToCallShowsTheNumberDialedAndBillsFromTheNumbersAnswerWhicheverSideHangsUp() throws Exception {
        String numberHangsUp = "ctc-" + UUID.randomUUID();
        clickToCallDialLeg(numberHangsUp, "+15557654321", "ANSWERED", 100).set("dialed_answered_at", at(19_250))
                .insert();
        clickToCallHangupRow(numberHangsUp, "+15557654321", 100).insert();
        String agentHangsUp = "ctc-" + UUID.randomUUID();
        clickToCallDialLeg(agentHangsUp, "+442079460000", "ANSWERED", 70).set("dialed_answered_at", at(19_250))
                .insert();
        int threshold = jdbc.queryForObject("SELECT billable_after_seconds FROM campaigns WHERE name = 'Solar Callbacks'",
                Integer.class);
        assertThat(threshold).isEqualTo(60);   // the agent's leg reached it (66 s), the number's talk did not (50 s)

        reconcile();

        assertThat(callLog(numberHangsUp)).containsEntry("direction", "OUTBOUND").containsEntry("destination", "+15557654321")
                .containsEntry("disposition", "ANSWERED").containsEntry("billsec", 80).containsEntry("duration", 100)
                .containsEntry("billable", true).containsEntry("hangup_cause", "16").containsEntry("cdr_rows", 2)
                .containsEntry("agent_id", agentOf(numberHangsUp));
        assertThat(answerTime(numberHangsUp)).isEqualTo(start.plusMillis(19_250));
        assertThat(callLog(agentHangsUp)).containsEntry("destination", "+442079460000")
                .containsEntry("disposition", "ANSWERED").containsEntry("billsec", 50).containsEntry("duration", 70)
                .containsEntry("billable", false).containsEntry("cdr_rows", 1);
        assertThat(answerTime(agentHangsUp)).isEqualTo(start.plusMillis(19_250));
        // as the API shows it
        GraphQlTester.Response api = graphQl.as("staff").document("query ($id: ID!) { callLog(id: $id) { "
                + "destination billsec answerTime disposition } }").variable("id", callLog(numberHangsUp).get("id"))
                .execute();
        api.path("callLog.destination").entity(String.class).isEqualTo("+15557654321");
        api.path("callLog.billsec").entity(Integer.class).isEqualTo(80);
        api.path("callLog.answerTime").entity(String.class)
                .satisfies(time -> assertThat(OffsetDateTime.parse(time).toInstant()).isEqualTo(start.plusMillis(19_250)));
    }

    /**
     * An inbound call whose caller the dialplan answered to play the campaign's recording notice (CDR
     * caller_answered=NOTICE, on every row) has an answer time on every row (Party A is up), a failed Dial's and the
     * hangup handler's too: only the Dial a buyer answered counts, billed from the buyer's answer
     * (dialed_answered_at, stamped by route-answered), not from the notice. Rows of a call without the notice keep
     * their own answer (a stamp there changes nothing).
     */
    @Test
    void anInboundCallAnsweredForItsRecordingNoticeIsAnsweredAndBilledFromTheBuyersAnswer() throws Exception {
        String told = unique("notice-answered");
        cdr.leg(told).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("caller_answered", "NOTICE").set("disposition", "BUSY").set("billsec", 9)
                .times(start, start.plusSeconds(1), start.plusSeconds(10)).insert();
        cdr.leg(told).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("caller_answered", "NOTICE").set("targets_tried", "2")
                .answered(start.plusSeconds(10), start.plusSeconds(10), start.plusSeconds(80))
                .set("dialed_answered_at", at(25_000)).insert();
        cdr.leg(told).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .set("caller_answered", "NOTICE").set("targets_tried", "2").set("dstchannel", "").set("userfield", "16")
                .answered(start.plusSeconds(80), start.plusSeconds(80), start.plusSeconds(80)).insert();
        String untaken = unique("notice-unanswered");
        cdr.leg(untaken).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("caller_answered", "NOTICE").set("disposition", "NO ANSWER").set("billsec", 35)
                .times(start, start.plusSeconds(1), start.plusSeconds(36)).insert();
        cdr.leg(untaken).set("campaign", "Auto Insurance").set("client", "Sunrise Insurance Call Center")
                .set("caller_answered", "NOTICE").set("dstchannel", "").set("disposition", "ANSWERED")
                .set("userfield", "34").set("billsec", 0).set("route_status", "UNROUTED")
                .set("unrouted_reason", "ALL_FAILED")
                .times(start.plusSeconds(36), start.plusSeconds(36), start.plusSeconds(36)).insert();
        String plain = unique("notice-none");
        cdr.leg(plain).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .answered(start, start.plusSeconds(10), start.plusSeconds(70)).set("dialed_answered_at", at(10_600))
                .insert();

        reconcile();

        assertThat(callLog(told)).containsEntry("disposition", "ANSWERED").containsEntry("billsec", 55)
                .containsEntry("client_id", id("clients", "Pacific Home Services"));
        assertThat(answerTime(told)).isEqualTo(start.plusMillis(25_000));
        assertThat(clientsTried(told)).containsExactly(id("clients", "Sunrise Insurance Call Center"),
                id("clients", "Pacific Home Services"));
        assertThat(callLog(untaken)).containsEntry("disposition", "UNROUTED").containsEntry("billsec", 0)
                .containsEntry("answer_time", null).containsEntry("billable", false)
                .containsEntry("client_id", null);
        assertThat(callLog(plain)).containsEntry("disposition", "ANSWERED").containsEntry("billsec", 60);
        assertThat(answerTime(plain)).isEqualTo(start.plusSeconds(10));
    }

    @Test
    void aClickToCallIsAnsweredOnlyWhenTheNumberAnswersNotWhenTheAgentDoes() throws Exception {
        String unanswered = "ctc-" + UUID.randomUUID();
        // Dial(...,60) gave up: the agent's 60 s waiting on the number are the row's billsec
        clickToCallDialLeg(unanswered, "+15557654321", "NO ANSWER", 64).insert();
        clickToCallHangupRow(unanswered, "+15557654321", 64).insert();
        String busy = "ctc-" + UUID.randomUUID();
        clickToCallDialLeg(busy, "+15557654322", "BUSY", 7).insert();
        clickToCallHangupRow(busy, "+15557654322", 7).insert();

        reconcile();

        assertThat(callLog(unanswered)).containsEntry("direction", "OUTBOUND").containsEntry("destination", "+15557654321")
                .containsEntry("disposition", "NO ANSWER").containsEntry("billsec", 0).containsEntry("billable", false)
                .containsEntry("answer_time", null).containsEntry("hangup_cause", "19").containsEntry("duration", 64)
                .containsEntry("cdr_rows", 2);
        assertThat(callLog(busy)).containsEntry("destination", "+15557654322").containsEntry("disposition", "BUSY")
                .containsEntry("billsec", 0).containsEntry("answer_time", null).containsEntry("hangup_cause", "17");
    }

    /**
     * The agent never answers: the Originate's channel ends in its dial state, no dialplan ran, so no CDR variable
     * was set. Asterisk 22 (main/cdr.c) still writes the channel's record: an originated channel is not "dialed"
     * (snapshot_is_dialed: AST_FLAG_ORIGINATED), and post_cdr keeps an unanswered record with no party B because
     * cdr.conf has unanswered=yes. Its uniqueid and linkedid are the Originate's ChannelId, its dst the Originate's
     * exten (s), lastapp AppDial2 (the dial API's placeholder), its custom columns empty: the Originate's variables
     * are channel variables, and a record's custom columns are its CDR variables only. The application recorded the
     * click-to-call under that ChannelId when it placed it: the call log names its number, agent and campaign.
     */
    @Test
    void aClickToCallWhoseAgentNeverAnswersNamesItsNumberAgentAndCampaignFromItsPlacement() throws Exception {
        String call = "ctc-" + UUID.randomUUID();
        long agent = agentOf(call);
        long campaign = id("campaigns", "Solar Callbacks");
        jdbc.update("INSERT INTO click_to_calls (channel_id, agent_id, campaign_id, number) VALUES (?, ?, ?, ?)",
                call, agent, campaign, "+15557654321");
        neverAnsweredByTheAgent(call);

        reconcile();

        assertThat(callLog(call)).containsEntry("direction", "OUTBOUND").containsEntry("destination", "+15557654321")
                .containsEntry("agent_id", agent).containsEntry("campaign_id", campaign)
                .containsEntry("seller_id", id("sellers", "Bright Media")).containsEntry("disposition", "NO ANSWER")
                .containsEntry("billsec", 0).containsEntry("answer_time", null).containsEntry("billable", false)
                .containsEntry("hangup_cause", "19").containsEntry("cdr_rows", 1);
    }

    /** A click-to-call placed before the application recorded them: no number rather than the exten, "s". */
    @Test
    void aClickToCallWithNoRecordOfItsPlacementHasNoDestination() throws Exception {
        String call = "ctc-" + UUID.randomUUID();
        neverAnsweredByTheAgent(call);

        reconcile();

        assertThat(callLog(call)).containsEntry("direction", "OUTBOUND").containsEntry("destination", null)
                .containsEntry("agent_id", null).containsEntry("campaign_id", null)
                .containsEntry("disposition", "NO ANSWER").containsEntry("cdr_rows", 1);
    }

    /** The one row Asterisk writes for a click-to-call whose agent's phone rang out. */
    private void neverAnsweredByTheAgent(String channelId) {
        cdr.leg(channelId).set("direction", null).set("dcontext", "capconduit-click-to-call").set("dst", "s")
                .set("dstchannel", "").set("disposition", "NO ANSWER").set("duration", 30)
                .times(start, null, start.plusSeconds(30)).insert();
    }

    /**
     * Two workers write the call logs of one range side by side, and the rollup triggers of both add to the same
     * hour's buckets: one worker's new calls lock some buckets, its rebuilt call's old version others.
     */
    @Test
    void twoWorkersInsertingAndRebuildingCallsOfOneHourDoNotDeadlock() throws Exception {
        Instant hour = Instant.parse("2031-01-01T00:00:00Z").plus((long) (Math.random() * 40_000), ChronoUnit.HOURS);
        String rebuilt = inShare(0, "rebuilt");
        String inserted = inShare(0, "inserted");
        String other = inShare(1, "other");
        cdr.leg(rebuilt).set("campaign", "Auto Insurance").times(hour, null, hour.plusSeconds(20)).insert();
        reconcile();
        cdr.leg(rebuilt).set("campaign", "Auto Insurance").set("client", "Pacific Home Services")
                .answered(hour.plusSeconds(20), hour.plusSeconds(25), hour.plusSeconds(60)).insert();
        cdr.leg(inserted).set("campaign", "Home Warranty").times(hour, null, hour.plusSeconds(20)).insert();
        cdr.leg(other).set("campaign", "Home Warranty").times(hour, null, hour.plusSeconds(20)).insert();
        // the order that meets: worker 0's statement moves its rebuilt call from its old buckets to its new ones (the
        // update trigger fires first), then, after the pause, adds its new call; worker 1 (delayed) adds its own new
        // call in between, taking the Home Warranty bucket before waiting for one worker 0 holds
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM new_rows WHERE linked_id = TG_ARGV[0]) THEN PERFORM pg_sleep(1.5); END IF;
                    RETURN NULL;
                END $$""");
        jdbc.execute("CREATE OR REPLACE FUNCTION test_delay() RETURNS trigger LANGUAGE plpgsql AS $$ "
                + "BEGIN PERFORM pg_sleep(0.5); RETURN NEW; END $$");
        try {
            // statement triggers of one event fire in name order: after call_stats_update
            jdbc.execute("CREATE TRIGGER zz_test_pause AFTER UPDATE ON call_logs REFERENCING NEW TABLE AS new_rows "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION test_pause('" + rebuilt + "')");
            jdbc.execute("CREATE TRIGGER test_delay BEFORE INSERT ON call_logs FOR EACH ROW WHEN (NEW.linked_id = '"
                    + other + "') EXECUTE FUNCTION test_delay()");

            JobExecution execution = launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0", "workers", "2"),
                    Instant.now());

            assertThat(execution.getAllFailureExceptions()).isEmpty();
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        }
        finally {
            jdbc.execute("DROP TRIGGER IF EXISTS zz_test_pause ON call_logs");
            jdbc.execute("DROP TRIGGER IF EXISTS test_delay ON call_logs");
        }
        reconcile();
        assertThat(callLog(rebuilt)).containsEntry("cdr_rows", 2).containsEntry("disposition", "ANSWERED");
        assertThat(callLog(inserted)).containsEntry("cdr_rows", 1);
        assertThat(callLog(other)).containsEntry("cdr_rows", 1);
    }

    private String inShare(int share, String what) {
        while (true) {
            String linkedId = unique(what);
            if (jdbc.queryForObject("SELECT ((hashtext(?)::bigint & 2147483647) % 2)::int", Integer.class, linkedId)
                    == share) {
                return linkedId;
            }
        }
    }

    /**
     * A click-to-call's Dial leg: the agent's channel, originated at {@code start} and answered 4 s later, its CDR
     * variables stamped before the Dial; the number's channel its party B, the disposition the number's. It ends
     * {@code seconds} after the Originate.
     */
    private CdrRows.Leg clickToCallDialLeg(String channelId, String number, String disposition, int seconds) {
        return clickToCallRow(channelId, number).set("dstchannel", "PJSIP/demo-carrier-0000000" + seconds % 10)
                .answered(start, start.plusSeconds(4), start.plusSeconds(seconds)).set("disposition", disposition);
    }

    /** The agent's channel running the Hangup() after its Dial: answered when it starts, no party B. */
    private CdrRows.Leg clickToCallHangupRow(String channelId, String number, int seconds) {
        Instant at = start.plusSeconds(seconds);
        return clickToCallRow(channelId, number).set("dstchannel", "").answered(at, at, at);
    }

    /** A click-to-call's row: the agent's channel in capconduit-click-to-call, its CDR variables stamped. */
    private CdrRows.Leg clickToCallRow(String channelId, String number) {
        return cdr.leg(channelId).set("direction", "OUTBOUND").set("campaign", "Solar Callbacks")
                .set("agent_id", String.valueOf(agentOf(channelId))).set("dialed_number", number)
                .set("recording_file", channelId + ".wav")
                .set("dcontext", "capconduit-click-to-call").set("dst", "s");
    }

    /** An agent for the click-to-call (any agent id the dialplan stamps is one of the agents table's). */
    private long agentOf(String channelId) {
        String extension = String.valueOf(10_000_000 + Math.floorMod(channelId.hashCode(), 89_999_999));
        return jdbc.queryForObject("INSERT INTO agents (name, extension, endpoint, state) VALUES (?, ?, ?, 'AVAILABLE') "
                + "ON CONFLICT (extension) DO UPDATE SET name = EXCLUDED.name RETURNING id", Long.class,
                "Agent " + extension, extension, "agent-" + extension);
    }

    /** A time {@code millis} after the test's start as STRFTIME(,UTC,%Y-%m-%d %H:%M:%S.%3q) writes it. */
    private String at(long millis) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC)
                .format(start.plusMillis(millis));
    }

    private Instant answerTime(String linkedId) {
        return jdbc.queryForObject("SELECT answer_time FROM call_logs WHERE linked_id = ?", OffsetDateTime.class,
                linkedId).toInstant();
    }

    /**
     * cdr emptied with its ids restarted (TRUNCATE ... RESTART IDENTITY) or restored from a backup: new rows have ids
     * at or below the checkpoint, and would wait unread until their ids passed it. Simulated by moving the
     * checkpoint past the id sequence, as a restart of the ids leaves it.
     */
    @Test
    void rowsWrittenAfterCdrIdsRestartedAreReconciled() throws Exception {
        String before = unique("before-restart");
        cdr.leg(before).set("campaign", "Home Warranty").insert();
        assertThat(reconcile().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        jdbc.update("UPDATE app_state SET value = ((SELECT last_value FROM cdr_id_seq) + 1000)::text "
                + "WHERE key = 'cdr_reconciliation_last_id'");
        String after = unique("after-restart");
        long row = cdr.leg(after).set("campaign", "Home Warranty").insert();

        JobExecution execution = reconcile();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(callLog(after)).containsEntry("cdr_rows", 1);
        assertThat(callLog(before)).containsEntry("cdr_rows", 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id = ?", Long.class, before))
                .isEqualTo(1);
        assertThat(execution.getStepExecutions().iterator().next().getExitStatus().getExitDescription())
                .contains("cdr ids restarted below the checkpoint");
        assertThat(jdbc.queryForObject("SELECT value::bigint FROM app_state WHERE key = 'cdr_reconciliation_last_id'",
                Long.class)).isGreaterThanOrEqualTo(row);
    }

    @Test
    void badRowsAreSkippedCountedAndReportedWithoutStoppingTheJob() throws Exception {
        String good = unique("good");
        long nullLinked = cdr.leg(good).set("linkedid", null).insert();
        long negative = cdr.leg(unique("negative")).set("duration", -5).insert();
        long unknownCampaign = cdr.leg(unique("unknown-campaign")).set("campaign_id", "999999999").insert();
        long garbageCampaign = cdr.leg(unique("garbage-campaign")).set("campaign_id", "12; DROP TABLE x").insert();
        cdr.leg(good).set("campaign", "Home Warranty").insert();

        JobExecution execution = reconcile();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StepExecution step = execution.getStepExecutions().iterator().next();
        assertThat(step.getProcessSkipCount()).isEqualTo(4);
        assertThat(step.getSkipCount()).isEqualTo(4);
        List<String> reasons = jdbc.queryForList("SELECT reason FROM cdr_rejects WHERE cdr_id IN (?, ?, ?, ?) ORDER BY cdr_id",
                String.class, nullLinked, negative, unknownCampaign, garbageCampaign);
        assertThat(reasons).containsExactly("linkedid: missing", "duration: negative (-5)",
                "campaign_id: no campaign 999999999", "campaign_id: no campaign 12; DROP TABLE x");
        // and where the jobs API shows them
        assertThat(step.getExitStatus().getExitDescription()).contains("skipped 4 bad rows",
                "cdr " + nullLinked + ": linkedid: missing", "cdr " + negative + ": duration: negative (-5)");
        assertThat(callLog(good)).containsEntry("cdr_rows", 1);
    }

    @Test
    void aTimeNoCallCanHaveIsARejectedRowNeverAStoppedJob() throws Exception {
        Instant eightyYearsOn = start.plus(Duration.ofDays(80 * 365));
        long brokenClock = cdr.leg(unique("broken-clock")).times(start, null, eightyYearsOn).insert();
        long infinite = cdr.leg(unique("infinite")).insert();
        jdbc.update("UPDATE cdr SET start = '-infinity' WHERE id = ?", infinite);
        // each leg sane, the call's span too long for an int of seconds
        String apart = unique("apart");
        cdr.leg(apart).insert();
        cdr.leg(apart).times(eightyYearsOn, null, eightyYearsOn.plusSeconds(20)).insert();
        String good = unique("good");
        cdr.leg(good).insert();

        JobExecution execution = reconcile();

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getStepExecutions().iterator().next().getProcessSkipCount()).isEqualTo(2);
        List<String> reasons = jdbc.queryForList("SELECT reason FROM cdr_rejects WHERE cdr_id IN (?, ?) ORDER BY cdr_id",
                String.class, brokenClock, infinite);
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0)).startsWith("end: more than a day after start (");
        assertThat(reasons.get(1)).isEqualTo("start: not a finite time (-infinity)");
        assertThat(callLog(apart)).containsEntry("duration", Integer.MAX_VALUE).containsEntry("cdr_rows", 2);
        assertThat(callLog(good)).containsEntry("cdr_rows", 1);
    }

    @Test
    void aCallLogsSellerIsItsCampaignsWhateverSellerTheRowNames() throws Exception {
        String call = unique("other-seller");
        cdr.leg(call).set("campaign", "Auto Insurance").set("seller_id", String.valueOf(id("sellers", "Bright Media")))
                .insert();

        reconcile();

        assertThat(callLog(call)).containsEntry("seller_id", id("sellers", "Acme Leads"));
    }

    @Test
    void aCallTheDatabaseCouldNotRouteIsLinkedToItsDidFromTheCarriersDigits() throws Exception {
        String call = unique("db-error");
        cdr.leg(call).set("did", "8005550101").set("route_status", "UNROUTED").set("unrouted_reason", "DB_ERROR")
                .insert();

        reconcile();

        Map<String, Object> log = callLog(call);
        assertThat(log.get("did_id")).isEqualTo(jdbc.queryForObject("SELECT id FROM dids WHERE number = '+18005550101'",
                Long.class));
        assertThat(log).containsEntry("seller_id", id("sellers", "Acme Leads"));
    }

    @Test
    void theEndedChannelsOpenClaimsAreReleasedOnce() throws Exception {
        String call = unique("claims");
        long setting = setting("Solar Savings", "Lone Star Solar");
        // two open claims, one still ringing (reserved)
        jdbc.update("UPDATE campaign_client_settings SET in_flight = in_flight + 2, reserved = reserved + 1 "
                + "WHERE id = ?", setting);
        Map<String, Object> counts = jdbc.queryForMap("SELECT in_flight, reserved FROM campaign_client_settings "
                + "WHERE id = ?", setting);
        jdbc.update("INSERT INTO route_claims (call_uid, setting_id, status, claimed_at) VALUES (?, ?, 'CLAIMED', ?)",
                call, setting, java.sql.Timestamp.from(start));
        jdbc.update("INSERT INTO route_claims (call_uid, setting_id, status, claimed_at, answered_at) "
                + "VALUES (?, ?, 'ANSWERED', ?, ?)", call + "-b", setting, java.sql.Timestamp.from(start),
                java.sql.Timestamp.from(start.plusSeconds(2)));
        cdr.leg(call).set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                .times(start, null, start.plusSeconds(20)).insert();
        cdr.leg(call + "-b").set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                .answered(start, start.plusSeconds(2), start.plusSeconds(40)).insert();

        reconcile();
        reconcile();

        assertThat(jdbc.queryForList("SELECT status || ' ' || release_reason FROM route_claims WHERE call_uid IN (?, ?) "
                + "AND released_at IS NOT NULL ORDER BY call_uid", String.class, call, call + "-b"))
                .containsExactly("RELEASED CDR_RECONCILED", "ANSWERED CDR_RECONCILED");
        assertThat(jdbc.queryForMap("SELECT in_flight, reserved FROM campaign_client_settings WHERE id = ?", setting))
                .containsEntry("in_flight", (Integer) counts.get("in_flight") - 2)
                .containsEntry("reserved", (Integer) counts.get("reserved") - 1);
    }

    /**
     * The buyer answered but the answer never reached the database (route_answer failed in a blip): the leg's CDR
     * says ANSWERED, so the claim is closed as answered and the call counts against the buyer's cap after all.
     */
    @Test
    void anAnswerTheDatabaseMissedIsCountedFromTheCdr() throws Exception {
        long setting = setting("Solar Savings", "Lone Star Solar");
        Instant answeredAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        var demo = jdbc.queryForMap("SELECT cap_period, cap_window_start, cap_used FROM campaign_client_settings "
                + "WHERE id = ?", setting);
        jdbc.update("UPDATE campaign_client_settings SET cap_window_start = date_trunc('day', now() - interval "
                + "'30 seconds'), cap_period = 'DAY' WHERE id = ?", setting);
        var before = jdbc.queryForMap("SELECT in_flight, reserved, cap_used FROM campaign_client_settings WHERE id = ?",
                setting);
        try {
            reconcileALostAnswer(setting, answeredAt, before);

            // a setting with no window yet (its period changed from TOTAL): the answer starts the current window
            jdbc.update("UPDATE campaign_client_settings SET cap_window_start = NULL, cap_used = 7 WHERE id = ?",
                    setting);
            reconcileALostAnswer(setting, answeredAt, Map.of("in_flight", before.get("in_flight"), "reserved",
                    before.get("reserved"), "cap_used", 0));
            assertThat(jdbc.queryForObject("SELECT cap_window_start IS NOT NULL FROM campaign_client_settings "
                    + "WHERE id = ?", Boolean.class, setting)).isTrue();
        }
        finally {   // the demo buyer is shared with the other tests
            jdbc.update("UPDATE campaign_client_settings SET cap_period = ?, cap_window_start = ?, cap_used = ? "
                    + "WHERE id = ?", demo.get("cap_period"), demo.get("cap_window_start"), demo.get("cap_used"),
                    setting);
        }
    }

    /**
     * A lost answer counts in the current window also when the setting's stored window has rolled since its last call
     * (no claim and no reset run yet, as after the application was down): it was added to the old window's count,
     * which the next claim then emptied, so the buyer's window went on without it.
     */
    @Test
    void anAnswerTheDatabaseMissedCountsInTheCurrentWindowWhenTheStoredOneIsOld() throws Exception {
        long setting = setting("Solar Savings", "Lone Star Solar");
        Instant answeredAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        var demo = jdbc.queryForMap("SELECT cap_period, cap_window_start, cap_used FROM campaign_client_settings "
                + "WHERE id = ?", setting);
        jdbc.update("UPDATE campaign_client_settings SET cap_period = 'DAY', cap_used = 7, cap_window_start = "
                + "cap_window_start('DAY', client_time_zone, now()) - interval '2 days' WHERE id = ?", setting);
        var before = jdbc.queryForMap("SELECT in_flight, reserved FROM campaign_client_settings WHERE id = ?", setting);
        try {
            String call = unique("lost-answer-old-window");
            claim(call, setting, answeredAt.minusSeconds(5));
            cdr.leg(call).set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                    .answered(answeredAt.minusSeconds(5), answeredAt, answeredAt.plusSeconds(20)).insert();

            reconcile();
            reconcile();

            // the answer is today's, unless the buyer's day began in the last 30 seconds
            var expected = jdbc.queryForMap("SELECT cap_window_start('DAY', client_time_zone, now()) AS window_start, "
                    + "CASE WHEN ?::timestamptz >= cap_window_start('DAY', client_time_zone, now()) THEN 1 ELSE 0 END "
                    + "AS cap_used FROM campaign_client_settings WHERE id = ?", java.sql.Timestamp.from(answeredAt),
                    setting);
            assertThat(jdbc.queryForMap("SELECT in_flight, reserved, cap_used, cap_window_start "
                    + "FROM campaign_client_settings WHERE id = ?", setting))
                    .containsEntry("in_flight", before.get("in_flight"))
                    .containsEntry("reserved", before.get("reserved"))
                    .containsEntry("cap_used", expected.get("cap_used"))
                    .containsEntry("cap_window_start", expected.get("window_start"));
        }
        finally {   // the demo buyer is shared with the other tests
            jdbc.update("UPDATE campaign_client_settings SET cap_period = ?, cap_window_start = ?, cap_used = ? "
                    + "WHERE id = ?", demo.get("cap_period"), demo.get("cap_window_start"), demo.get("cap_used"),
                    setting);
        }
    }

    private void reconcileALostAnswer(long setting, Instant answeredAt, Map<String, Object> before) throws Exception {
        String call = unique("lost-answer");
        claim(call, setting, answeredAt.minusSeconds(5));
        cdr.leg(call).set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                .answered(answeredAt.minusSeconds(5), answeredAt, answeredAt.plusSeconds(20)).insert();

        reconcile();
        reconcile();

        assertThat(jdbc.queryForMap("SELECT status, answered_at FROM route_claims WHERE call_uid = ?", call))
                .containsEntry("status", "ANSWERED")
                .containsEntry("answered_at", java.sql.Timestamp.from(answeredAt));
        assertThat(jdbc.queryForMap("SELECT in_flight, reserved, cap_used FROM campaign_client_settings WHERE id = ?",
                setting))
                .containsEntry("in_flight", before.get("in_flight"))
                .containsEntry("reserved", before.get("reserved"))
                .containsEntry("cap_used", (Integer) before.get("cap_used") + 1);
    }

    /**
     * A leg's row releases its own buyer's claim, whatever the clocks say (the cdr's end is whole seconds on
     * Asterisk's clock), and never the claim on the buyer the call failed over to.
     */
    @Test
    void aLegReleasesItsOwnBuyersClaimOnlyWhateverTheClocks() throws Exception {
        long lone = setting("Solar Savings", "Lone Star Solar");
        long sunrise = setting("Solar Savings", "Sunrise Insurance Call Center");
        Instant ended = start.plusSeconds(20);
        // a short last leg: claimed in the second the leg ended, which the cdr's end rounds down
        String sameSecond = unique("same-second");
        claim(sameSecond, lone, ended.plusMillis(400));
        cdr.leg(sameSecond).set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                .times(ended.minusMillis(600), null, ended).insert();
        // failed over from Lone Star to Sunrise; Asterisk's clock runs ahead, so the new claim looks older
        String failedOver = unique("failed-over");
        claim(failedOver, sunrise, ended.minusSeconds(5));
        cdr.leg(failedOver).set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                .times(start, null, ended).insert();

        reconcile();

        assertThat(jdbc.queryForObject("SELECT release_reason FROM route_claims WHERE call_uid = ?", String.class,
                sameSecond)).isEqualTo("CDR_RECONCILED");
        assertThat(jdbc.queryForObject("SELECT released_at IS NULL FROM route_claims WHERE call_uid = ?",
                Boolean.class, failedOver)).isTrue();
        jdbc.update("UPDATE route_claims SET released_at = now(), status = 'RELEASED' WHERE call_uid = ?", failedOver);
        jdbc.update("UPDATE campaign_client_settings SET in_flight = greatest(in_flight - 1, 0) WHERE id = ?", sunrise);
    }

    private long setting(String campaign, String client) {
        return jdbc.queryForObject("""
                SELECT s.id FROM campaign_client_settings s JOIN campaigns cp ON cp.id = s.campaign_id
                JOIN clients cl ON cl.id = s.client_id WHERE cp.name = ? AND cl.name = ?""", Long.class, campaign,
                client);
    }

    private void claim(String call, long setting, Instant at) {
        jdbc.update("UPDATE campaign_client_settings SET in_flight = in_flight + 1, reserved = reserved + 1 "
                + "WHERE id = ?", setting);
        jdbc.update("INSERT INTO route_claims (call_uid, setting_id, status, claimed_at) VALUES (?, ?, 'CLAIMED', ?)",
                call, setting, java.sql.Timestamp.from(at));
    }

    /**
     * Two Asterisk servers write at once: a lower cdr id commits after a higher one. The reconciler waits for the
     * insert under way instead of moving its checkpoint over a row it cannot see yet.
     */
    @Test
    void aLowerIdCommittedAfterAHigherOneIsNotSkipped() throws Exception {
        String slow = unique("slow-insert");
        String quick = unique("quick-insert");
        Thread run;
        try (Connection serverA = dataSource.getConnection()) {
            serverA.setAutoCommit(false);
            unansweredLeg(on(serverA), slow);
            unansweredLeg(cdr, quick);
            run = new Thread(() -> {
                try {
                    reconcile();
                }
                catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            });
            run.start();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(4).toNanos();
            while (run.isAlive() && System.nanoTime() < deadline && jdbc.queryForObject("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE cdr%'",
                    Integer.class) == 0) {
                Thread.sleep(20);
            }
            serverA.commit();
        }
        run.join(30_000);
        reconcile();

        assertThat(callLog(slow)).containsEntry("cdr_rows", 1);
        assertThat(callLog(quick)).containsEntry("cdr_rows", 1);
    }

    /**
     * An insert that stays open past the lock timeout (a stuck Asterisk transaction): the run moves nothing,
     * neither the rows after it nor the checkpoint, and completes; once the insert commits, the next run takes all.
     */
    @Test
    void aRunBehindAnInsertThatStaysOpenDoesNothingAndTheNextTakesAll() throws Exception {
        String stuck = unique("stuck-insert");
        String after = unique("after-stuck");
        String checkpoint;
        try (Connection serverA = dataSource.getConnection()) {
            serverA.setAutoCommit(false);
            unansweredLeg(on(serverA), stuck);
            unansweredLeg(cdr, after);
            checkpoint = jdbc.queryForObject("SELECT value FROM app_state WHERE key = 'cdr_reconciliation_last_id'",
                    String.class);

            JobExecution blocked = reconcile();   // waits out the 5 s lock timeout

            assertThat(blocked.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM call_logs WHERE linked_id = ?", Integer.class, after))
                    .isZero();
            assertThat(jdbc.queryForObject("SELECT value FROM app_state WHERE key = 'cdr_reconciliation_last_id'",
                    String.class)).isEqualTo(checkpoint);
            serverA.commit();
        }

        reconcile();

        assertThat(callLog(stuck)).containsEntry("cdr_rows", 1);
        assertThat(callLog(after)).containsEntry("cdr_rows", 1);
    }

    @Test
    void anIdIsReadOnlyWhenItIsPlainAsciiDigitsAsTheRegularExpressionDidBefore() {
        // digits_upto (V9_32_0) replaced the reconciler's '^[0-9]{1,n}$' matches: same answer for every kind of text
        // a CDR variable can hold, null included
        List<Map<String, Object>> disagreements = jdbc.queryForList("""
                SELECT v, digits_upto(v, 18) AS fast, v ~ '^[0-9]{1,18}$' AS regex
                FROM unnest(ARRAY[NULL, '', '0', '00', '7', '123456789012345678', '1234567890123456789', '12a', 'a12',
                                  ' 12', '12 ', '-1', '+1', '1.5', '1e5', E'12\n', '١٢', '１２', '12''; --'])
                         AS t(v)
                WHERE digits_upto(v, 18) IS DISTINCT FROM (v ~ '^[0-9]{1,18}$')
                """);
        assertThat(disagreements).isEmpty();
        assertThat(jdbc.queryForObject("SELECT digits_upto('1234', 3)", Boolean.class)).isFalse();
        assertThat(jdbc.queryForObject("SELECT digits_upto('123', 3)", Boolean.class)).isTrue();
    }

    @Test
    void theSampleCdrRowsReconcileOnTheDemoData() throws Exception {
        reconcile();

        assertThat(callLog("pbx1-1763650931.1")).containsEntry("disposition", "ANSWERED").containsEntry("billsec", 45)
                .containsEntry("billable", false).containsEntry("client_id", id("clients", "Pacific Home Services"));
        assertThat(clientsTried("pbx1-1763650931.1")).containsExactly(id("clients", "Sunrise Insurance Call Center"),
                id("clients", "Pacific Home Services"));
        assertThat(callLog("pbx1-1763651400.4")).containsEntry("billable", true)
                .containsEntry("recording_file", "pbx1-1763651400.4.wav");
        assertThat(callLog("pbx1-1763652000.6")).containsEntry("disposition", "UNROUTED")
                .containsEntry("unrouted_reason", "NO_CAMPAIGN").containsEntry("hangup_cause", "1");
        assertThat(callLog("pbx1-1763650931.1")).containsEntry("hangup_cause", "16");
        assertThat(callLog("demo-outbound-1")).containsEntry("direction", "OUTBOUND")
                .containsEntry("disposition", "NO ANSWER").containsEntry("destination", "+15125550142")
                .containsEntry("campaign_id", id("campaigns", "Solar Callbacks"));
        assertThat(jdbc.queryForMap("SELECT q.status, q.outcome, l.status AS lead_status, l.attempts "
                + "FROM outbound_queue q JOIN leads l ON l.id = q.lead_id WHERE q.channel_id = 'demo-outbound-1'"))
                .containsEntry("status", "DONE").containsEntry("outcome", "NO_ANSWER")
                .containsEntry("lead_status", "RETRY").containsEntry("attempts", 1);
    }

    /** CDR rows written over one connection, as one Asterisk server writes them (in its own transaction). */
    private static CdrRows on(Connection server) {
        return new CdrRows(new NamedParameterJdbcTemplate(new SingleConnectionDataSource(server, true)));
    }

    private void unansweredLeg(CdrRows rows, String linkedId) {
        rows.leg(linkedId).set("campaign", "Solar Savings").set("client", "Lone Star Solar")
                .times(start, null, start.plusSeconds(20)).insert();
    }

    /** Most runs (every 30 s) find nothing new: the execution says so, not Spring Batch's "no steps configured". */
    @Test
    void aRunWithNothingNewSaysSo() throws Exception {
        reconcile();

        JobExecution idle = reconcile();

        assertThat(idle.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(idle.getStepExecutions()).isEmpty();
        assertThat(idle.getExitStatus().getExitCode()).isEqualTo("NOOP");
        assertThat(idle.getExitStatus().getExitDescription())
                .isEqualTo("No cdr row past the checkpoint: nothing to reconcile");
    }

    private JobExecution reconcile() throws Exception {
        return launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());
    }

    private Map<String, Object> callLog(String linkedId) {
        return jdbc.queryForMap("SELECT * FROM call_logs WHERE linked_id = ?", linkedId);
    }

    private List<Long> clientsTried(String linkedId) {
        return jdbc.queryForList("SELECT unnest(clients_tried) FROM call_logs WHERE linked_id = ?", Long.class, linkedId);
    }

    private long id(String table, String name) {
        return jdbc.queryForObject("SELECT id FROM " + table + " WHERE name = ?", Long.class, name);
    }

    private long lead(String phone, int attempts) {
        return jdbc.queryForObject("""
                INSERT INTO leads (list_id, phone, status, attempts)
                SELECT id, ?, 'QUEUED', ? FROM lead_lists WHERE name = 'Solar prospects'
                ON CONFLICT (list_id, phone) DO UPDATE SET status = 'QUEUED', attempts = EXCLUDED.attempts
                RETURNING id""", Long.class, phone, attempts);
    }

    /** A queue entry the dialer handed out as the Originate with this ChannelId. */
    private long dialing(long lead, String channelId) {
        jdbc.update("UPDATE outbound_queue SET status = 'DONE' WHERE lead_id = ? AND status <> 'DONE'", lead);
        return jdbc.queryForObject("""
                INSERT INTO outbound_queue (campaign_id, lead_id, status, dialing_at, channel_id)
                SELECT id, ?, 'DIALING', now(), ? FROM campaigns WHERE name = 'Solar Callbacks' RETURNING id""",
                Long.class, lead, channelId);
    }

    /** The lead's channel's row as Asterisk writes it when the lead did not answer: no CDR variable set. */
    private CdrRows.Leg dialerRow(String channelId) {
        return cdr.leg(channelId).set("direction", null).set("dcontext", "capconduit-outbound-answered").set("dst", "s");
    }

    /** An answered lead's row: capconduit-outbound-answered stamped it. */
    private CdrRows.Leg answeredDialerRow(long entry) {
        Map<String, Object> q = jdbc.queryForMap("SELECT channel_id, lead_id, agent_id FROM outbound_queue WHERE id = ?",
                entry);
        return dialerRow((String) q.get("channel_id")).set("direction", "OUTBOUND").set("campaign", "Solar Callbacks")
                .set("queue_entry_id", String.valueOf(entry)).set("lead_id", String.valueOf(q.get("lead_id")))
                .set("agent_id", q.get("agent_id") == null ? null : String.valueOf(q.get("agent_id")))
                .answered(start, start.plusSeconds(5), start.plusSeconds(60));
    }

    /** An agent of the campaign the dialer gave the entry's answered call to (answered, agent ON_CALL). */
    private long onCall(long entry) {
        String extension = String.valueOf(10_000_000 + (long) (Math.random() * 89_999_999));
        long agent = jdbc.queryForObject("INSERT INTO agents (name, extension, endpoint, state) "
                + "VALUES (?, ?, ?, 'ON_CALL') RETURNING id", Long.class, "Agent " + extension, extension,
                "agent-" + extension);
        jdbc.update("UPDATE outbound_queue SET outcome = 'ANSWERED', answered_at = now(), agent_id = ? WHERE id = ?",
                agent, entry);
        return agent;
    }

    private String agentState(long agent) {
        return jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent);
    }

    private String channelOf(long entry) {
        return jdbc.queryForObject("SELECT channel_id FROM outbound_queue WHERE id = ?", String.class, entry);
    }

    private long campaignSeller(String campaign) {
        return jdbc.queryForObject("SELECT seller_id FROM campaigns WHERE name = ?", Long.class, campaign);
    }

    private static String phone(String prefix) {
        return prefix + (100 + (int) (Math.random() * 800));
    }

    static String unique(String what) {
        return "test-" + what + "-" + UUID.randomUUID();
    }
}
