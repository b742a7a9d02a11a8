package io.capconduit.routing;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import io.capconduit.system.graphql.Batches;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class CampaignController {

    private final CampaignService campaigns;
    private final SellerMapper sellers;
    private final CampaignClientSettingMapper settings;
    private final DidMapper dids;

    CampaignController(CampaignService campaigns, SellerMapper sellers, CampaignClientSettingMapper settings,
            DidMapper dids) {
        this.campaigns = campaigns;
        this.sellers = sellers;
        this.settings = settings;
        this.dids = dids;
    }

    @QueryMapping
    List<Campaign> campaigns(@Argument Long sellerId, @Argument Campaign.Direction direction, @Argument Boolean active) {
        return campaigns.search(sellerId, direction, active);
    }

    @QueryMapping
    Campaign campaign(@Argument long id) {
        return campaigns.find(id);
    }

    @MutationMapping
    CampaignPayload createCampaign(@Argument CampaignInput input) {
        return new CampaignPayload(campaigns.create(input));
    }

    @MutationMapping
    CampaignPayload updateCampaign(@Argument long id, @Argument CampaignInput input) {
        return new CampaignPayload(campaigns.update(id, input));
    }

    @MutationMapping
    CampaignPayload deactivateCampaign(@Argument long id) {
        return new CampaignPayload(campaigns.deactivate(id));
    }

    @BatchMapping
    Map<Campaign, Seller> seller(List<Campaign> list) {
        return Batches.one(list, Campaign::sellerId, sellers::findByIds, Seller::id);
    }

    @BatchMapping
    Map<Campaign, List<CampaignClientSetting>> settings(List<Campaign> list) {
        return Batches.many(list, Campaign::id, settings::findByCampaigns, CampaignClientSetting::campaignId);
    }

    @BatchMapping
    Map<Campaign, List<Did>> dids(List<Campaign> list) {
        return Batches.many(list, Campaign::id, dids::findByCampaigns, Did::campaignId);
    }

    @BatchMapping
    Map<Campaign, Trunk> trunk(List<Campaign> list) {
        return campaigns.trunks(list);
    }

    record CampaignInput(Long sellerId, String name, Campaign.Direction direction, Campaign.Strategy strategy,
            Integer dialTimeoutSeconds, Integer billableAfterSeconds, Boolean active, Double dialRatio,
            Integer hopperLevel, LocalTime callWindowStart, LocalTime callWindowEnd, Integer maxAttempts,
            Integer retryBusySeconds, Integer retryNoAnswerSeconds, Integer retryFailedSeconds, String callerId,
            Long trunkId, Double maxAbandonRate, Integer wrapUpSeconds, String abandonMessage,
            Boolean closeDisconnectedNumbers, Boolean recordCalls, String recordingNotice) {
    }

    record CampaignPayload(Campaign campaign) {
    }
}
