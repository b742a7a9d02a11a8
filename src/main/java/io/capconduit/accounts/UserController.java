package io.capconduit.accounts;

import java.util.List;

import io.capconduit.system.graphql.Connection;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

@Controller
class UserController {

    private final UserService users;
    private final ApiTokens tokens;

    UserController(UserService users, ApiTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @QueryMapping
    List<User> users() {
        return users.findAll();
    }

    @QueryMapping
    Connection<User> userConnection(@Argument Integer first, @Argument String after) {
        return users.page(first, after);
    }

    @QueryMapping
    User user(@Argument long id) {
        return users.find(id);
    }

    @MutationMapping
    UserPayload createUser(@Argument CreateUserInput input) {
        return new UserPayload(users.create(input));
    }

    @MutationMapping
    UserPayload updateUser(@Argument long id, @Argument UpdateUserInput input) {
        return new UserPayload(users.update(id, input));
    }

    @MutationMapping
    UserPayload deactivateUser(@Argument long id) {
        return new UserPayload(users.deactivate(id));
    }

    @QueryMapping
    List<ApiToken> myApiTokens(@AuthenticationPrincipal AuthenticatedUser user) {
        return tokens.list(user.userId());
    }

    @QueryMapping
    Connection<ApiToken> myApiTokenConnection(@Argument Integer first, @Argument String after,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return tokens.page(user.userId(), first, after);
    }

    @MutationMapping
    ApiTokens.Created createApiToken(@Argument CreateApiTokenInput input,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return tokens.create(user.userId(), input.name(), input.expiresInDays());
    }

    @MutationMapping
    ApiToken revokeApiToken(@Argument long id, @AuthenticationPrincipal AuthenticatedUser user) {
        return tokens.revoke(user.userId(), id);
    }

    record CreateUserInput(String username, String password, Role role, Long sellerId) {

        @Override
        public String toString() {
            return "CreateUserInput[username=" + username + ", password=" + Passwords.masked(password) + ", role="
                    + role + ", sellerId=" + sellerId + "]";
        }
    }

    record UpdateUserInput(Role role, Long sellerId, String password, Boolean enabled) {

        @Override
        public String toString() {
            return "UpdateUserInput[role=" + role + ", sellerId=" + sellerId + ", password="
                    + Passwords.masked(password) + ", enabled=" + enabled + "]";
        }
    }

    record CreateApiTokenInput(String name, Integer expiresInDays) {
    }

    record UserPayload(User user) {
    }
}
