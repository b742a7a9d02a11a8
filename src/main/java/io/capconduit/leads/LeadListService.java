package io.capconduit.leads;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.routing.Campaign;
import io.capconduit.routing.CampaignMapper;
import io.capconduit.routing.SellerMapper;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lead lists and the outbound campaigns they feed. A seller manages its own lists and links them to its own
 * campaigns; staff and admins every list, including the house lists (no seller) any seller's campaign may dial.
 * A list that stops feeding a campaign (unlinked, or deactivated) takes its leads out of that campaign's hopper
 * in the same transaction, so none of them is dialed for it afterwards.
 */
@Service
@PreAuthorize("isAuthenticated()")
class LeadListService {

    private static final Logger log = LoggerFactory.getLogger(LeadListService.class);

    private final LeadListMapper lists;
    private final CampaignMapper campaigns;
    private final SellerMapper sellers;

    LeadListService(LeadListMapper lists, CampaignMapper campaigns, SellerMapper sellers) {
        this.lists = lists;
        this.campaigns = campaigns;
        this.sellers = sellers;
    }

    /** The lead list's fields as given to createLeadList and updateLeadList (null: unchanged, or the default). */
    record LeadListInput(Long sellerId, String name, String defaultRegion, Boolean active) {
    }

    LeadList find(long id) {
        return SellerAccess.visible(lists.findById(id), list -> owner(list.sellerId()), "LeadList", id);
    }

    @Transactional
    LeadList create(LeadListInput input) {
        Long sellerId = input.sellerId();   // staff: none is a house list
        if (SellerAccess.scope() != null) {
            sellerId = SellerAccess.owningSeller(sellerId, "sellerId");
        }
        if (sellerId != null && sellers.findById(sellerId).isEmpty()) {
            throw new InvalidInputException("sellerId", "no seller " + sellerId);
        }
        if (input.name() == null) {
            throw new InvalidInputException("name", "is required");
        }
        LeadList created = merge(new LeadList(0, sellerId, null, "US", true, null, null), input);
        return find(lists.insert(created));
    }

    @Transactional
    LeadList update(long id, LeadListInput input) {
        LeadList current = SellerAccess.visible(lists.lockById(id), list -> owner(list.sellerId()), "LeadList", id);
        if (input.sellerId() != null && !input.sellerId().equals(current.sellerId())) {
            throw new InvalidInputException("sellerId", "a lead list cannot move to another seller");
        }
        LeadList changed = merge(current, input);
        lists.update(changed);
        if (current.active() && !changed.active()) {
            int cancelled = lists.cancelQueued(id, null);
            log.info("Lead list {} deactivated: {} queued entries cancelled", id, cancelled);
        }
        return find(id);
    }

    @Transactional
    LeadList link(long campaignId, long listId) {
        LeadList list = lockedList(listId);
        Campaign campaign = campaign(campaignId);
        if (campaign.direction() != Campaign.Direction.OUTBOUND) {
            throw new InvalidInputException("campaignId", "campaign " + campaignId + " is inbound: only an outbound "
                    + "campaign dials lead lists");
        }
        if (list.sellerId() != null && list.sellerId() != campaign.sellerId()) {
            throw new InvalidInputException("listId", "lead list " + listId + " belongs to another seller than "
                    + "campaign " + campaignId + ": a seller's list feeds only that seller's campaigns");
        }
        lists.link(campaignId, listId);
        return find(listId);
    }

    @Transactional
    LeadList unlink(long campaignId, long listId) {
        lockedList(listId);
        campaign(campaignId);
        if (lists.unlink(campaignId, listId) > 0) {
            int cancelled = lists.cancelQueued(listId, campaignId);
            log.info("Lead list {} unlinked from campaign {}: {} queued entries cancelled", listId, campaignId, cancelled);
        }
        return find(listId);
    }

    /** The campaigns each list feeds, those the caller may see. */
    Map<LeadList, List<Campaign>> campaignsOf(List<LeadList> parents) {
        List<Long> listIds = parents.stream().map(LeadList::id).distinct().toList();
        Map<Long, List<Long>> linked = lists.campaignsOfLists(listIds).stream().collect(Collectors.groupingBy(
                LeadListMapper.CampaignList::listId, Collectors.mapping(LeadListMapper.CampaignList::campaignId,
                        Collectors.toList())));
        List<Long> campaignIds = linked.values().stream().flatMap(List::stream).distinct().toList();
        Map<Long, Campaign> visible = campaignIds.isEmpty() ? Map.of() : campaigns.findByIds(campaignIds).stream()
                .filter(campaign -> SellerAccess.maySee(campaign.sellerId()))
                .collect(Collectors.toMap(Campaign::id, campaign -> campaign));
        Map<LeadList, List<Campaign>> result = new LinkedHashMap<>();
        parents.forEach(list -> result.put(list, linked.getOrDefault(list.id(), List.of()).stream()
                .map(visible::get).filter(Objects::nonNull).toList()));
        return result;
    }

    /** The lists each campaign dials (the campaigns are the caller's already; a seller sees house lists here too). */
    Map<Campaign, List<LeadList>> listsOf(List<Campaign> parents) {
        List<Long> campaignIds = parents.stream().map(Campaign::id).distinct().toList();
        Map<Long, List<Long>> linked = lists.listsOfCampaigns(campaignIds).stream().collect(Collectors.groupingBy(
                LeadListMapper.CampaignList::campaignId, Collectors.mapping(LeadListMapper.CampaignList::listId,
                        Collectors.toList())));
        List<Long> listIds = linked.values().stream().flatMap(List::stream).distinct().toList();
        Map<Long, LeadList> found = listIds.isEmpty() ? Map.of() : lists.findByIds(listIds).stream()
                .collect(Collectors.toMap(LeadList::id, list -> list));
        Map<Campaign, List<LeadList>> result = new LinkedHashMap<>();
        parents.forEach(campaign -> result.put(campaign, linked.getOrDefault(campaign.id(), List.of()).stream()
                .map(found::get).filter(Objects::nonNull).toList()));
        return result;
    }

    private LeadList lockedList(long listId) {
        return SellerAccess.visible(lists.lockById(listId), list -> owner(list.sellerId()), "LeadList", listId);
    }

    private Campaign campaign(long campaignId) {
        return SellerAccess.visible(campaigns.findById(campaignId), Campaign::sellerId, "Campaign", campaignId);
    }

    /** A house list's owner for {@link SellerAccess}: no seller (0 matches no seller's scope). */
    private static long owner(Long sellerId) {
        return sellerId == null ? 0 : sellerId;
    }

    private LeadList merge(LeadList current, LeadListInput input) {
        String name = InputChecks.name("name", InputChecks.or(input.name(), current.name()), 200);
        if (lists.nameTaken(current.sellerId(), name, current.id())) {
            throw new InvalidInputException("name", (current.sellerId() == null ? "a house list" : "this seller's list")
                    + " is named '" + name + "' already");
        }
        String region = PhoneNumbers.region("defaultRegion", InputChecks.or(input.defaultRegion(), current.defaultRegion()));
        return new LeadList(current.id(), current.sellerId(), name, region, InputChecks.or(input.active(), current.active()),
                current.createdAt(), current.updatedAt());
    }
}
