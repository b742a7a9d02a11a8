package io.capconduit.dialer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Moves dialable leads into a campaign's outbound queue up to its hopper level, one INSERT ... SELECT per
 * campaign, and records per filter how many leads stayed out.
 */
@Service
class HopperFillService {

    private static final Logger log = LoggerFactory.getLogger(HopperFillService.class);

    private static final Duration KEEP_RUNS = Duration.ofDays(7);

    private final HopperFillMapper mapper;

    HopperFillService(HopperFillMapper mapper) {
        this.mapper = mapper;
    }

    List<HopperFillRun> fillAll(Long jobExecutionId) {
        Instant now = Instant.now();
        return mapper.findActiveOutbound().stream().map(campaign -> fill(campaign, jobExecutionId, now)).toList();
    }

    HopperFillRun fill(long campaignId, Long jobExecutionId, Instant now) {
        return fill(mapper.findCampaign(campaignId), jobExecutionId, now);
    }

    private HopperFillRun fill(HopperFillMapper.FillCampaign campaign, Long jobExecutionId, Instant now) {
        long started = System.nanoTime();
        String[] zones = new CallWindow(campaign.callWindowStart(), campaign.callWindowEnd()).zonesOpenAt(now);
        HopperFillMapper.Exclusions excluded = mapper.countExclusions(campaign, zones, now);
        int room = Math.max(0, campaign.hopperLevel() - campaign.queued());
        int inserted = room == 0 || excluded.eligible() == 0 ? 0 : mapper.fill(campaign, zones, now, room);
        int closed = mapper.countClosedLeads(campaign.id());
        HopperFillRun run = new HopperFillRun(null, campaign.id(), jobExecutionId, now, campaign.leadLists(),
                campaign.hopperLevel(), campaign.queued(), excluded.dialableLeads(), closed, excluded.maxAttempts(),
                excluded.dnc(), excluded.alreadyQueued(), excluded.retryDelay(), excluded.callWindow(),
                excluded.eligible(), inserted, zones.length, (int) ((System.nanoTime() - started) / 1_000_000));
        long id = mapper.insertRun(run);
        mapper.deleteRunsBefore(campaign.id(), now.minus(KEEP_RUNS));
        log.debug("Hopper fill campaign {}: {} queued, {} eligible", campaign.id(), inserted, excluded.eligible());
        return new HopperFillRun(id, run.campaignId(), run.jobExecutionId(), run.ranAt(), run.leadLists(),
                run.hopperLevel(), run.queuedBefore(), run.dialableLeads(), run.closedLeads(),
                run.excludedMaxAttempts(), run.excludedDnc(), run.excludedAlreadyQueued(), run.excludedRetryDelay(),
                run.excludedCallWindow(), run.eligible(), run.inserted(), run.zonesInWindow(), run.durationMs());
    }
}
