package io.capconduit.dialer;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiNotConnectedException;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * After a (re)connect, resolves the server's entries that were DIALING before it: a channel still up on
 * Asterisk is left to its coming events; one with a CDR is settled from it; one with neither never became a
 * call and goes back to the hopper. Nothing is originated here, so nothing is dialed twice.
 */
@Component
class DialerRecovery {

    private static final Logger log = LoggerFactory.getLogger(DialerRecovery.class);
    private static final int LIST_ATTEMPTS = 3;

    private final DialerMapper mapper;
    private final AmiConnections ami;

    DialerRecovery(DialerMapper mapper, @Lazy AmiConnections ami) {
        this.mapper = mapper;
        this.ami = ami;
    }

    void recover(long serverId, Instant connectedAt) {
        List<String> dialing = mapper.dialingBefore(serverId, connectedAt);
        if (dialing.isEmpty()) {
            return;
        }
        Set<String> live = null;
        for (int attempt = 1; live == null; attempt++) {
            try {
                live = liveChannelIds(serverId);
            }
            catch (AmiNotConnectedException ex) {
                if (!ami.isConnected(serverId)) {
                    return; // lost again: the next connect recovers
                }
                // connected, yet no answer in time (a busy server): ask again rather than leave them DIALING
                if (attempt == LIST_ATTEMPTS) {
                    log.warn("AMI server {}: CoreShowChannels went unanswered {} times; its {} DIALING entries "
                            + "wait for the next reconnect", serverId, LIST_ATTEMPTS, dialing.size());
                    return;
                }
                log.info("AMI server {}: CoreShowChannels unanswered in time, asking again", serverId);
            }
        }
        int settled = 0;
        int requeued = 0;
        for (String channelId : dialing) {
            if (live.contains(channelId)) {
                continue;
            }
            String disposition = mapper.cdrDisposition(channelId);
            if (disposition != null && mapper.cdrAbandoned(channelId)) {
                // answered, but it ended on the abandon message: no agent took it (the Redirect was lost)
                mapper.abandon(channelId);
                settled += mapper.settle(channelId, "ABANDONED", null);
            }
            else if (disposition != null) {
                settled += mapper.settle(channelId, Outcomes.fromDisposition(disposition), null);
            }
            else {
                requeued += mapper.requeue(mapper.entryIdOf(channelId));
            }
        }
        log.info("AMI server {} recovery: {} dialing, {} still up, {} settled from CDR, {} back in the hopper",
                serverId, dialing.size(), dialing.size() - settled - requeued, settled, requeued);
    }

    private Set<String> liveChannelIds(long serverId) {
        ResponseEvents channels = ami.sendEventGenerating(serverId, new CoreShowChannelsAction());
        Set<String> ids = new HashSet<>();
        channels.getEvents().stream().filter(CoreShowChannelEvent.class::isInstance)
                .map(CoreShowChannelEvent.class::cast)
                .forEach(channel -> {
                    ids.add(channel.getUniqueid());
                    ids.add(channel.getLinkedid());
                });
        return ids;
    }
}
