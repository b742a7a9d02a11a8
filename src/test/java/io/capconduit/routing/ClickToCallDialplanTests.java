package io.capconduit.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code [capconduit-click-to-call]} of asterisk-conf/extensions_outbound.conf run as Asterisk runs it
 * ({@link DialplanRunner}): the agent's originated channel enters it with the Originate's variables (as
 * CallControlService sets them) and Dials the number. What it stamps is what the call log of the call shows.
 */
class ClickToCallDialplanTests {

    private static final Instant NUMBER_ANSWERS = Instant.parse("2026-03-02T10:00:19.250Z");

    private final DialplanRunner dialplan = new DialplanRunner(null, Clock.fixed(NUMBER_ANSWERS, ZoneOffset.UTC));

    @Test
    void theCdrNamesTheNumberDialedAndTheNumbersChannelStampsItsAnswer() {
        DialplanRunner.Channel agent = originate("+15557654321", endpoint -> "ANSWER");

        assertThat(agent.dialled).containsExactly("15557654321@trunk-solar");
        assertThat(agent.cdr).containsEntry("direction", "OUTBOUND").containsEntry("campaign_id", "7")
                .containsEntry("agent_id", "12").containsEntry("dialed_number", "+15557654321");
        // Dial's U() routine, on the number's channel once it answered: a variable of the Dial leg's row
        assertThat(agent.answeredCdr).containsExactly(Map.entry("dialed_answered_at", "2026-03-02 10:00:19.250"));
    }

    @Test
    void aNumberThatDoesNotAnswerStampsNoAnswer() {
        DialplanRunner.Channel agent = originate("+15557654321", endpoint -> "BUSY");

        assertThat(agent.cdr).containsEntry("dialed_number", "+15557654321");
        assertThat(agent.answeredCdr).isEmpty();
        assertThat(agent.hangupCause).isEqualTo(16);
    }

    /** The application checks the number; the dialplan keeps only what an E.164 number can hold all the same. */
    @Test
    void theNumberReachesTheCdrFiltered() {
        DialplanRunner.Channel agent = originate("+1555'; DROP TABLE cdr; --7654321", endpoint -> "ANSWER");

        assertThat(agent.cdr).containsEntry("dialed_number", "+15557654321");
    }

    private DialplanRunner.Channel originate(String number, java.util.function.Function<String, String> numbers) {
        return dialplan.call("capconduit-click-to-call", "s", "ctc-0b6f1c1e", "+18005550100",
                Map.of("CTC_DIAL", "PJSIP/" + number.replaceAll("[^0-9]", "") + "@trunk-solar", "CTC_NUMBER", number,
                        "CAMPAIGN_ID", "7", "AGENT_ID", "12"), numbers);
    }
}
