package io.capconduit.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiNotConnectedException;
import io.capconduit.telephony.ChannelListRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
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
    private static final int WARN_AFTER = 3;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    private static final Duration YOUNG_FOR = Duration.ofSeconds(15);
    private static final Duration YOUNG_RECHECK = Duration.ofSeconds(2);
    /** A deactivated server's unanswered call this old has ended, whatever its dial timeout. */
    static final Duration ORPHAN_UNANSWERED = Duration.ofMinutes(10);
    /** A deactivated server's answered call this old has ended, or its server with it. */
    static final Duration ORPHAN_ANSWERED = Duration.ofHours(4);

    private final DialerMapper mapper;
    private final AmiConnections ami;
    /** An entry handed out less than this ago (database clock) may not be on Asterisk yet: never put back. */
    private final Duration youngFor;
    /** Each server's latest connect: a recovery still asking for an earlier one's channels gives way. */
    private final Map<Long, Instant> newest = new ConcurrentHashMap<>();

    @Autowired
    DialerRecovery(DialerMapper mapper, @Lazy AmiConnections ami) {
        this(mapper, ami, YOUNG_FOR);
    }

    DialerRecovery(DialerMapper mapper, AmiConnections ami, Duration youngFor) {
        this.mapper = mapper;
        this.ami = ami;
        this.youngFor = youngFor;
    }

    void recover(long serverId, Instant connectedAt) {
        newest.merge(serverId, connectedAt, (a, b) -> a.isAfter(b) ? a : b);
        List<String> dialing = mapper.dialingBefore(serverId, connectedAt);
        if (dialing.isEmpty()) {
            return;
        }
        List<String> pending = new ArrayList<>(dialing);
        int up = 0;
        int settled = 0;
        int requeued = 0;
        while (!pending.isEmpty()) {
            Set<String> live = liveChannels(serverId, connectedAt, pending.size());
            if (live == null) {
                return;
            }
            for (Iterator<String> it = pending.iterator(); it.hasNext();) {
                String channelId = it.next();
                Boolean young = mapper.dialingYoung(channelId, (int) youngFor.toSeconds());
                if (young == null) {
                    it.remove();   // settled meanwhile by its own events
                    continue;
                }
                if (live.contains(channelId)) {
                    up++;
                    it.remove();   // left to its coming events
                    continue;
                }
                if (settleFromCdr(channelId)) {
                    settled++;
                    it.remove();
                }
                else if (!young) {
                    requeued += mapper.requeue(mapper.entryIdOf(channelId));
                    it.remove();
                }
                // else: handed out a moment ago (by this or another application instance), its Originate maybe
                // not on Asterisk yet: put back now, it would be dialed twice. Looked at again below.
            }
            if (!pending.isEmpty() && !pause(YOUNG_RECHECK)) {
                return;
            }
        }
        log.info("AMI server {} recovery: {} dialing, {} still up, {} settled from CDR, {} back in the hopper",
                serverId, dialing.size(), up, settled, requeued);
    }

    /** Settles an entry whose call has ended from its CDR, if Asterisk wrote one; whether it did. */
    private boolean settleFromCdr(String channelId) {
        String disposition = mapper.cdrDisposition(channelId);
        if (disposition == null) {
            return false;
        }
        if (mapper.cdrAbandoned(channelId)) {
            // answered, but it ended on the abandon message: no agent took it (the Redirect was lost)
            mapper.abandon(channelId);
            mapper.settle(channelId, "ABANDONED", null);
        }
        else {
            mapper.settle(channelId, Outcomes.fromDisposition(disposition), null);
        }
        return true;
    }

    /**
     * Resolves the DIALING entries of deactivated servers, which no reconnect will recover: from the CDR when
     * Asterisk wrote one; else settled as FAILED, keeping what an answer left. Not put back as if never dialed: with
     * the server's AMI gone its answer may never have been heard, so the lead may have talked to an agent; FAILED
     * counts the attempt and retries it after the campaign's delay for failed calls. Returns how many it resolved.
     */
    int resolveOrphans() {
        int resolved = 0;
        for (String channelId : mapper.orphans(ORPHAN_UNANSWERED.toSeconds(), ORPHAN_ANSWERED.toSeconds())) {
            resolved += settleFromCdr(channelId) ? 1 : mapper.settle(channelId, "FAILED", null);
        }
        if (resolved > 0) {
            log.warn("{} DIALING entries of deactivated Asterisk servers resolved without their server", resolved);
        }
        return resolved;
    }

    /**
     * The unique ids of the server's channels, asked for until Asterisk lists them; null when recovery should
     * stop (the connection lost again, a later connect's recovery under way, the application stopping).
     */
    private Set<String> liveChannels(long serverId, Instant connectedAt, int waiting) {
        for (int attempt = 1;; attempt++) {
            try {
                return ami.liveChannelIds(serverId);
            }
            catch (AmiNotConnectedException | ChannelListRefusedException ex) {
                if (!ami.isConnected(serverId)) {
                    return null; // lost again: the next connect recovers
                }
                if (!connectedAt.equals(newest.get(serverId))) {
                    return null; // a later connect's recovery took over
                }
                // connected, yet no list (a busy server, an error answer): ask again, and never take a missing
                // list for an empty one, which would put calls still up back in the hopper
                Duration pause = pauseAfter(attempt);
                if (attempt == WARN_AFTER) {
                    log.warn("AMI server {}: no channel list after {} tries ({}); its {} DIALING entries wait, "
                            + "asking again every {} s at most", serverId, attempt, ex.getMessage(), waiting,
                            MAX_PAUSE.toSeconds());
                }
                else {
                    log.info("AMI server {}: no channel list ({}), asking again in {} ms", serverId, ex.getMessage(),
                            pause.toMillis());
                }
                if (!pause(pause)) {
                    return null;
                }
            }
        }
    }

    private static boolean pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        }
        catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** 250 ms after the first unanswered list, doubling up to 30 s. */
    static Duration pauseAfter(int attempt) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(attempt - 1, 16));
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }
}
