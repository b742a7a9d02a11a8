package io.capconduit.telephony;

import java.util.List;
import java.util.stream.IntStream;

import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which executor an AMI event runs on. */
class AmiConnectionsTests {

    /**
     * VarSet and the Bridge events are not channel events in asterisk-java: they still run in order with the Hangup
     * of their channel (an abandon's VarSet handled after its Hangup records the call ANSWERED).
     */
    @Test
    void everyEventOfAChannelRunsOnTheExecutorOfItsHangup() {
        IntStream.range(0, 64).mapToObj(i -> "cc-" + i).forEach(uniqueId -> {
            HangupEvent hangup = new HangupEvent(this);
            hangup.setUniqueId(uniqueId);
            VarSetEvent variable = new VarSetEvent(this);
            variable.setUniqueId(uniqueId);
            BridgeEnterEvent enter = new BridgeEnterEvent(this);
            enter.setUniqueId(uniqueId);
            BridgeLeaveEvent leave = new BridgeLeaveEvent(this);
            leave.setUniqueId(uniqueId);
            OriginateResponseEvent response = new OriginateResponseEvent(this);
            response.setUniqueId(uniqueId);

            int stripe = AmiConnections.stripe(hangup);
            assertThat(List.of(AmiConnections.stripe(variable), AmiConnections.stripe(enter),
                    AmiConnections.stripe(leave), AmiConnections.stripe(response))).as(uniqueId).containsOnly(stripe);
        });
    }
}
