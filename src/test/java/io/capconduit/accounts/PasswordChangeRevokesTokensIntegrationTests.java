package io.capconduit.accounts;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A new password cuts off the API tokens made while the old one was good. */
@IntegrationTest
class PasswordChangeRevokesTokensIntegrationTests {

    private static final String CREATE_TOKEN = "mutation { createApiToken(input: {name: \"script\"}) { token } }";

    @Autowired
    UserMapper users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void changingYourOwnPasswordRevokesYourTokensTheOneSendingItIncluded() {
        users.insert(new UserMapper.NewUser("tok-revoke-own", encoder.encode("old-password"), Role.STAFF, null,
                true));
        String other = createToken("tok-revoke-own", "old-password");
        String sender = createToken("tok-revoke-own", "old-password");

        withToken(sender).post().bodyValue(Map.of("query", """
                mutation { changeMyPassword(input: {currentPassword: "old-password", newPassword: "new-password"})
                { changed } }""")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.changeMyPassword.changed").isEqualTo(true);

        askMe(sender).expectStatus().isUnauthorized();
        askMe(other).expectStatus().isUnauthorized();
        askMe(createToken("tok-revoke-own", "new-password")).expectStatus().isOk()
                .expectBody().jsonPath("$.data.me.username").isEqualTo("tok-revoke-own");
    }

    @Test
    void anAdminResettingAPasswordRevokesThatUsersTokensOnly() {
        UserMapper.NewUser row = new UserMapper.NewUser("tok-revoke-reset", encoder.encode("old-password"),
                Role.STAFF, null, true);
        users.insert(row);
        String before = createToken("tok-revoke-reset", "old-password");
        String staffs = graphQl.apiToken("staff");

        graphQl.as("admin").document("mutation ($id: ID!) { updateUser(id: $id, input: {password: \"reset-password\"}) "
                + "{ user { id } } }").variable("id", row.id).execute().path("updateUser.user.id").hasValue();

        askMe(before).expectStatus().isUnauthorized();
        askMe(createToken("tok-revoke-reset", "reset-password")).expectStatus().isOk();
        askMe(staffs).expectStatus().isOk();
    }

    private String createToken(String username, String password) {
        return graphQl.as(username, password).document(CREATE_TOKEN).execute().path("createApiToken.token")
                .entity(String.class).get();
    }

    private WebTestClient.ResponseSpec askMe(String token) {
        return withToken(token).post().bodyValue(Map.of("query", "{ me { username } }")).exchange();
    }

    private WebTestClient withToken(String token) {
        return graphQl.client().defaultHeaders(h -> h.setBearerAuth(token)).build();
    }
}
