package io.capconduit.routing;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class SellerController {

    private final SellerService sellers;

    SellerController(SellerService sellers) {
        this.sellers = sellers;
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

    record SellerInput(String name, String email, String timeZone, Boolean active) {
    }

    record SellerPayload(Seller seller) {
    }
}
