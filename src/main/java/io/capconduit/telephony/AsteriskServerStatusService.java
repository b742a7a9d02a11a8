package io.capconduit.telephony;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import io.capconduit.system.NotFoundException;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreSettingsAction;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.CoreStatusAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.response.CoreSettingsResponse;
import org.asteriskjava.manager.response.CoreStatusResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * A server's real state, asked over AMI (CoreSettings, CoreStatus, CoreShowChannels) each time: over this instance's
 * connection, else through an instance that holds one (which wrote the start its connection's FullyBooted gave).
 */
@Service
class AsteriskServerStatusService {

    private final AsteriskServerMapper servers;
    private final AmiConnections ami;

    AsteriskServerStatusService(AsteriskServerMapper servers, AmiConnections ami) {
        this.servers = servers;
        this.ami = ami;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    AsteriskServerStatus status(long serverId) {
        AsteriskServer server = servers.findById(serverId).orElseThrow(() -> new NotFoundException("Asterisk server", serverId));
        // this instance may keep no connection (auto-connect off) while another is talking to the server: it is
        // asked through that one
        if (!ami.isReachable(serverId)) {
            return AsteriskServerStatus.down(server, server.active() ? "not connected over AMI (reconnecting)" : "inactive");
        }
        try {
            ManagerResponse settings = ami.sendAndWait(serverId, new CoreSettingsAction());
            ManagerResponse status = ami.sendAndWait(serverId, new CoreStatusAction());
            ResponseEvents channels = ami.sendEventGenerating(serverId, new CoreShowChannelsAction());
            if (!(settings instanceof CoreSettingsResponse core) || !(status instanceof CoreStatusResponse up)) {
                return AsteriskServerStatus.down(server, "Asterisk refused CoreSettings/CoreStatus: "
                        + settings.getMessage() + " / " + status.getMessage());
            }
            // CoreStatus's dates are the Asterisk host's local time (no zone), read here in this JVM's zone: the start
            // comes from the FullyBooted Uptime when there is one, and the reload is moved by the zones' difference
            // that shows
            Instant localStart = instant(up.getCoreStartupDateTimeAsDate());
            Instant localReload = instant(up.getCoreReloadDateTimeAsDate());
            Optional<Instant> booted = ami.startedAt(serverId);
            Instant started = booted.orElse(localStart);
            Duration zones = booted.isPresent() && localStart != null
                    ? quarterHours(Duration.between(localStart, booted.get())) : Duration.ZERO;
            Instant reloaded = localReload == null ? null : localReload.plus(zones);
            // a refused channel list is no list: unknown, not zero
            boolean listed = !(channels.getResponse() instanceof ManagerError);
            return new AsteriskServerStatus(server.id(), server.name(), true, core.getAsteriskVersion(),
                    core.getAmiVersion(), core.getSystemName(), started, reloaded,
                    started == null ? null : (int) Duration.between(started, Instant.now()).toSeconds(),
                    up.getCoreCurrentCalls(),
                    listed ? (int) channels.getEvents().stream().filter(CoreShowChannelEvent.class::isInstance).count()
                            : null,
                    listed ? null : "Asterisk refused CoreShowChannels: " + channels.getResponse().getMessage());
        }
        catch (AmiNotConnectedException | IllegalStateException ex) {
            return AsteriskServerStatus.down(server, "connection lost while asking");
        }
        catch (AmiForwardingTimeoutException ex) {
            return AsteriskServerStatus.unanswered(server, ex.getMessage());
        }
    }

    /** To the nearest quarter hour: time zones differ by whole quarters, the Uptime by a second or two. */
    static Duration quarterHours(Duration difference) {
        return Duration.ofMinutes(Math.round(difference.toSeconds() / 900.0) * 15);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
