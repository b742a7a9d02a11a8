package io.capconduit.routing;

import java.util.Objects;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Links between campaigns and clients with their caps. A seller manages the links of its own campaigns;
 * a setting is visible exactly when its campaign is.
 */
@Service
@PreAuthorize("isAuthenticated()")
class CampaignClientSettingService {

    private final CampaignClientSettingMapper settings;
    private final CampaignMapper campaigns;
    private final ClientMapper clients;

    CampaignClientSettingService(CampaignClientSettingMapper settings, CampaignMapper campaigns, ClientMapper clients) {
        this.settings = settings;
        this.campaigns = campaigns;
        this.clients = clients;
    }

    CampaignClientSetting find(long id) {
        CampaignClientSetting setting = settings.findById(id)
                .orElseThrow(() -> new NotFoundException("CampaignClientSetting", id));
        campaigns.findById(setting.campaignId()).filter(c -> SellerAccess.maySee(c.sellerId()))
                .orElseThrow(() -> new NotFoundException("CampaignClientSetting", id));
        return setting;
    }

    @Transactional
    CampaignClientSetting link(CampaignClientSettingController.LinkClientInput in) {
        SellerAccess.visible(campaigns.findById(in.campaignId()), Campaign::sellerId, "Campaign", in.campaignId());
        if (clients.findById(in.clientId()).isEmpty()) {
            throw new InvalidInputException("clientId", "no client " + in.clientId());
        }
        if (settings.exists(in.campaignId(), in.clientId())) {
            throw linkedAlready(in);
        }
        CampaignClientSetting defaults = new CampaignClientSetting(0, in.campaignId(), in.clientId(), 1, 1, 1, null,
                CampaignClientSetting.CapPeriod.DAY, true, 0, 0, null, null, null, null);
        var input = new CampaignClientSettingController.CampaignClientSettingInput(in.priority(), in.weight(),
                in.maxConcurrent(), in.totalCap(), null, in.capPeriod(), null);
        try {
            return find(settings.insert(merge(defaults, input)));
        }
        catch (DuplicateKeyException ex) {
            // a concurrent link of the same pair committed after our check: (campaign_id, client_id) is unique
            throw linkedAlready(in);
        }
    }

    private static InvalidInputException linkedAlready(CampaignClientSettingController.LinkClientInput in) {
        return new InvalidInputException("clientId", "client " + in.clientId() + " is linked to campaign "
                + in.campaignId() + " already; update that setting instead");
    }

    @Transactional
    CampaignClientSetting update(long id, CampaignClientSettingController.CampaignClientSettingInput input) {
        // counted before the lock: the count scans route_claims, and calls claiming this buyer wait for the lock;
        // only for a new period (a client sending every field sends the period it has)
        boolean newPeriod = input.capPeriod() != null
                && settings.findById(id).filter(s -> s.capPeriod() != input.capPeriod()).isPresent();
        var counted = newPeriod ? settings.countWindow(id, input.capPeriod()).orElse(null) : null;
        // locked: the update writes every column back, so it may not start from a row another one is changing
        CampaignClientSetting current = settings.findByIdForUpdate(id, SellerAccess.scope())
                .orElseThrow(() -> new NotFoundException("CampaignClientSetting", id));
        CampaignClientSetting changed = merge(current, input);
        settings.update(changed);
        if (changed.capPeriod() != current.capPeriod()) {
            // not counted before the lock when the period read then was already the new one: another change of it
            // committed meanwhile, and this one changes it back, counted now (rare enough to scan under the lock)
            var window = counted != null ? counted : settings.countWindow(id, changed.capPeriod()).orElseThrow();
            settings.restartWindow(id, window.answered() + answeredSince(window, current), window.windowStart());
        }
        return find(id);
    }

    /**
     * The calls answered between the count and the lock: what the counter gained meanwhile, or all it holds when
     * its window rolled meanwhile (it started again from 0).
     */
    static int answeredSince(CampaignClientSettingMapper.WindowCount counted, CampaignClientSetting locked) {
        return Objects.equals(counted.capWindowStart(), locked.capWindowStart())
                ? Math.max(0, locked.capUsed() - counted.capUsed()) : locked.capUsed();
    }

    @Transactional
    CampaignClientSetting deactivate(long id) {
        return update(id, new CampaignClientSettingController.CampaignClientSettingInput(null, null, null, null, null,
                null, false));
    }

    private static CampaignClientSetting merge(CampaignClientSetting s,
            CampaignClientSettingController.CampaignClientSettingInput in) {
        if (Boolean.TRUE.equals(in.removeTotalCap()) && in.totalCap() != null) {
            throw new InvalidInputException("removeTotalCap", "cannot be true with a totalCap: send one of them");
        }
        if (in.totalCap() != null && in.totalCap() < 0) {
            // other call platforms take -1 for "no cap"
            throw new InvalidInputException("totalCap", "must be at least 0 (0 takes no calls in the period), not "
                    + in.totalCap() + "; for no cap leave totalCap out of linkClient, or send removeTotalCap: true "
                    + "to updateCampaignClientSetting");
        }
        Integer totalCap = Boolean.TRUE.equals(in.removeTotalCap()) ? null : InputChecks.or(in.totalCap(), s.totalCap());
        return new CampaignClientSetting(s.id(), s.campaignId(), s.clientId(),
                InputChecks.atLeast("priority", InputChecks.or(in.priority(), s.priority()), 0),
                InputChecks.range("weight", InputChecks.or(in.weight(), s.weight()), 1, 1000),
                InputChecks.range("maxConcurrent", InputChecks.or(in.maxConcurrent(), s.maxConcurrent()), 0, 10000),
                totalCap, InputChecks.or(in.capPeriod(), s.capPeriod()), InputChecks.or(in.active(), s.active()),
                s.inFlight(), s.capUsed(), s.capWindowStart(), s.lastRoutedAt(), null, null);
    }
}
