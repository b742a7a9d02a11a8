package io.capconduit.dialer;

import java.time.Instant;

import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiListener;
import io.capconduit.telephony.AmiNotConnectedException;
import io.capconduit.telephony.ChannelListRefusedException;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows dialer calls and agents through AMI events: an answered lead goes to a free agent of the campaign
 * (or, with none free, is abandoned to the campaign's message); a failed originate or a hangup settles the
 * queue entry; device state, bridges and hangups of agent channels move agent states.
 */
@Component
class DialerEvents implements AmiListener {

    private static final Logger log = LoggerFactory.getLogger(DialerEvents.class);

    static final String AGENT_CONTEXT = "capconduit-outbound-agent";
    static final String ABANDON_CONTEXT = "capconduit-outbound-abandon";
    /** Set by the abandon context (extensions_outbound.conf) on the lead's channel. */
    static final String ABANDONED_VARIABLE = "CAPCONDUIT_ABANDONED";
    /**
     * Set by the agent context (extensions_outbound.conf) on the lead's channel, to the DIALSTATUS, when the agent's
     * phone did not take the answered lead.
     */
    static final String AGENT_MISSED_VARIABLE = "CAPCONDUIT_AGENT_MISSED";

    private final DialerMapper mapper;
    private final AgentStateService agents;
    private final DialerRecovery recovery;
    private final AmiConnections ami;
    private final DialerBackground background;
    private final TransactionTemplate inOneTransaction;

    DialerEvents(DialerMapper mapper, AgentStateService agents, DialerRecovery recovery, @Lazy AmiConnections ami,
            DialerBackground background, PlatformTransactionManager transactions) {
        this.mapper = mapper;
        this.inOneTransaction = new TransactionTemplate(transactions);
        this.agents = agents;
        this.recovery = recovery;
        this.ami = ami;
        this.background = background;
    }

    @Override
    public void onEvent(long serverId, ManagerEvent event) {
        if (event instanceof OriginateResponseEvent response && callOf(response) != null) {
            if ("Success".equalsIgnoreCase(response.getResponse())) {
                answered(serverId, callOf(response), response.getChannel());
            }
            else if (!isOurs(response.getUniqueId())) {
                // no channel was made, so no Hangup follows: the reason is all there is
                settle(callOf(response), Outcomes.fromOriginateReason(response.getReason()), null);
            }
            // else a channel was made and failed: its Hangup (same stripe, before or after this) settles it with
            // its cause, so the outcome does not depend on which of the two arrives first
        }
        else if (event instanceof OriginateResponseEvent response && isClickToCall(response.getActionId())
                && !"Success".equalsIgnoreCase(response.getResponse()) && !isClickToCall(response.getUniqueId())) {
            // a click-to-call that could not even make the agent's channel: no Hangup will end its agent's hold
            agents.releaseClickToCallHold(response.getActionId());
        }
        else if (event instanceof HangupEvent hangup) {
            if (isOurs(hangup.getUniqueId())) {
                settle(hangup.getUniqueId(), Outcomes.fromHangupCause(hangup.getCause()), hangup.getCause());
            }
            else {
                agents.onAgentChannelGone(serverId, hangup.getChannel(), receivedAt(event));
            }
        }
        else if (event instanceof VarSetEvent variable && ABANDONED_VARIABLE.equals(variable.getVariable())
                && isOurs(variable.getUniqueId())) {
            // the call reached the abandon message (no agent free, the agent did not pick up, a redirect refused)
            mapper.abandon(variable.getUniqueId());
        }
        else if (event instanceof VarSetEvent variable && AGENT_MISSED_VARIABLE.equals(variable.getVariable())
                && isOurs(variable.getUniqueId())) {
            // before the abandon's VarSet (same channel, same stripe): the entry still names the agent it went to
            mapper.pauseAgentWhoMissed(variable.getUniqueId());
        }
        else if (event instanceof BridgeEnterEvent bridge) {
            agents.onAgentChannelBridged(serverId, bridge.getChannel(), receivedAt(event));
        }
        else if (event instanceof DeviceStateChangeEvent device) {
            agents.onDeviceState(serverId, device.getDevice(), device.getState(), receivedAt(event));
        }
    }

    @Override
    public void onConnected(long serverId, Instant connectedAt) {
        background.run(() -> {   // off the event thread: it may wait
            recovery.recover(serverId, connectedAt);
            endMissedAgentCalls(serverId, connectedAt);
        });
    }

    /**
     * Agents this server's events left ON_CALL whose call ended while AMI was down (its NOT_INUSE or Hangup missed)
     * go to wrap-up. Asked once: without a channel list they stay as they are, and staff can free them.
     */
    private void endMissedAgentCalls(long serverId, Instant connectedAt) {
        if (!agents.anyOnCallBefore(serverId, connectedAt)) {
            return;
        }
        try {
            int ended = agents.endMissedCalls(serverId, connectedAt, ami.liveChannelNames(serverId));
            if (ended > 0) {
                log.info("AMI server {}: {} agents whose call ended while AMI was down are in wrap-up", serverId, ended);
            }
        }
        catch (AmiNotConnectedException | ChannelListRefusedException ex) {
            log.info("AMI server {}: no channel list to check its ON_CALL agents ({})", serverId, ex.getMessage());
        }
    }

    /** The answer's agent, or none; {@code taken} is false when the answer is not ours to handle. */
    private record Answer(boolean taken, DialerMapper.AgentClaim agent) {
    }

    private void answered(long serverId, String channelId, String channel) {
        // one transaction: an agent is never left ON_CALL for a call that does not name it
        Answer answer = inOneTransaction.execute(status -> {
            Long campaignId = mapper.markAnswered(channelId);
            if (campaignId == null) {
                return new Answer(false, null);
            }
            DialerMapper.AgentClaim claimed = mapper.claimAgent(campaignId, channel);
            mapper.setAnsweredOutcome(channelId, claimed == null ? null : claimed.id(),
                    claimed == null ? "ABANDONED" : "ANSWERED");
            return new Answer(true, claimed);
        });
        if (answer == null || !answer.taken()) {
            return;
        }
        DialerMapper.AgentClaim agent = answer.agent();
        try {
            if (agent != null) {
                ami.send(serverId, new SetVarAction(channel, "AGENT_ENDPOINT", agent.endpoint()), response -> { });
                ami.send(serverId, new RedirectAction(channel, AGENT_CONTEXT, String.valueOf(agent.id()), 1), response -> { });
            }
            else {
                ami.send(serverId, new RedirectAction(channel, ABANDON_CONTEXT, "s", 1), response -> { });
            }
        }
        catch (AmiNotConnectedException | IllegalStateException ex) {
            // not sent: the answered context falls through to the abandon message by itself after its short wait,
            // so the call is abandoned and the agent it would have gone to is free
            log.warn("Could not redirect answered call {}: {}", channelId, ex.getMessage());
            if (agent != null) {
                mapper.abandon(channelId);
            }
        }
        catch (java.io.IOException ex) {
            // maybe sent: the agent may have the call; its hangup settles it either way
            log.warn("Redirect of answered call {} may not have reached Asterisk: {}", channelId, ex.getMessage());
        }
    }

    /** Settles the call now; if the database fails it, again in the background rather than never. */
    private void settle(String channelId, String outcome, Integer cause) {
        try {
            mapper.settle(channelId, outcome, cause);
        }
        catch (RuntimeException ex) {
            log.warn("Settling call {} failed ({}); trying again", channelId, ex.getMessage());
            background.retrying("settle call " + channelId, () -> mapper.settle(channelId, outcome, cause));
        }
    }

    /**
     * Our ChannelId of an originate's response: its unique id, or, when Asterisk could not even make the channel
     * (Uniqueid "&lt;null&gt;", and no Hangup will follow), the ActionID the dialer gave the Originate.
     */
    private static String callOf(OriginateResponseEvent response) {
        return isOurs(response.getUniqueId()) ? response.getUniqueId()
                : isOurs(response.getActionId()) ? response.getActionId() : null;
    }

    /** When the event reached this instance (asterisk-java stamps it as it reads it), else now. */
    private static Instant receivedAt(ManagerEvent event) {
        return event.getDateReceived() == null ? Instant.now() : event.getDateReceived().toInstant();
    }

    private static boolean isClickToCall(String id) {
        return id != null && id.startsWith(CallControlService.CHANNEL_ID_PREFIX);
    }

    private static boolean isOurs(String uniqueId) {
        return uniqueId != null && uniqueId.startsWith("cc-");
    }
}
