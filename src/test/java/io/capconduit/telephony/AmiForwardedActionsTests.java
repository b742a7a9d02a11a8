package io.capconduit.telephony;

import java.util.List;
import java.util.Map;

import org.asteriskjava.manager.action.CommandAction;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.LoginAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which AMI actions one app instance has another send, and what of them travels. */
class AmiForwardedActionsTests {

    /** A Login carries the AMI secret and a Command runs anything on the Asterisk CLI: neither is ever forwarded. */
    @Test
    void onlyTheActionsOfCallControlAndStatusAreForwarded() {
        assertThat(AmiForwardedActions.forwards(new HangupAction("PJSIP/a-1", 16))).isTrue();
        assertThat(AmiForwardedActions.forwards(new LoginAction("capconduit", "MD5", "secret", "system"))).isFalse();
        assertThat(AmiForwardedActions.forwards(new CommandAction("core stop now"))).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> AmiForwardedActions.fields(
                new LoginAction("capconduit", "MD5", "secret", "system")));
        assertThatIllegalArgumentException().isThrownBy(() -> AmiForwardedActions.action("Command",
                Map.of("command", "core stop now")));
    }

    /** Each action is built again on the sending instance as the asking one built it (numbers read back from JSON). */
    @Test
    void anActionIsBuiltAgainFromItsFields() {
        OriginateAction originate = new OriginateAction();
        originate.setChannel("PJSIP/agent-1001");
        originate.setContext("capconduit-click-to-call");
        originate.setExten("s");
        originate.setPriority(1);
        originate.setTimeout(30_000L);
        originate.setAsync(true);
        originate.setChannelId("ctc-1");
        originate.setActionId("ctc-1");
        originate.setVariables(Map.of("CTC_NUMBER", "+15551234567"));
        Map<String, Object> fields = AmiForwardedActions.fields(originate);
        fields.put("timeout", 30_000);

        OriginateAction again = (OriginateAction) AmiForwardedActions.action(originate.getAction(), fields);

        assertThat(again).usingRecursiveComparison().isEqualTo(originate);
        List<ManagerAction> others = List.of(new HangupAction("PJSIP/a-1", 16),
                new SetVarAction("PJSIP/a-1", "TRANSFER_DIAL", "PJSIP/1555@trunk"),
                new RedirectAction("PJSIP/a-1", "capconduit-transfer", "s", 1));
        others.forEach(action -> assertThat(AmiForwardedActions.action(action.getAction(),
                AmiForwardedActions.fields(action))).usingRecursiveComparison().isEqualTo(action));
    }
}
