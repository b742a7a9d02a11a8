package io.capconduit.routing;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.graphql.Batches;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Campaigns, inbound and outbound, with every routing and dialing setting. A seller sees and changes only
 * its own; staff and admins all. Every column is validated here with a message naming the field.
 */
@Service
@PreAuthorize("isAuthenticated()")
class CampaignService {

    private final CampaignMapper campaigns;
    private final SellerMapper sellers;
    private final TrunkMapper trunks;

    CampaignService(CampaignMapper campaigns, SellerMapper sellers, TrunkMapper trunks) {
        this.campaigns = campaigns;
        this.sellers = sellers;
        this.trunks = trunks;
    }

    List<Campaign> search(Long sellerId, Campaign.Direction direction, Boolean active) {
        return campaigns.search(SellerAccess.scope(), sellerId, direction, active);
    }

    Campaign find(long id) {
        return SellerAccess.visible(campaigns.findById(id), Campaign::sellerId, "Campaign", id);
    }

    /** The campaigns' trunks; none for a seller, since a carrier's SIP details are staff and admin business. */
    Map<Campaign, Trunk> trunks(List<Campaign> list) {
        if (SellerAccess.scope() != null) {
            return Map.of();
        }
        return Batches.one(list, Campaign::trunkId, trunks::findByIds, Trunk::id);
    }

    @Transactional
    Campaign create(CampaignController.CampaignInput input) {
        long sellerId = SellerAccess.owningSeller(input.sellerId(), "sellerId");
        if (sellers.findById(sellerId).isEmpty()) {
            throw new InvalidInputException("sellerId", "no seller " + sellerId);
        }
        Campaign defaults = new Campaign(0, sellerId, null, Campaign.Direction.INBOUND, Campaign.Strategy.PRIORITY, 30,
                60, true, BigDecimal.ONE, 100, LocalTime.of(9, 0), LocalTime.of(20, 0), 3, 600, 3600, 1800, null, null,
                new BigDecimal("0.03"), 15, null, false, false, null, null, null);
        return find(campaigns.insert(merge(defaults, input)));
    }

    @Transactional
    Campaign update(long id, CampaignController.CampaignInput input) {
        Campaign current = locked(id);
        if (input.sellerId() != null && input.sellerId() != current.sellerId()) {
            throw new InvalidInputException("sellerId", "a campaign cannot move to another seller");
        }
        campaigns.update(merge(current, input));
        return find(id);
    }

    @Transactional
    Campaign deactivate(long id) {
        Campaign current = locked(id);
        campaigns.update(withActive(current, false));
        return find(id);
    }

    /** The campaign to change, as {@link #find} but locked: a mutation writes every column back. */
    private Campaign locked(long id) {
        return SellerAccess.visible(campaigns.findByIdForUpdate(id, SellerAccess.scope()), Campaign::sellerId,
                "Campaign", id);
    }

    private static Campaign withActive(Campaign c, boolean active) {
        return new Campaign(c.id(), c.sellerId(), c.name(), c.direction(), c.strategy(), c.dialTimeoutSeconds(),
                c.billableAfterSeconds(), active, c.dialRatio(), c.hopperLevel(), c.callWindowStart(), c.callWindowEnd(),
                c.maxAttempts(), c.retryBusySeconds(), c.retryNoAnswerSeconds(), c.retryFailedSeconds(), c.callerId(),
                c.trunkId(), c.maxAbandonRate(), c.wrapUpSeconds(), c.abandonMessage(), c.closeDisconnectedNumbers(),
                c.recordCalls(), c.recordingNotice(), null, null);
    }

