package io.capconduit.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiNotConnectedException;
import io.capconduit.telephony.AsteriskServer;
import io.capconduit.telephony.AsteriskServerMapper;
import io.capconduit.telephony.ChannelListRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Lazy;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;

/**
 * Releases the route claims of calls that are over but left no trace that would release them. The hangup handler
 * releases a call's claim and the CDR reconciliation releases one the handler could not; a call that ended during
 * a database outage (handler and CDR insert both failed) or on an Asterisk that crashed (neither ran) has neither,
 * and its claim held a slot of its buyer (in flight, and a reservation against a cap) for good.
 * <ul>
 * <li>A claim older than {@code minAge} whose call is not among the channels of its server, asked over AMI, is over:
 * released as CHANNEL_GONE. A call's uid names its server by the {@code systemname} prefix Asterisk puts on every
 * unique id ({@code pbx1-1763650931.1}); an unprefixed uid belongs to the server without one, if only one server
 * (active or not) has none. Claims of a server not connected now are left alone.</li>
 * <li>A claim older than {@code maxAge} is released as EXPIRED, whatever its server: no call lasts that long, and
 * a server deactivated for good is never asked again.</li>
 * <li>An admin releases the claims of a server gone for good at once ({@link #releaseGoneServer}), instead of waiting
 * for {@code maxAge}: one no app instance is connected to.</li>
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
        List<AsteriskServer> all = servers.findAll();
        // every channel list first, then the releases: a release locks its buyer's row, which no claim may wait
        // for while Asterisk is being asked
        List<Listed> listed = new ArrayList<>();
        for (AsteriskServer server : all) {
            if (server.active() && ownsItsUids(server, all)) {
                Listed channels = list(server);
                if (channels != null) {
                    listed.add(channels);
                }
            }
        }
        int released = 0;
        for (Listed channels : listed) {
            for (String callUid : openClaims(channels.server(), channels.listedAt(), minAge)) {
                if (!channels.live().contains(callUid)) {
                    released += release(callUid, "CHANNEL_GONE");
                }
            }
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

    /**
     * Releases (as SERVER_GONE) every open claim of a server gone for good: deactivated, connected on no app instance,
     * and alone with its systemname, so that its calls are told apart. Returns how many it released.
     */
    @PreAuthorize("hasRole('ADMIN')")
    public int releaseGoneServer(long serverId) {
        List<AsteriskServer> all = servers.findAll();
        AsteriskServer server = all.stream().filter(candidate -> candidate.id() == serverId).findFirst()
                .orElseThrow(() -> new NotFoundException("AsteriskServer", serverId));
        if (server.active()) {
            throw new InvalidInputException("serverId", "the server is active: deactivate it first "
                    + "(deactivateAsteriskServer), once you know it is gone for good");
        }
        // on any app instance: the one this request reached may hold no connection (auto-connect off, or it dropped
        // the deactivated server before another did)
        if (ami.isConnectedOnAnyInstance(server.id())) {
            throw new InvalidInputException("serverId", "the server is connected over AMI, so it is up: "
                    + "routeClaimSweepJob releases the claims of its ended calls every minute");
        }
        if (!ownsItsUids(server, all)) {
            throw new InvalidInputException("serverId", isBlank(server.systemName())
                    ? "the server has no systemname and another server has none either, so their calls cannot be "
                            + "told apart; routeClaimSweepJob releases them after maxAgeHours"
                    : "another server has the systemname " + server.systemName() + " too, so their calls cannot be "
                            + "told apart; routeClaimSweepJob releases them after maxAgeHours");
        }
        int released = 0;
        for (String callUid : openClaims(server, mapper.now(), Duration.ZERO)) {
            released += release(callUid, "SERVER_GONE");
        }
        log.warn("Released {} route claims of Asterisk server {}, gone for good (asked by an admin)", released,
                server.name());
        return released;
    }

    /**
     * Whether a call uid tells this server's calls apart: an unprefixed uid is a call of the one server without a
     * systemname, only if there is one (an inactive one may still be draining calls); a systemname two servers share
     * (a replacement beside the box it replaces) names neither's calls alone.
     */
    private static boolean ownsItsUids(AsteriskServer server, List<AsteriskServer> all) {
        return all.stream().filter(other -> isBlank(server.systemName()) ? isBlank(other.systemName())
                : server.systemName().equals(other.systemName())).count() == 1;
    }

    /** The server's open claims taken before {@code before} less {@code minAge}. */
    private List<String> openClaims(AsteriskServer server, Instant before, Duration minAge) {
        return isBlank(server.systemName())
                ? mapper.openUnprefixedBefore(before, minAge.toSeconds())
                : mapper.openPrefixedBefore(server.systemName(), before, minAge.toSeconds());
    }

    /** The server's channels, and when (database clock) they were asked for; null when there is no list now. */
    private Listed list(AsteriskServer server) {
        if (!ami.isConnected(server.id())) {
            return null;
        }
        Instant listedAt = mapper.now();
        try {
            return new Listed(server, listedAt, ami.liveChannelIds(server.id()));
        }
        catch (AmiNotConnectedException | ChannelListRefusedException | IllegalStateException ex) {
            // IllegalStateException: asterisk-java's connection left the connected state meanwhile
            log.info("Asterisk server {}: no channel list ({}); its claims are looked at next time", server.name(),
                    ex.getMessage());
            return null;
        }
    }

    private record Listed(AsteriskServer server, Instant listedAt, Set<String> live) {
    }

    private int release(String callUid, String reason) {
        return "RELEASED".equals(mapper.release(callUid, reason)) ? 1 : 0;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
