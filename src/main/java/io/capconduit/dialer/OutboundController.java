package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.calls.RecordingUrls;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

/** GraphQL of the outbound dialer: agent states, hopper diagnostics, recordings. */
@Controller
class OutboundController {

    private final AgentStateService agents;
    private final HopperDiagnosticsService diagnostics;
    private final DisconnectedLeadsService disconnected;
    private final RecordingUrls recordingUrls;

    OutboundController(AgentStateService agents, HopperDiagnosticsService diagnostics,
            DisconnectedLeadsService disconnected, RecordingUrls recordingUrls) {
        this.agents = agents;
        this.diagnostics = diagnostics;
        this.disconnected = disconnected;
        this.recordingUrls = recordingUrls;
    }

    @QueryMapping
    List<AgentStatus> agentStatuses(@Argument Long campaignId) {
        return agents.agentStatuses(campaignId);
    }

    @QueryMapping
    List<HopperFillRun> hopperDiagnostics(@Argument long campaignId, @Argument Integer last,
            @AuthenticationPrincipal AuthenticatedUser user) {
        // an explicit null means the schema's default
        return diagnostics.hopperDiagnostics(campaignId, last == null ? 10 : last, user);
    }

    @QueryMapping
    List<HopperDiagnosticsMapper.OutboundRecording> outboundRecordings(@Argument Long campaignId,
            @Argument Integer first, @AuthenticationPrincipal AuthenticatedUser user) {
        return diagnostics.outboundRecordings(campaignId, first == null ? 50 : first, user);   // null: the default
    }

    @SchemaMapping
    String url(HopperDiagnosticsMapper.OutboundRecording recording) {
        return recordingUrls.of(recording.recordingId());
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

    @MutationMapping
    ReopenedLeads reopenDisconnectedLeads(@Argument long campaignId, @Argument Instant since,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return new ReopenedLeads(disconnected.reopenDisconnectedLeads(campaignId, since, user));
    }

    record ReopenedLeads(int reopened) {
    }

    record SetAgentStateInput(long agentId, Agent.State state, String pauseReason) {
    }
}
