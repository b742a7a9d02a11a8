package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** The "why is the hopper empty" answers and outbound recordings, scoped to a seller's own campaigns. */
@Service
class HopperDiagnosticsService {

    private final HopperDiagnosticsMapper mapper;
    private final HopperFillService hopperFill;

    HopperDiagnosticsService(HopperDiagnosticsMapper mapper, HopperFillService hopperFill) {
        this.mapper = mapper;
        this.hopperFill = hopperFill;
    }

    @PreAuthorize("isAuthenticated()")
    List<HopperFillRun> hopperDiagnostics(long campaignId, int last, AuthenticatedUser user) {
        if (last < 1 || last > 500) {
            throw new InvalidInputException("last", "must be between 1 and 500");
        }
        Long seller = mapper.outboundCampaignSeller(campaignId);
        if (seller == null || (user.sellerScope() != null && !user.sellerScope().equals(seller))) {
            throw new NotFoundException("Outbound campaign", campaignId);
        }
        return mapper.latest(campaignId, last);
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    HopperFillRun fillHopperNow(long campaignId) {
        if (mapper.outboundCampaignSeller(campaignId) == null) {
            throw new NotFoundException("Outbound campaign", campaignId);
        }
        if (!mapper.campaignActive(campaignId)) {
            throw new InvalidInputException("campaignId", "campaign " + campaignId + " is inactive: its leads are "
                    + "not dialed, so its hopper is not filled (activate it first)");
        }
        return hopperFill.fill(campaignId, null, Instant.now());
    }

    @PreAuthorize("isAuthenticated()")
    List<HopperDiagnosticsMapper.OutboundRecording> outboundRecordings(Long campaignId, int first,
            AuthenticatedUser user) {
        if (first < 1 || first > 500) {
            throw new InvalidInputException("first", "must be between 1 and 500");
        }
        return mapper.recordings(campaignId, user.sellerScope(), first);
    }
}
