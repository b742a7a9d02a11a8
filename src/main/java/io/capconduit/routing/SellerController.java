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
class SellerController {

    private final SellerService sellers;
    private final CampaignMapper campaigns;
    private final DidMapper dids;

    SellerController(SellerService sellers, CampaignMapper campaigns, DidMapper dids) {
        this.sellers = sellers;
        this.campaigns = campaigns;
        this.dids = dids;
    }

    @QueryMapping
    List<Seller> sellers() {
        return sellers.findVisible();
    }

    @QueryMapping
    Seller seller(@Argument long id) {
        return sellers.find(id);
    }

    @MutationMapping
    SellerPayload createSeller(@Argument SellerInput input) {
        return new SellerPayload(sellers.create(input));
    }

    @MutationMapping
    SellerPayload updateSeller(@Argument long id, @Argument SellerInput input) {
        return new SellerPayload(sellers.update(id, input));
    }

    @MutationMapping
    SellerPayload deactivateSeller(@Argument long id) {
        return new SellerPayload(sellers.deactivate(id));
    }

    @BatchMapping
    Map<Seller, List<Campaign>> campaigns(List<Seller> list) {
        return Batches.many(list, Seller::id, campaigns::findBySellers, Campaign::sellerId);
    }

    @BatchMapping
    Map<Seller, List<Did>> dids(List<Seller> list) {
        return Batches.many(list, Seller::id, dids::findBySellers, Did::sellerId);
    }

    record SellerInput(String name, String email, String timeZone, Boolean active) {
    }

    record SellerPayload(Seller seller) {
    }
}
