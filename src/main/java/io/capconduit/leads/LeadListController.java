package io.capconduit.leads;

import java.util.List;
import java.util.Map;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.routing.Campaign;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;

/**
 * Lead lists, their leads and the campaigns they feed; the do-not-call list. A seller sees and manages its own
 * lists; house lists only staff and admins.
 */
@Controller
@PreAuthorize("isAuthenticated()")
class LeadListController {

    private final LeadListMapper lists;
    private final LeadMapper leads;
    private final LeadListService service;
    private final DncService dnc;

    LeadListController(LeadListMapper lists, LeadMapper leads, LeadListService service, DncService dnc) {
        this.lists = lists;
        this.leads = leads;
        this.service = service;
        this.dnc = dnc;
    }

    record LeadListPayload(LeadList leadList) {
    }

    @QueryMapping
    List<LeadList> leadLists() {
        return lists.findVisible(SellerAccess.scope());
    }

    @QueryMapping
    LeadList leadList(@Argument long id) {
        return lists.findById(id).filter(list -> SellerAccess.maySee(list.sellerId()))
                .orElseThrow(() -> new NotFoundException("LeadList", id));
    }

    @QueryMapping
    Connection<Lead> leads(@Argument long listId, @Argument String status, @Argument Integer first,
            @Argument String after) {
        leadList(listId);
        PageRequest page = PageRequest.of(first, after, "leads");
        return Connection.of(leads.findPage(listId, status, page.after(), page.fetchSize()), page,
                lead -> KeysetCursor.ofId("leads", lead.id()));
    }

    @MutationMapping
    LeadListPayload createLeadList(@Argument LeadListService.LeadListInput input) {
        return new LeadListPayload(service.create(input));
    }

    @MutationMapping
    LeadListPayload updateLeadList(@Argument long id, @Argument LeadListService.LeadListInput input) {
        return new LeadListPayload(service.update(id, input));
    }

    @MutationMapping
    LeadListPayload linkLeadList(@Argument long campaignId, @Argument long listId) {
        return new LeadListPayload(service.link(campaignId, listId));
    }

    @MutationMapping
    LeadListPayload unlinkLeadList(@Argument long campaignId, @Argument long listId) {
        return new LeadListPayload(service.unlink(campaignId, listId));
    }

    @BatchMapping(typeName = "LeadList")
    Map<LeadList, List<Campaign>> campaigns(List<LeadList> parents) {
        return service.campaignsOf(parents);
    }

    @BatchMapping(typeName = "Campaign")
    Map<Campaign, List<LeadList>> leadLists(List<Campaign> parents) {
        return service.listsOf(parents);
    }

    @QueryMapping
    Connection<DncNumber> dncNumbers(@Argument Integer first, @Argument String after) {
        return dnc.page(first, after);
    }

    @QueryMapping
    DncNumber dncNumber(@Argument String phone, @Argument String region) {
        return dnc.find(phone, region);
    }

    @MutationMapping
    DncService.AddDncNumbersPayload addDncNumbers(@Argument DncService.DncNumbersInput input) {
        return dnc.add(input);
    }

    @MutationMapping
    DncService.RemoveDncNumbersPayload removeDncNumbers(@Argument DncService.DncNumbersInput input) {
        return dnc.remove(input);
    }
}
