package io.capconduit.leads;

import java.util.List;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;

/** Lead lists and their leads, read-only. A seller sees its own lists; house lists only staff and admins. */
@Controller
@PreAuthorize("isAuthenticated()")
class LeadListController {

    private final LeadListMapper lists;
    private final LeadMapper leads;

    LeadListController(LeadListMapper lists, LeadMapper leads) {
        this.lists = lists;
        this.leads = leads;
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
}
