package io.capconduit.dialer;

import java.util.List;

import io.capconduit.accounts.AuthenticatedUser;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

/** GraphQL of the outbound dialer: agent states, hopper diagnostics, recordings. */
@Controller
class OutboundController {

    private final AgentStateService agents;
    private final HopperDiagnosticsService diagnostics;

    OutboundController(AgentStateService agents, HopperDiagnosticsService diagnostics) {
        this.agents = agents;
        this.diagnostics = diagnostics;
    }

    @QueryMapping
    List<AgentStatus> agentStatuses(@Argument Long campaignId) {
        return agents.agentStatuses(campaignId);
    }

    @QueryMapping
    List<HopperFillRun> hopperDiagnostics(@Argument long campaignId, @Argument int last,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return diagnostics.hopperDiagnostics(campaignId, last, user);
    }

    @QueryMapping
    List<HopperDiagnosticsMapper.OutboundRecording> outboundRecordings(@Argument Long campaignId,
            @Argument int first, @AuthenticationPrincipal AuthenticatedUser user) {
        return diagnostics.outboundRecordings(campaignId, first, user);
    }

    @MutationMapping
    AgentStatus setAgentState(@Argument SetAgentStateInput input) {
        return agents.setAgentState(input.agentId(), input.state(), input.pauseReason());
    }

    @MutationMapping
    AgentStatus endWrapUp(@Argument long agentId) {
        return agents.endWrapUp(agentId);
    }

    @MutationMapping
    HopperFillRun fillHopperNow(@Argument long campaignId) {
        return diagnostics.fillHopperNow(campaignId);
    }

    record SetAgentStateInput(long agentId, Agent.State state, String pauseReason) {
    }
}
