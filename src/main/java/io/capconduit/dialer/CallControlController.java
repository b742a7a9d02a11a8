package io.capconduit.dialer;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

/** GraphQL call control: click-to-call, hangup, blind transfer. */
@Controller
class CallControlController {

    private final CallControlService calls;

    CallControlController(CallControlService calls) {
        this.calls = calls;
    }

    @MutationMapping
    CallControlService.CallControlResult clickToCall(@Argument ClickToCallInput input) {
        return calls.clickToCall(input.agentId(), input.number(), input.campaignId(), input.serverId(),
                Boolean.TRUE.equals(input.outsideCallWindow()));
    }

    @MutationMapping
    CallControlService.CallControlResult hangupChannel(@Argument HangupChannelInput input) {
        return calls.hangupChannel(input.serverId(), input.channel());
    }

    @MutationMapping
    CallControlService.CallControlResult blindTransfer(@Argument BlindTransferInput input) {
        return calls.blindTransfer(input.serverId(), input.channel(), input.extension(), input.number(),
                input.campaignId());
    }

    record ClickToCallInput(long agentId, String number, long campaignId, Long serverId, Boolean outsideCallWindow) {
    }

    record HangupChannelInput(long serverId, String channel) {
    }

    record BlindTransferInput(long serverId, String channel, String extension, String number, Long campaignId) {
    }
}
