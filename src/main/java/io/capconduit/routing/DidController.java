package io.capconduit.routing;

import java.util.List;
import java.util.Map;

import io.capconduit.system.graphql.Batches;
import io.capconduit.system.graphql.Connection;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class DidController {

    private final DidService dids;
    private final CampaignMapper campaigns;

    DidController(DidService dids, CampaignMapper campaigns) {
        this.dids = dids;
        this.campaigns = campaigns;
    }

    @QueryMapping
    List<Did> dids(@Argument Long sellerId, @Argument Long campaignId) {
        return dids.search(sellerId, campaignId);
    }

    @QueryMapping
    Connection<Did> didConnection(@Argument Long sellerId, @Argument Long campaignId, @Argument Integer first,
            @Argument String after) {
        return dids.page(sellerId, campaignId, first, after);
    }

    @QueryMapping
    Did did(@Argument long id) {
        return dids.find(id);
    }

    @QueryMapping
    Did didByNumber(@Argument String number) {
        return dids.findByNumber(number);
    }

    @MutationMapping
    DidPayload createDid(@Argument DidInput input) {
        return new DidPayload(dids.create(input));
    }

    @MutationMapping
    DidPayload updateDid(@Argument long id, @Argument DidInput input) {
        return new DidPayload(dids.update(id, input));
    }

    @MutationMapping
    DidPayload assignDid(@Argument long id, @Argument Long campaignId) {
        return new DidPayload(dids.assign(id, campaignId));
    }

    @MutationMapping
    DidPayload deactivateDid(@Argument long id) {
        return new DidPayload(dids.deactivate(id));
    }

    @BatchMapping
    Map<Did, Campaign> campaign(List<Did> list) {
        return Batches.one(list, Did::campaignId, campaigns::findByIds, Campaign::id);
    }

    record DidInput(String number, Long sellerId, Long campaignId, String description, Boolean active) {
    }

    record DidPayload(Did did) {
    }
}
