package io.capconduit.routing;

import java.util.List;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Phone numbers. Staff and admins create them for a seller and may renumber them; the owning seller
 * describes, assigns and deactivates its own. A DID only ever routes to a campaign of its own seller.
 */
@Service
@PreAuthorize("isAuthenticated()")
class DidService {

    private final DidMapper dids;
    private final CampaignMapper campaigns;
    private final SellerMapper sellers;

    DidService(DidMapper dids, CampaignMapper campaigns, SellerMapper sellers) {
        this.dids = dids;
        this.campaigns = campaigns;
        this.sellers = sellers;
    }

    List<Did> search(Long sellerId, Long campaignId) {
        return dids.search(SellerAccess.scope(), sellerId, campaignId);
    }

    Connection<Did> page(Long sellerId, Long campaignId, Integer first, String after) {
        PageRequest page = PageRequest.of(first, after, "dids");
        List<Did> rows = dids.page(SellerAccess.scope(), sellerId, campaignId,
                page.after() == null ? null : page.after().id(), page.fetchSize());
        return Connection.of(rows, page, did -> KeysetCursor.ofId("dids", did.id()));
    }

    Did find(long id) {
        return SellerAccess.visible(dids.findById(id), Did::sellerId, "Did", id);
    }

    Did findByNumber(String number) {
        String e164 = PhoneNumbers.e164("number", number);
        return SellerAccess.visible(dids.findByNumber(e164), Did::sellerId, "Did", e164);
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    @Transactional
    Did create(DidController.DidInput input) {
        if (input.sellerId() == null || sellers.findById(input.sellerId()).isEmpty()) {
            throw new InvalidInputException("sellerId", input.sellerId() == null ? "is required" : "no seller " + input.sellerId());
        }
        if (input.number() == null) {
            throw new InvalidInputException("number", "is required");
        }
        return find(dids.insert(merge(new Did(0, null, input.sellerId(), null, null, true, false, null, null), input)));
    }

    @Transactional
    Did update(long id, DidController.DidInput input) {
        Did current = locked(id);
        if (input.sellerId() != null && input.sellerId() != current.sellerId()) {
            throw new InvalidInputException("sellerId", "a DID cannot move to another seller");
        }
        if (input.number() != null && SellerAccess.scope() != null) {
            throw new InvalidInputException("number", "only staff can renumber a DID");
        }
        dids.update(merge(current, input));
        return find(id);
    }

    @Transactional
    Did assign(long id, Long campaignId) {
        Did current = locked(id);
        dids.update(new Did(id, current.number(), current.sellerId(), campaign(current.sellerId(), campaignId),
                current.description(), current.active(), current.deactivatedByStaff(), null, null));
        return find(id);
    }

    @Transactional
    Did deactivate(long id) {
        Did current = locked(id);
        dids.update(new Did(id, current.number(), current.sellerId(), current.campaignId(), current.description(),
                false, deactivatedByStaff(current, false), null, null));
        return find(id);
    }

    /** The DID to change, as {@link #find} but locked: a mutation writes every column, so none may read a stale row. */
    private Did locked(long id) {
        return SellerAccess.visible(dids.findByIdForUpdate(id, SellerAccess.scope()), Did::sellerId, "Did", id);
    }

    private Did merge(Did current, DidController.DidInput in) {
        String number = in.number() == null ? current.number() : routable(PhoneNumbers.e164("number", in.number()));
        dids.findByNumber(number).filter(other -> other.id() != current.id()).ifPresent(other -> {
            throw new InvalidInputException("number", number + " is already a DID");
        });
        String description = InputChecks.text(in.description(), current.description());
        if (description != null && description.length() > 500) {
            throw new InvalidInputException("description", "must be at most 500 characters");
        }
        Long campaignId = in.campaignId() == null ? current.campaignId() : campaign(current.sellerId(), in.campaignId());
        boolean active = InputChecks.or(in.active(), current.active());
        if (active && !current.active() && current.deactivatedByStaff() && SellerAccess.scope() != null) {
            throw new InvalidInputException("active", "staff deactivated this DID: only staff or an admin can "
                    + "reactivate it");
        }
        return new Did(current.id(), number, current.sellerId(), campaignId, description, active,
                deactivatedByStaff(current, active), null, null);
    }

    /** Whether the DID, made {@code active} or not, stays off by staff's decision: a seller cannot undo it. */
    private static boolean deactivatedByStaff(Did current, boolean active) {
        boolean byStaff = SellerAccess.scope() == null;
        return !active && (current.active() ? byStaff : current.deactivatedByStaff() || byStaff);
    }

    /**
     * A number calls can reach. The dialplan hands routing the carrier's digits without the +, and ten digits are
     * read as a US/Canada number: an E.164 number of ten digits (+65 6123 4567) would be looked up as another one
     * (+16561234567), never as this DID, or as another seller's DID of that number.
     */
    private String routable(String e164) {
        String routedAs = dids.routedAs(e164);
        if (!e164.equals(routedAs)) {
            throw new InvalidInputException("number", e164 + " cannot be routed: a carrier's " + (e164.length() - 1)
                    + " digits reach routing as " + routedAs + " (ten digits are read as a US/Canada number)");
        }
        return e164;
    }

    /** The campaign a DID may point at: visible to the caller and of the DID's own seller. */
    private Long campaign(long sellerId, Long campaignId) {
        if (campaignId == null) {
            return null;
        }
        Campaign campaign = campaigns.findById(campaignId).filter(c -> SellerAccess.maySee(c.sellerId()))
                .orElseThrow(() -> new NotFoundException("Campaign", campaignId));
        if (campaign.sellerId() != sellerId) {
            throw new InvalidInputException("campaignId", "campaign " + campaignId + " belongs to another seller");
        }
        return campaignId;
    }
}
