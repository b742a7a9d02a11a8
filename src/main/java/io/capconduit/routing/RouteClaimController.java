package io.capconduit.routing;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

@Controller
class RouteClaimController {

    private final RouteClaimSweep sweep;

    RouteClaimController(RouteClaimSweep sweep) {
        this.sweep = sweep;
    }

    @MutationMapping
    ReleasedClaimsPayload releaseAsteriskServerClaims(@Argument long serverId) {
        return new ReleasedClaimsPayload(sweep.releaseGoneServer(serverId));
    }

    record ReleasedClaimsPayload(int released) {
    }
}
