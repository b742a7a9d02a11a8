package io.capconduit.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiNotConnectedException;
import io.capconduit.telephony.AsteriskServer;
import io.capconduit.telephony.AsteriskServerMapper;
import io.capconduit.telephony.ChannelListRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Releases the route claims of calls that are over but left no trace that would release them. The hangup handler
 * releases a call's claim and the CDR reconciliation releases one the handler could not; a call that ended during
 * a database outage (handler and CDR insert both failed) or on an Asterisk that crashed (neither ran) has neither,
 * and its claim held a slot of its buyer (in flight, and a reservation against a cap) for good.
 * <ul>
 * <li>A claim older than {@code minAge} whose call is not among the channels of its server, asked over AMI, is over:
 * released as CHANNEL_GONE. A call's uid names its server by the {@code systemname} prefix Asterisk puts on every
 * unique id ({@code pbx1-1763650931.1}); an unprefixed uid belongs to the only active server without one. Claims of a
 * server not connected now are left alone.</li>
 * <li>A claim older than {@code maxAge} is released as EXPIRED, whatever its server: no call lasts that long, and
 * a server deactivated for good is never asked again.</li>
 * </ul>
 */
@Component
class RouteClaimSweep {

    private static final Logger log = LoggerFactory.getLogger(RouteClaimSweep.class);

    private final AsteriskServerMapper servers;
    private final AmiConnections ami;
    private final RouteClaimSweepMapper mapper;

    RouteClaimSweep(AsteriskServerMapper servers, @Lazy AmiConnections ami, RouteClaimSweepMapper mapper) {
        this.servers = servers;
        this.ami = ami;
        this.mapper = mapper;
    }

    /** Returns how many claims it released. */
    int sweep(Duration minAge, Duration maxAge) {
        List<AsteriskServer> active = servers.findAll().stream().filter(AsteriskServer::active).toList();
        long unnamed = active.stream().filter(server -> isBlank(server.systemName())).count();
        int released = 0;
        for (AsteriskServer server : active) {
            if (isBlank(server.systemName()) && unnamed > 1) {
                continue;   // several servers without a systemname: their unprefixed uids could be any of theirs
            }
            released += sweep(server, minAge);
        }
        for (String callUid : mapper.openSince(maxAge.toSeconds())) {
            released += release(callUid, "EXPIRED");
        }
        if (released > 0) {
            log.warn("Released {} route claims of calls that ended without releasing them (database outage or "
                    + "Asterisk restart)", released);
        }
        return released;
    }

    private int sweep(AsteriskServer server, Duration minAge) {
        if (!ami.isConnected(server.id())) {
            return 0;
        }
        Instant listedAt = mapper.now();
        Set<String> live;
        try {
            live = ami.liveChannelIds(server.id());
        }
        catch (AmiNotConnectedException | ChannelListRefusedException ex) {
            log.info("Asterisk server {}: no channel list ({}); its claims are looked at next time", server.name(),
                    ex.getMessage());
            return 0;
        }
        List<String> claims = isBlank(server.systemName()) ? mapper.openUnprefixedBefore(listedAt, minAge.toSeconds())
                : mapper.openPrefixedBefore(server.systemName(), listedAt, minAge.toSeconds());
        int released = 0;
        for (String callUid : claims) {
            if (!live.contains(callUid)) {
                released += release(callUid, "CHANNEL_GONE");
            }
        }
        return released;
    }

    private int release(String callUid, String reason) {
        return "RELEASED".equals(mapper.release(callUid, reason)) ? 1 : 0;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
