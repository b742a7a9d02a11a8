package io.capconduit.dialer;

import java.time.Instant;

import io.capconduit.accounts.AuthenticatedUser;
import io.capconduit.system.NotFoundException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Undoes what closing disconnected numbers did to a campaign's leads since a time: for a trunk that turned out to be
 * misconfigured, which gives every number the causes of a number that does not exist. A seller, its own campaigns'.
 */
@Service
class DisconnectedLeadsService {

    private final DisconnectedLeadsMapper mapper;
    private final HopperDiagnosticsMapper campaigns;

    DisconnectedLeadsService(DisconnectedLeadsMapper mapper, HopperDiagnosticsMapper campaigns) {
        this.mapper = mapper;
        this.campaigns = campaigns;
    }

    @PreAuthorize("isAuthenticated()")
    int reopenDisconnectedLeads(long campaignId, Instant since, AuthenticatedUser user) {
        Long seller = campaigns.outboundCampaignSeller(campaignId);
        if (seller == null || (user.sellerScope() != null && !user.sellerScope().equals(seller))) {
            throw new NotFoundException("Outbound campaign", campaignId);
        }
        return mapper.reopen(campaignId, since);
    }
}
