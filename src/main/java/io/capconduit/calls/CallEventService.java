package io.capconduit.calls;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.routing.Campaign;
import io.capconduit.routing.CampaignMapper;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Live call events for a subscriber: staff and admins every seller's, a seller its own campaigns' only. */
@Service
@PreAuthorize("isAuthenticated()")
class CallEventService {

    /** Events a slow subscriber may lag behind by before the oldest are dropped. */
    private static final int BUFFER = 1_000;

    private final CallEvents events;
    private final CampaignMapper campaigns;

    CallEventService(CallEvents events, CampaignMapper campaigns) {
        this.events = events;
        this.campaigns = campaigns;
    }

    /**
     * From now on, of one campaign or of all the caller may see. The caller's seller is read here, once: the events
     * are filtered on other threads.
     */
    Flux<CallEvent> events(Long campaignId) {
        Long scope = SellerAccess.scope();
        if (campaignId != null) {
            SellerAccess.visible(campaigns.findById(campaignId), Campaign::sellerId, "Campaign", campaignId);
        }
        return events.all()
                .filter(event -> "MISSED_SOME".equals(event.kind())
                        || ((scope == null || scope.equals(event.sellerId()))
                            && (campaignId == null || campaignId.equals(event.campaignId()))))
                .onBackpressureBuffer(BUFFER, BufferOverflowStrategy.DROP_OLDEST);
    }
}
