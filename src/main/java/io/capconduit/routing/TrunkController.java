package io.capconduit.routing;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class TrunkController {

    private final TrunkService trunks;

    TrunkController(TrunkService trunks) {
        this.trunks = trunks;
    }

    @QueryMapping
    List<Trunk> trunks() {
        return trunks.findAll();
    }

    @QueryMapping
    Trunk trunk(@Argument long id) {
        return trunks.find(id);
    }

    @MutationMapping
    TrunkPayload createTrunk(@Argument TrunkInput input) {
        return new TrunkPayload(trunks.create(input));
    }

    @MutationMapping
    TrunkPayload updateTrunk(@Argument long id, @Argument TrunkInput input) {
        return new TrunkPayload(trunks.update(id, input));
    }

    @MutationMapping
    TrunkPayload deactivateTrunk(@Argument long id) {
        return new TrunkPayload(trunks.deactivate(id));
    }

    record TrunkInput(String name, String endpoint, String host, Integer port, List<String> matchIps, String dialPrefix,
            Boolean active) {
    }

    record TrunkPayload(Trunk trunk) {
    }
}
