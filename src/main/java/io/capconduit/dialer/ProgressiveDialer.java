package io.capconduit.dialer;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.capconduit.telephony.AmiConnections;
import io.capconduit.telephony.AmiNotConnectedException;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.response.ManagerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One dialer tick: for each active outbound campaign, place available agents × ratio − in flight calls,
 * taking queue entries with SKIP LOCKED and originating them asynchronously over AMI. Results arrive as AMI
 * events ({@link DialerEvents}). A server that is not connected, or not yet fully booted, gets nothing handed out.
 */
@Service
public class ProgressiveDialer {

    private static final Logger log = LoggerFactory.getLogger(ProgressiveDialer.class);

    static final String ANSWERED_CONTEXT = "capconduit-outbound-answered";
    private static final Duration OVERDUE_SWEEP_EVERY = Duration.ofMinutes(1);

    private final DialerMapper mapper;
    private final AmiConnections ami;
    private final DialerBackground background;
    private final DialerRecovery recovery;
    private final AtomicReference<Instant> nextOverdueSweep = new AtomicReference<>(Instant.MIN);
    private final TransactionTemplate inOneTransaction;

    ProgressiveDialer(DialerMapper mapper, AmiConnections ami, DialerBackground background, DialerRecovery recovery,
            PlatformTransactionManager transactions) {
        this.mapper = mapper;
        this.ami = ami;
        this.background = background;
        this.recovery = recovery;
        this.inOneTransaction = new TransactionTemplate(transactions);
    }

    /** Runs one tick over every active outbound campaign; returns the number of calls originated. */
    public int tick() {
        mapper.endExpiredWrapUps();
        recovery.resolveOrphans();
        resolveOverdueWhenDue();
        return mapper.findActiveOutbound().stream().mapToInt(this::dial).sum();
    }

    /**
     * Once a minute, off the tick's thread (it asks each server for its channels): the overdue DIALING entries of
     * connected servers, which would otherwise wait for a reconnect that may never come.
     */
    private void resolveOverdueWhenDue() {
        Instant now = Instant.now();
        Instant due = nextOverdueSweep.get();
        if (!now.isBefore(due) && nextOverdueSweep.compareAndSet(due, now.plus(OVERDUE_SWEEP_EVERY))) {
            background.run(() -> {
                try {
                    recovery.resolveOverdue();
                }
                catch (RuntimeException ex) {
                    log.warn("Resolving overdue DIALING entries failed ({}); the next sweep tries again",
                            ex.getMessage());
                }
            });
        }
    }

    int dial(long campaignId) {
        return dial(mapper.findCampaign(campaignId));
    }

    private int dial(DialerMapper.DialCampaign campaign) {
        mapper.closeDncEntries(campaign.id());
        mapper.cancelUndialable(campaign.id());
        // committed before any Originate: its events may come back at once, and must find the entries DIALING
        HandOut handOut = inOneTransaction.execute(status -> handOut(campaign));
        if (handOut == null) {
            return 0;
        }
        return (int) handOut.entries().stream().filter(entry -> originate(handOut.serverId(), campaign, entry)).count();
    }

    /** Entries handed out to one server for dialing. */
    private record HandOut(long serverId, List<DialerMapper.HandedOut> entries) {
    }

    /** The campaign's calls to place now, handed out after any other hand-out committed; null for none. */
    private HandOut handOut(DialerMapper.DialCampaign campaign) {
        mapper.lockHandOut();
        DialerMapper.Load load = mapper.load(campaign.id());
        int wanted = Pacing.callsToPlace(load.availableAgents(), Pacing.effectiveRatio(campaign.dialRatio(),
                campaign.maxAbandonRate(), load.answered30d(), load.abandoned30d()), load.inFlight());
        if (wanted == 0) {
            return null;
        }
        Optional<DialerMapper.ServerLoad> server = roomiestConnectedServer();
        int count = server.map(s -> Math.min(wanted, room(s))).orElse(0);
        if (count == 0) {
            return null;
        }
        String[] zones = new CallWindow(campaign.callWindowStart(), campaign.callWindowEnd()).zonesOpenAt(Instant.now());
        return new HandOut(server.get().id(), mapper.handOut(campaign, server.get().id(), count, zones));
    }

    private Optional<DialerMapper.ServerLoad> roomiestConnectedServer() {
        // a server still booting takes a login but would fail its Originates: none until it is fully booted
        return mapper.serverLoads().stream().filter(s -> ami.isReady(s.id())).filter(s -> room(s) > 0)
                .max(Comparator.comparingInt(ProgressiveDialer::room));
    }

    private static int room(DialerMapper.ServerLoad server) {
        return Pacing.serverRoom(server.maxCallsPerSecond(), server.maxOriginatesInFlight(), server.inFlight(),
                server.lastSecond(), server.lastTenSeconds());
    }

    private boolean originate(long serverId, DialerMapper.DialCampaign campaign, DialerMapper.HandedOut entry) {
        OriginateAction action = new OriginateAction();
        action.setChannel("PJSIP/" + campaign.dialPrefix() + entry.phone().substring(1) + "@" + campaign.trunkEndpoint());
        action.setContext(ANSWERED_CONTEXT);
        action.setExten("s");
        action.setPriority(1);
        action.setTimeout(Math.max(10, campaign.dialTimeoutSeconds()) * 1000L);
        action.setCallerId(campaign.callerId());
        action.setAsync(true);
        action.setChannelId(entry.channelId());
        // echoed in the OriginateResponse, which names no channel when none could be made (Uniqueid "<null>")
        action.setActionId(entry.channelId());
        action.setVariable("QUEUE_ENTRY_ID", String.valueOf(entry.entryId()));
        action.setVariable("LEAD_ID", String.valueOf(entry.leadId()));
        action.setVariable("CAMPAIGN_ID", String.valueOf(campaign.id()));
        if (campaign.abandonMessage() != null) {
            action.setVariable("ABANDON_MESSAGE", campaign.abandonMessage());
        }
        try {
            ami.send(serverId, action, response -> {
                // null: the connection dropped before the answer; recovery after reconnect decides
                if (response instanceof ManagerError error) {
                    log.warn("Originate of queue entry {} refused: {}", entry.entryId(), error.getMessage());
                    // callbacks run on the reader thread: the database work goes elsewhere
                    background.retrying("settle the refused originate of queue entry " + entry.entryId(),
                            () -> mapper.settle(entry.channelId(), "FAILED", null));
                }
            });
            return true;
        }
        catch (AmiNotConnectedException | IllegalStateException ex) {
            // not sent: the entry goes back to the hopper untouched
            mapper.requeue(entry.channelId());
            return false;
        }
        catch (IOException ex) {
            // maybe sent: leave it DIALING for recovery, which never dials it twice
            log.warn("Originate of queue entry {} may not have reached Asterisk: {}", entry.entryId(), ex.getMessage());
            return true;
        }
    }
}
