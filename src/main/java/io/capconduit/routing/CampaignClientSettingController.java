package io.capconduit.routing;

import java.util.List;
import java.util.Map;

import io.capconduit.system.graphql.Batches;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class CampaignClientSettingController {

    private final CampaignClientSettingService settings;
    private final CampaignMapper campaigns;
    private final ClientMapper clients;

    CampaignClientSettingController(CampaignClientSettingService settings, CampaignMapper campaigns,
            ClientMapper clients) {
        this.settings = settings;
        this.campaigns = campaigns;
        this.clients = clients;
    }

    @QueryMapping
    CampaignClientSetting campaignClientSetting(@Argument long id) {
        return settings.find(id);
    }

    @MutationMapping
    SettingPayload linkClient(@Argument LinkClientInput input) {
        return new SettingPayload(settings.link(input));
    }

    @MutationMapping
    SettingPayload updateCampaignClientSetting(@Argument long id, @Argument CampaignClientSettingInput input) {
        return new SettingPayload(settings.update(id, input));
    }

    @MutationMapping
    SettingPayload deactivateCampaignClientSetting(@Argument long id) {
        return new SettingPayload(settings.deactivate(id));
    }

    @BatchMapping
    Map<CampaignClientSetting, Client> client(List<CampaignClientSetting> list) {
        return Batches.one(list, CampaignClientSetting::clientId, clients::findByIds, Client::id);
    }

    @BatchMapping
    Map<CampaignClientSetting, Campaign> campaign(List<CampaignClientSetting> list) {
        return Batches.one(list, CampaignClientSetting::campaignId, campaigns::findByIds, Campaign::id);
    }

    record LinkClientInput(long campaignId, long clientId, Integer priority, Integer weight, Integer maxConcurrent,
            Integer totalCap, CampaignClientSetting.CapPeriod capPeriod) {
    }

    record CampaignClientSettingInput(Integer priority, Integer weight, Integer maxConcurrent, Integer totalCap,
            Boolean removeTotalCap, CampaignClientSetting.CapPeriod capPeriod, Boolean active) {
    }

    record SettingPayload(CampaignClientSetting setting) {
    }
}
