package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Agent states: OFFLINE, AVAILABLE and PAUSED (with a reason) are set by people; ON_CALL and WRAP_UP by the
 * dialer and AMI events; wrap-up ends by {@link #endWrapUp} or when its time is up.
 */
@Service
class AgentStateService {

    private static final List<Agent.State> NOT_ON_CALL =
            List.of(Agent.State.AVAILABLE, Agent.State.WRAP_UP, Agent.State.PAUSED);
    /** The states the dialer hands calls to, now or once a wrap-up ends by itself. */
    private static final List<Agent.State> FREE_FOR_THE_DIALER = List.of(Agent.State.AVAILABLE, Agent.State.WRAP_UP);

    private final AgentStateMapper mapper;

    AgentStateService(AgentStateMapper mapper) {
        this.mapper = mapper;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    List<AgentStatus> agentStatuses(Long campaignId) {
        return mapper.findActive(campaignId);
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    AgentStatus setAgentState(long agentId, Agent.State state, String pauseReason) {
        String reason = pauseReason == null || pauseReason.isBlank() ? null : pauseReason.strip();
        if (state == Agent.State.ON_CALL || state == Agent.State.WRAP_UP) {
            throw new InvalidInputException("state", "must be OFFLINE, AVAILABLE or PAUSED; calls set ON_CALL and WRAP_UP");
        }
        if (state == Agent.State.PAUSED && reason == null) {
            throw new InvalidInputException("pauseReason", "is required to pause an agent");
        }
        if (state != Agent.State.PAUSED && reason != null) {
            throw new InvalidInputException("pauseReason", "is only allowed with state PAUSED");
        }
        if (reason != null && reason.length() > 200) {
            throw new InvalidInputException("pauseReason", "must be at most 200 characters");
        }
        if (mapper.set(agentId, state, reason) == 0) {
            requireAgent(agentId);
            throw new InvalidInputException("agentId", "the agent is on a dialer call; change its state after the call");
        }
        return mapper.find(agentId);
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    AgentStatus endWrapUp(long agentId) {
        if (mapper.endWrapUp(agentId) == 0) {
            requireAgent(agentId);
            throw new InvalidInputException("agentId", "the agent is not in wrap-up");
        }
        return mapper.find(agentId);
    }

    private void requireAgent(long agentId) {
        if (!mapper.exists(agentId)) {
            throw new NotFoundException("Agent", agentId);
        }
    }

    /**
     * DeviceStateChange of an agent's device (PJSIP/agent-1001): unreachable → OFFLINE, in use → ON_CALL (from
     * AVAILABLE or WRAP_UP), idle again → WRAP_UP; {@code receivedAt}: when the event reached this instance (see
     * {@link AgentStateMapper#move}).
     */
    void onDeviceState(long serverId, String device, String state, Instant receivedAt) {
        String endpoint = endpointOfDevice(device);
        if (endpoint == null || state == null) {
            return;
        }
        switch (state) {
            case "UNAVAILABLE", "INVALID" ->
                    mapper.move(endpoint, NOT_ON_CALL, Agent.State.OFFLINE, serverId, receivedAt);
            // from wrap-up too: a call taken or made then would otherwise outlast the wrap-up, and the agent be
            // handed an answered lead while it talks
            case "INUSE", "BUSY", "RINGINUSE" ->
                    mapper.move(endpoint, FREE_FOR_THE_DIALER, Agent.State.ON_CALL, serverId, receivedAt);
            case "NOT_INUSE" ->
                    mapper.move(endpoint, List.of(Agent.State.ON_CALL), Agent.State.WRAP_UP, serverId, receivedAt);
            default -> { }
        }
    }

    void onAgentChannelBridged(long serverId, String channel, Instant receivedAt) {
        String endpoint = endpointOfChannel(channel);
        if (endpoint != null) {
            mapper.move(endpoint, FREE_FOR_THE_DIALER, Agent.State.ON_CALL, serverId, receivedAt);
        }
    }

    void onAgentChannelGone(long serverId, String channel, Instant receivedAt) {
        String endpoint = endpointOfChannel(channel);
        if (endpoint != null) {
            mapper.move(endpoint, List.of(Agent.State.ON_CALL), Agent.State.WRAP_UP, serverId, receivedAt);
        }
    }

    /**
     * Holds the agent for its click-to-call {@code channelId} (see {@link AgentStateMapper#holdForClickToCall}); an
     * agent already on a call is refused, a paused or offline one is rung as it is (the dialer hands it nothing).
     */
    void holdForClickToCall(long agentId, String channelId, long serverId) {
        if (mapper.holdForClickToCall(agentId, channelId, serverId) == 0
                && mapper.state(agentId) == Agent.State.ON_CALL) {
            throw new InvalidInputException("agentId", "the agent is on a call; click-to-call once it has ended");
        }
    }

    /** The click-to-call made no call: its agent, if held for it, is free again. */
    void releaseClickToCallHold(String channelId) {
        mapper.releaseClickToCallHold(channelId);
    }

    /** Whether that server's events put an agent ON_CALL before it (re)connected who is still so. */
    boolean anyOnCallBefore(long serverId, Instant connectedAt) {
        return mapper.anyOnCallBefore(serverId, connectedAt);
    }

    /**
     * After a reconnect: agents that server's events left ON_CALL with no channel up there any more (the end of
     * their call was missed while AMI was down) go to wrap-up. {@code channels}: the names of its channels now.
     */
    int endMissedCalls(long serverId, Instant connectedAt, Set<String> channels) {
        String[] busy = channels.stream().map(AgentStateService::endpointOfChannel).filter(Objects::nonNull)
                .distinct().toArray(String[]::new);
        return mapper.endMissedCalls(serverId, connectedAt, busy);
    }

    /**
     * A channel's endpoint: PJSIP/agent-1001-0000002a → agent-1001 (Asterisk appends "-" and 8 hex digits to
     * every channel of the endpoint); other technologies are not agents.
     */
    static String endpointOfChannel(String channel) {
        String name = endpointOfDevice(channel);
        if (name == null) {
            return null;
        }
        int suffix = name.lastIndexOf('-');
        return suffix > 0 && name.length() - suffix == 9 && name.substring(suffix + 1).matches("[0-9a-f]{8}")
                ? name.substring(0, suffix) : name;
    }

    /**
     * A device's endpoint: PJSIP/agent-10012345 → agent-10012345, as it is. A device has no channel suffix, and an
     * endpoint may end as one does: an agent with an 8-digit extension would read as "agent" (no agent), and its
     * phone's state would never move it.
     */
    static String endpointOfDevice(String device) {
        return device == null || !device.startsWith("PJSIP/") ? null : device.substring("PJSIP/".length());
    }
}
