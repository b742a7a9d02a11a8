package io.capconduit.dialer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.capconduit.leads.NumberTimeZones;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiForwardingTimeoutException;
import io.capconduit.telephony.AmiNotConnectedException;
import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Click-to-call, hangup and blind transfer as AMI actions. Channel names and numbers are checked before they
 * reach AMI (a line break would smuggle in a header); dial strings are built here, never taken from callers. Each
 * action goes out over the connection of the app instance the request reached or, when that one keeps none to the
 * server ({@code capconduit.ami.auto-connect} off), through an instance that does ({@link AmiConnections#sendAndWait}).
 */
@Service
class CallControlService {

    static final String CLICK_TO_CALL_CONTEXT = "capconduit-click-to-call";
    static final String TRANSFER_CONTEXT = "capconduit-transfer";
    /** How a click-to-call's ChannelId (and ActionId) starts, which tells its events apart (DialerEvents). */
    static final String CHANNEL_ID_PREFIX = "ctc-";

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern EXTENSION = Pattern.compile("[0-9]{2,10}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9/@._;:+\\-]{3,128}");

    private final CallControlMapper mapper;
    private final AgentStateService agents;
    private final AmiConnections ami;

    CallControlService(CallControlMapper mapper, AgentStateService agents, AmiConnections ami) {
        this.mapper = mapper;
        this.agents = agents;
        this.ami = ami;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    CallControlResult clickToCall(long agentId, String number, long campaignId, Long serverId,
            boolean outsideCallWindow) {
        requireNumber("number", number);
        String agent = mapper.agentEndpoint(agentId);
        if (agent == null) {
            throw new NotFoundException("Agent", agentId);
        }
        CallControlMapper.Route route = route(campaignId);
        if (!outsideCallWindow) {
            requireCallingHours(campaignId, number, Instant.now());
        }
        long server = serverId != null ? serverId : firstConnectedServer();
        String channelId = CHANNEL_ID_PREFIX + UUID.randomUUID();
        agents.holdForClickToCall(agentId, channelId, server);
        // before the Originate, so no CDR of the call can come without it; kept whatever the answer (one that
        // timed out may still have placed the call, and a record with no CDR joins nothing)
        mapper.recordClickToCall(channelId, agentId, campaignId, number, server);
        CallControlResult result = send(server, clickToCallAction(channelId, agent, route, number, campaignId, agentId));
        if (!result.ok()) {
            agents.releaseClickToCallHold(channelId);
        }
        return result.withChannelId(channelId);
    }

    private static OriginateAction clickToCallAction(String channelId, String agent, CallControlMapper.Route route,
            String number, long campaignId, long agentId) {
        OriginateAction action = new OriginateAction();
        action.setChannel("PJSIP/" + agent);
        action.setContext(CLICK_TO_CALL_CONTEXT);
        action.setExten("s");
        action.setPriority(1);
        action.setTimeout(30_000L);
        action.setAsync(true);
        action.setCallerId(route.callerId());
        action.setChannelId(channelId);
        // echoed in the OriginateResponse, which names no channel when none could be made (Uniqueid "<null>")
        action.setActionId(channelId);
        action.setVariable("CTC_DIAL", dialString(route, number));
        // the CDR's dst is the exten above (s): the dialplan stamps the number itself for the call log
        action.setVariable("CTC_NUMBER", number);
        action.setVariable("CAMPAIGN_ID", String.valueOf(campaignId));
        action.setVariable("AGENT_ID", String.valueOf(agentId));
        return action;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    CallControlResult hangupChannel(long serverId, String channel) {
        requireChannel(channel);
        return send(serverId, new HangupAction(channel, 16));
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    CallControlResult blindTransfer(long serverId, String channel, String extension, String number, Long campaignId) {
        requireChannel(channel);
        String target;
        if ((extension == null) == (number == null)) {
            throw new InvalidInputException("extension", "give either extension or number, not both");
        }
        if (extension != null) {
            if (!EXTENSION.matcher(extension).matches()) {
                throw new InvalidInputException("extension", "must be 2 to 10 digits");
            }
            String endpoint = mapper.endpointOfExtension(extension);
            if (endpoint == null) {
                throw new InvalidInputException("extension", "no active agent has extension " + extension);
            }
            target = "PJSIP/" + endpoint;
        }
        else {
            requireNumber("number", number);
            if (campaignId == null) {
                throw new InvalidInputException("campaignId", "is required to transfer to a number (its trunk is used)");
            }
            target = dialString(route(campaignId), number);
        }
        CallControlResult set = send(serverId, new SetVarAction(channel, "TRANSFER_DIAL", target));
        return set.ok() ? send(serverId, new RedirectAction(channel, TRANSFER_CONTEXT, "s", 1)) : set;
    }

    private CallControlMapper.Route route(long campaignId) {
        CallControlMapper.Route route = mapper.route(campaignId);
        if (route == null) {
            throw new InvalidInputException("campaignId", "the campaign has no active trunk");
        }
        return route;
    }

    private long firstConnectedServer() {
        List<Long> active = mapper.activeServers();
        // one connected here first: its answer needs no other instance
        return active.stream().filter(ami::isConnected).findFirst()
                .or(() -> active.stream().filter(ami::isReachable).findFirst())
                .orElseThrow(() -> new InvalidInputException("serverId", "no Asterisk server is connected over AMI"));
    }

    private CallControlResult send(long serverId, org.asteriskjava.manager.action.ManagerAction action) {
        try {
            ManagerResponse response = ami.sendAndWait(serverId, action);
            return new CallControlResult(!(response instanceof ManagerError), response.getMessage(), null);
        }
        catch (AmiNotConnectedException | IllegalStateException ex) {
            return new CallControlResult(false, "Asterisk server " + serverId + " is not connected over AMI", null);
        }
        catch (AmiForwardingTimeoutException ex) {
            return new CallControlResult(false, ex.getMessage(), null);
        }
    }

    static String dialString(CallControlMapper.Route route, String number) {
        return "PJSIP/" + route.dialPrefix() + number.substring(1) + "@" + route.trunkEndpoint();
    }

    private void requireNumber(String field, String number) {
        if (number == null || !E164.matcher(number).matches()) {
            throw new InvalidInputException(field, "must be an E.164 number such as +15551234567");
        }
        // dialed by hand or not, a number that asked not to be called is not called (the dialer skips it too)
        if (mapper.onDncList(number)) {
            throw new InvalidInputException(field, number + " is on the do-not-call list");
        }
    }

    /**
     * The campaign's calling hours are open now in every zone the number may be in, read as the dialer reads a
     * lead's (HopperFillService): the zones of the campaign's lead with this number, else the number's own
     * (none when libphonenumber can only say "somewhere in the country"), else the seller's.
     */
    private void requireCallingHours(long campaignId, String number, Instant now) {
        CallControlMapper.CallHours hours = mapper.callHours(campaignId);
        CallWindow window = new CallWindow(hours.start(), hours.end());
        String leadZones = mapper.leadZones(campaignId, number);
        List<String> zones = leadZones != null ? List.of(leadZones.split(",")) : NumberTimeZones.of(number);
        for (String zone : zones.isEmpty() ? List.of(hours.sellerZone()) : zones) {
            ZoneId id = ZoneId.of(zone);
            if (!window.isOpen(id, now)) {
                throw new InvalidInputException("number", "it is " + now.atZone(id).toLocalTime()
                        .truncatedTo(ChronoUnit.MINUTES) + " in " + zone + ", outside the campaign's calling hours ("
                        + hours.start() + " to " + hours.end() + "); set outsideCallWindow only for a person who "
                        + "agreed to be called now");
            }
        }
    }

    private static void requireChannel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new InvalidInputException("channel", "must be an Asterisk channel name such as PJSIP/agent-1001-0000002a");
        }
    }

    record CallControlResult(boolean ok, String message, String channelId) {

        CallControlResult withChannelId(String id) {
            return new CallControlResult(ok, message, ok ? id : null);
        }
    }
}
