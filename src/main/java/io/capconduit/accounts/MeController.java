package io.capconduit.accounts;

import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

@Controller
class MeController {

    @QueryMapping
    CurrentUser me(@AuthenticationPrincipal AuthenticatedUser user) {
        return new CurrentUser(user.userId(), user.getUsername(), user.role(), user.sellerScope());
    }

    record CurrentUser(long id, String username, Role role, Long sellerId) {
    }
}
