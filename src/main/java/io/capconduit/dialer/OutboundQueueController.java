package io.capconduit.dialer;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;

/** The outbound queue, read-only: the hopper job fills it and the dialer hands it out. */
@Controller
class OutboundQueueController {

    private final OutboundQueueMapper queue;

    OutboundQueueController(OutboundQueueMapper queue) {
        this.queue = queue;
    }

    @QueryMapping
    @PreAuthorize("isAuthenticated()")
    Connection<OutboundQueueEntry> outboundQueue(@Argument long campaignId, @Argument String status,
            @Argument Integer first, @Argument String after) {
        Long owner = queue.findCampaignSeller(campaignId);
        if (owner == null || !SellerAccess.maySee(owner)) {
            throw new NotFoundException("Campaign", campaignId);
        }
        PageRequest page = PageRequest.of(first, after, "outboundQueue");
        return Connection.of(queue.findPage(campaignId, status, page.after(), page.fetchSize()), page,
                entry -> KeysetCursor.ofId("outboundQueue", entry.id()));
    }
}