    private Campaign merge(Campaign c, CampaignController.CampaignInput in) {
        String name = InputChecks.name("name", InputChecks.or(in.name(), c.name()), 200);
        if (campaigns.nameTaken(c.sellerId(), name, c.id())) {
            throw new InvalidInputException("name", "this seller has a campaign named '" + name + "' already");
        }
        // any two times make a window the dialer keeps (CallWindow): an end before the start runs past midnight,
        // an end equal to the start is the whole day
        LocalTime windowStart = InputChecks.or(in.callWindowStart(), c.callWindowStart());
        LocalTime windowEnd = InputChecks.or(in.callWindowEnd(), c.callWindowEnd());
        String callerId = InputChecks.text(in.callerId(), c.callerId());
        if (callerId != null) {
            callerId = PhoneNumbers.e164("callerId", callerId);
        }
        if (in.trunkId() != null && !in.trunkId().equals(c.trunkId()) && SellerAccess.scope() != null) {
            // before the trunk's existence is checked, so a seller cannot probe trunk ids either
            throw new AccessDeniedException("Only staff and admins choose a campaign's trunk");
        }
        Long trunkId = InputChecks.or(in.trunkId(), c.trunkId());
        if (trunkId != null && !trunkId.equals(c.trunkId())) {
            Trunk trunk = trunks.findByIdForShare(trunkId)
                    .orElseThrow(() -> new InvalidInputException("trunkId", "no trunk " + trunkId));
            if (trunk.host() == null) {
                // its AOR has no contact: Asterisk fails every call sent through it (PJSIP/<number>@<trunk>)
                throw new InvalidInputException("trunkId", "trunk " + trunkId + " has no host: Asterisk would have "
                        + "nowhere to send the campaign's calls; give the trunk a host first");
            }
        }
        String abandon = InputChecks.soundName("abandonMessage", InputChecks.text(in.abandonMessage(),
                c.abandonMessage()));
        String notice = InputChecks.soundName("recordingNotice", InputChecks.text(in.recordingNotice(),
                c.recordingNotice()));
        Campaign.Direction direction = InputChecks.or(in.direction(), c.direction());
        boolean closeDisconnected = InputChecks.or(in.closeDisconnectedNumbers(), c.closeDisconnectedNumbers());
        if (closeDisconnected && direction == Campaign.Direction.INBOUND) {
            throw new InvalidInputException("closeDisconnectedNumbers", "an inbound campaign dials no leads: "
                    + "only an outbound campaign closes disconnected numbers (turn it off to make the campaign inbound)");
        }
        // an outbound campaign's calls are recorded whatever it says: a switch or a notice there would be a promise
        // the dialplan does not keep (recordCalls: false, and every dialer call still recorded)
        if (direction == Campaign.Direction.OUTBOUND && in.recordCalls() != null) {
            throw new InvalidInputException("recordCalls", "an outbound campaign's calls (dialer and click-to-call) "
                    + "are always recorded: recordCalls is for inbound campaigns");
        }
        if (direction == Campaign.Direction.OUTBOUND && in.recordingNotice() != null
                && !in.recordingNotice().isEmpty()) {
            throw new InvalidInputException("recordingNotice", "an outbound campaign's calls play no notice: "
                    + "recordingNotice is for inbound campaigns");
        }
        return new Campaign(c.id(), c.sellerId(), name, direction,
                InputChecks.or(in.strategy(), c.strategy()),
                InputChecks.range("dialTimeoutSeconds", InputChecks.or(in.dialTimeoutSeconds(), c.dialTimeoutSeconds()), 5, 600),
                InputChecks.range("billableAfterSeconds", InputChecks.or(in.billableAfterSeconds(), c.billableAfterSeconds()), 0, 86400),
                InputChecks.or(in.active(), c.active()),
                decimal("dialRatio", in.dialRatio(), c.dialRatio(), 1.0, 10.0, 2),
                InputChecks.range("hopperLevel", InputChecks.or(in.hopperLevel(), c.hopperLevel()), 1, 100000),
                windowStart, windowEnd,
                InputChecks.range("maxAttempts", InputChecks.or(in.maxAttempts(), c.maxAttempts()), 1, 100),
                InputChecks.range("retryBusySeconds", InputChecks.or(in.retryBusySeconds(), c.retryBusySeconds()), 0, 2592000),
                InputChecks.range("retryNoAnswerSeconds", InputChecks.or(in.retryNoAnswerSeconds(), c.retryNoAnswerSeconds()), 0, 2592000),
                InputChecks.range("retryFailedSeconds", InputChecks.or(in.retryFailedSeconds(), c.retryFailedSeconds()), 0, 2592000),
                callerId, trunkId,
                decimal("maxAbandonRate", in.maxAbandonRate(), c.maxAbandonRate(), 0.0, 1.0, 4),
                InputChecks.range("wrapUpSeconds", InputChecks.or(in.wrapUpSeconds(), c.wrapUpSeconds()), 0, 3600),
                abandon, closeDisconnected, InputChecks.or(in.recordCalls(), c.recordCalls()), notice, null, null);
    }

    private static BigDecimal decimal(String field, Double value, BigDecimal current, double min, double max, int scale) {
        if (value == null) {
            return current;
        }
        InputChecks.range(field, value, min, max);
        BigDecimal decimal = BigDecimal.valueOf(value);
        if (decimal.stripTrailingZeros().scale() > scale) {
            throw new InvalidInputException(field, "takes at most " + scale + " decimal places");
        }
        return decimal;
    }
}
