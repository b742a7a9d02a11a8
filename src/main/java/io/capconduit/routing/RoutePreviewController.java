package io.capconduit.routing;

import java.time.Instant;

import io.capconduit.accounts.AuthenticatedUser;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

@Controller
class RoutePreviewController {

    private final RoutePreviewService service;

    RoutePreviewController(RoutePreviewService service) {
        this.service = service;
    }

    @QueryMapping
    RoutePreview routePreview(@Argument String did, @Argument Instant at,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return service.preview(did, at, user.sellerScope());
    }
}
