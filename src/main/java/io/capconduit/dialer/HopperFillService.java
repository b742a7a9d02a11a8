package io.capconduit.dialer;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves dialable leads into a campaign's outbound queue up to its hopper level, one INSERT ... SELECT per
 * lead list (least attempted, then oldest first), and records per filter how many leads stayed out. It runs
 * in one transaction with custom plans forced: the list id and the open zones are then constants to the
 * planner, which walks the list's index in order instead of sorting the whole list.
 */
@Service
public class HopperFillService {

    private static final Logger log = LoggerFactory.getLogger(HopperFillService.class);

    private static final Duration KEEP_RUNS = Duration.ofDays(7);

    /** Where the exclusion counts of a run that filled the hopper stop (per list and filter). */
    static final int COUNT_CAP = 1000;

    private final HopperFillMapper mapper;
    private final TransactionTemplate transaction;

    HopperFillService(HopperFillMapper mapper, PlatformTransactionManager transactionManager) {
        this.mapper = mapper;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    List<HopperFillRun> fillAll(Long jobExecutionId) {
        Instant now = Instant.now();
        int stopped = mapper.cancelOfStoppedCampaigns();
        if (stopped > 0) {
            log.info("Hopper fill: {} entries of campaigns no longer dialing cancelled", stopped);
        }
        return mapper.findActiveOutbound().stream().map(campaign -> fill(campaign, jobExecutionId, now)).toList();
    }

    public HopperFillRun fill(long campaignId, Long jobExecutionId, Instant now) {
        return fill(mapper.findCampaign(campaignId), jobExecutionId, now);
    }

    private HopperFillRun fill(HopperFillMapper.FillCampaign campaign, Long jobExecutionId, Instant now) {
        return transaction.execute(status -> {
            mapper.forceCustomPlans();
            // one fill of a campaign at a time, and its hopper counted after the one before committed: two fills
            // counting the same room filled it twice
            mapper.lockFill(campaign.id());
            return fillInTransaction(mapper.findCampaign(campaign.id()), jobExecutionId, now);
        });
    }

    /**
     * Pages through the list in fill order until the room is filled or the list has no more candidates. A page
     * is exactly the room left: DNC numbers and already queued leads dropping out of it leave room for the next.
     */
    private int fillFromList(HopperFillMapper.FillCampaign campaign, long listId, String[] open, boolean fallbackOpen,
            Instant now, int room) {
        int inserted = 0;
        int afterAttempts = 0;
        long afterId = -1;
        while (inserted < room) {
            int limit = room - inserted;
            HopperFillMapper.Page page = mapper.fillPage(campaign, listId, open, fallbackOpen, now, afterAttempts, afterId,
                    limit);
            inserted += page.inserted();
            if (page.size() < limit) {
                break;
            }
            afterAttempts = page.lastAttempts();
            afterId = page.lastId();
        }
        return inserted;
    }

    private HopperFillRun fillInTransaction(HopperFillMapper.FillCampaign campaign, Long jobExecutionId, Instant now) {
        long started = System.nanoTime();
        CallWindow window = new CallWindow(campaign.callWindowStart(), campaign.callWindowEnd());
        String[] open = window.zonesOpenAt(now);
        boolean fallbackClosed = !window.isOpen(ZoneId.of(campaign.fallbackZone()), now);
        List<Long> lists = mapper.listsOf(campaign.id());
        String[] closed = window.zonesClosedAt(now);
        int unfed = mapper.cancelUnfed(campaign.id());
        if (unfed > 0) {
            log.info("Hopper fill campaign {}: {} entries of lists that no longer feed it cancelled", campaign.id(), unfed);
        }
        int room = Math.max(0, campaign.hopperLevel() - (campaign.queued() - unfed));
        // already queued is counted before the fill adds to the queue; the fill changes no other count
        int alreadyQueued = 0;
        for (long listId : lists) {
            alreadyQueued += mapper.countAlreadyQueued(listId, null);
        }
        long counted = System.nanoTime();
        int inserted = 0;
        for (long listId : lists) {
            inserted += fillFromList(campaign, listId, open, !fallbackClosed, now, room - inserted);
        }
        long filled = System.nanoTime();
        // The counts explain an empty or short hopper: exact then. When the hopper was filled they only tell the
        // size of what was left out, so each stops at COUNT_CAP per list instead of reading a big list's range.
        Integer cap = inserted < room ? null : COUNT_CAP;
        int[] excluded = new int[5];
        excluded[2] = alreadyQueued;
        int closedLeads = 0;
        for (long listId : lists) {
            excluded[0] += mapper.countMaxAttempts(listId, campaign.maxAttempts(), cap);
            excluded[1] += mapper.countDnc(listId, cap);
            excluded[3] += mapper.countRetryDelay(listId, now, cap);
            excluded[4] += mapper.countCallWindow(listId, closed, fallbackClosed, cap);
            closedLeads += mapper.countClosedLeads(listId, cap);
        }
        log.debug("Hopper fill campaign {}: queued count {} ms, fill {} ms, counts {} ms", campaign.id(),
                (counted - started) / 1_000_000, (filled - counted) / 1_000_000, (System.nanoTime() - filled) / 1_000_000);
        // every eligible lead was taken unless the hopper filled up first
        Integer eligible = inserted < room ? inserted : null;
        HopperFillRun run = new HopperFillRun(null, campaign.id(), jobExecutionId, now, campaign.leadLists(),
                campaign.hopperLevel(), campaign.queued(), closedLeads, excluded[0],
                excluded[1], excluded[2], excluded[3], excluded[4], eligible, inserted, open.length,
                (int) ((System.nanoTime() - started) / 1_000_000));
        long id = mapper.insertRun(run);
        mapper.deleteRunsBefore(campaign.id(), now.minus(KEEP_RUNS));
        log.debug("Hopper fill campaign {}: {} queued", campaign.id(), inserted);
        return new HopperFillRun(id, run.campaignId(), run.jobExecutionId(), run.ranAt(), run.leadLists(),
                run.hopperLevel(), run.queuedBefore(), run.closedLeads(),
                run.excludedMaxAttempts(), run.excludedDnc(), run.excludedAlreadyQueued(), run.excludedRetryDelay(),
                run.excludedCallWindow(), run.eligible(), run.inserted(), run.zonesInWindow(), run.durationMs());
    }
}
