package io.capconduit.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.capconduit.system.Backoff;
import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiNotConnectedException;
import io.capconduit.telephony.ChannelListRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * After a (re)connect, resolves the server's entries that were DIALING before it, and now and then the overdue
 * ones of connected servers: a channel still up on Asterisk is left to its coming events; one with a CDR is settled
 * from it; an answered one with neither is settled; an unanswered one still with neither a few seconds later never
 * became a call and goes back to the hopper. Nothing is originated here, so nothing is dialed twice.
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
    /** An unanswered call this long past its dial timeout has ended: its OriginateResponse or Hangup was lost. */
    static final Duration OVERDUE_GRACE = Duration.ofSeconds(60);
    /** A connected server's answered call is looked for (in its channels, then its CDR) once this old. */
    static final Duration OVERDUE_ANSWERED = Duration.ofMinutes(10);
    /**
     * How long an unanswered call found neither up nor in the CDR must stay so before it goes back to the hopper:
     * longer than a Hangup's settle takes in whichever instance heard it (retried 1 s and 3 s after a failure) and
     * than Asterisk takes to write the CDR row.
     */
    static final Duration MISSING_FOR = Duration.ofSeconds(5);

    private final DialerMapper mapper;
    private final AmiConnections ami;
    /** An entry handed out less than this ago (database clock) may not be on Asterisk yet: never put back. */
    private final Duration youngFor;
    /** See {@link #MISSING_FOR}. */
    private final Duration missingFor;
    /** Each server's latest connect: a recovery still asking for an earlier one's channels gives way. */
    private final Map<Long, Instant> newest = new ConcurrentHashMap<>();

    @Autowired
    DialerRecovery(DialerMapper mapper, @Lazy AmiConnections ami) {
        this(mapper, ami, YOUNG_FOR, MISSING_FOR);
    }

    DialerRecovery(DialerMapper mapper, AmiConnections ami, Duration youngFor) {
        this(mapper, ami, youngFor, MISSING_FOR);
    }

    DialerRecovery(DialerMapper mapper, AmiConnections ami, Duration youngFor, Duration missingFor) {
        this.mapper = mapper;
        this.ami = ami;
        this.youngFor = youngFor;
        this.missingFor = missingFor;
    }

    /** Each server's connect whose recovery ended last (done, given way or failed). */
    private final Map<Long, Instant> ended = new ConcurrentHashMap<>();

    void recover(long serverId, Instant connectedAt) {
        try {
            recoverEntries(serverId, connectedAt);
        }
        finally {
            ended.put(serverId, connectedAt);
        }
    }

    /** The connect whose recovery of this server ended last, or null before any ended. */
    Instant recoveryEnded(long serverId) {
        return ended.get(serverId);
    }

    private void recoverEntries(long serverId, Instant connectedAt) {
        newest.merge(serverId, connectedAt, (a, b) -> a.isAfter(b) ? a : b);
        List<String> dialing = mapper.dialingBefore(serverId, connectedAt);
        if (dialing.isEmpty()) {
            return;
        }
        List<String> pending = new ArrayList<>(dialing);
        Map<Resolution, Integer> counts = new EnumMap<>(Resolution.class);
        while (!pending.isEmpty()) {
            Set<String> live = liveChannels(serverId, connectedAt, pending.size());
            if (live == null) {
                return;
            }
            resolveAll(pending, live, counts);
            if (!pending.isEmpty() && !pause(YOUNG_RECHECK)) {
                return;
            }
        }
        log.info("AMI server {} recovery: {} dialing, {} still up, {} settled, {} back in the hopper", serverId,
                dialing.size(), counts.getOrDefault(Resolution.UP, 0), counts.getOrDefault(Resolution.SETTLED, 0),
                counts.getOrDefault(Resolution.REQUEUED, 0));
    }

    /**
     * Resolves the DIALING entries of connected servers that should have ended by now, as a reconnect's recovery
     * would: their events were lost while the connection stayed up (the application instance that handed them out
     * died before its Originate, a settle the database failed three times, an OriginateResponse that named no call),
     * and no reconnect may come for days. Asks each server for its channels, again every 2 s while some of its
     * entries were found missing too recently to be put back; a server that does not answer is asked again at the
     * next sweep. Returns how many entries it settled or put back.
     */
    int resolveOverdue() {
        Map<Long, List<String>> overdue = mapper.overdue(OVERDUE_GRACE.toSeconds(), OVERDUE_ANSWERED.toSeconds())
                .stream().collect(Collectors.groupingBy(DialerMapper.ServerCall::serverId, LinkedHashMap::new,
                        Collectors.mapping(DialerMapper.ServerCall::channelId, Collectors.toList())));
        int resolved = 0;
        for (Map.Entry<Long, List<String>> server : overdue.entrySet()) {
            if (!ami.isConnected(server.getKey())) {
                continue;   // its reconnect's recovery decides
            }
            Map<Resolution, Integer> counts = new EnumMap<>(Resolution.class);
            List<String> pending = new ArrayList<>(server.getValue());
            while (!pending.isEmpty()) {
                Set<String> live;
                try {
                    live = ami.liveChannelIds(server.getKey());
                }
                catch (AmiNotConnectedException | ChannelListRefusedException ex) {
                    log.info("AMI server {}: no channel list for its {} overdue DIALING entries ({}); next sweep "
                            + "asks again", server.getKey(), pending.size(), ex.getMessage());
                    break;
                }
                resolveAll(pending, live, counts);
                if (!pending.isEmpty() && !pause(YOUNG_RECHECK)) {
                    break;
                }
            }
            resolved += counts.getOrDefault(Resolution.SETTLED, 0) + counts.getOrDefault(Resolution.REQUEUED, 0);
        }
        if (resolved > 0) {
            log.warn("{} overdue DIALING entries of connected Asterisk servers resolved: their events were lost",
                    resolved);
        }
        return resolved;
    }

    /** What recovery did with one DIALING entry. */
    private enum Resolution { ENDED, UP, SETTLED, REQUEUED, YOUNG, MISSING }

    /**
     * Resolves each pending entry against one channel list, counting what became of them; those to look at again
     * with a later list stay pending: handed out a moment ago (by this or another application instance, its
     * Originate maybe not on Asterisk yet), or found neither up nor in the CDR too recently to be put back.
     */
    private void resolveAll(List<String> pending, Set<String> live, Map<Resolution, Integer> counts) {
        for (Iterator<String> it = pending.iterator(); it.hasNext();) {
            Resolution resolution = resolve(it.next(), live);
            if (resolution != Resolution.YOUNG && resolution != Resolution.MISSING) {
                counts.merge(resolution, 1, Integer::sum);
                it.remove();
            }
        }
    }

    /**
     * Resolves one DIALING entry of a server whose live channels are {@code live}: a call still up is left to its
     * coming events; one with a CDR is settled from it; an answered one with neither is settled keeping what its
     * answer left (never dialed again as if new: the lead may have talked to an agent), its agent into wrap-up; an
     * unanswered one never became a call and goes back to the hopper, unless it was handed out a moment ago, and
     * only once it has been found so for {@link #missingFor}: it may instead have rung out just before the channel
     * list was taken, its Hangup heard by another application instance whose settle has not landed yet, its CDR
     * row not written yet. Put back now, the lead would be dialed again at once and that settle lost. The database
     * decides (one conditional statement), so of several instances looking at once one puts it back, or none.
     */
    private Resolution resolve(String channelId, Set<String> live) {
        DialerMapper.Dialing entry = mapper.dialing(channelId, (int) youngFor.toSeconds());
        if (entry == null) {
            return Resolution.ENDED;   // settled meanwhile by its own events
        }
        if (live.contains(channelId)) {
            if (entry.missing()) {
                mapper.clearMissing(channelId);
            }
            return Resolution.UP;
        }
        if (settleFromCdr(channelId)) {
            return Resolution.SETTLED;
        }
        if (entry.answered()) {
            // Asterisk lost the call mid-way, channel and CDR (it crashed): FAILED only if the answer left no outcome
            mapper.settle(channelId, "FAILED", null);
            return Resolution.SETTLED;
        }
        if (!entry.young() && mapper.requeueMissing(channelId, missingFor.toMillis() / 1000.0) == 1) {
            return Resolution.REQUEUED;
        }
        // missing from now on, young or not: one whose call never shows is put back as soon as it is no longer young
        mapper.markMissing(channelId);
        return entry.young() ? Resolution.YOUNG : Resolution.MISSING;
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
        return Backoff.doubling(FIRST_PAUSE, attempt - 1, MAX_PAUSE);
    }
}
