package io.capconduit.accounts;

import java.util.Map;
import java.util.UUID;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A signed-in browser session follows its user's changes at the next request, not when the session expires. */
@IntegrationTest
class SessionUserIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Test
    void aSessionTakesARoleChangeAtOnceAndEndsWhenItsUserIsDeactivated() {
        String username = "session-" + UUID.randomUUID().toString().substring(0, 8);
        String id = graphQl.as("admin").document("mutation ($input: CreateUserInput!) { createUser(input: $input) "
                + "{ user { id } } }").variable("input", Map.of("username", username, "password", "session-pass-1",
                "role", "STAFF")).execute().path("createUser.user.id").entity(String.class).get();
        String session = BrowserSessions.signIn(graphQl.baseUrl(), username, "session-pass-1");
        assertThat(me(session)).contains("\"role\":\"STAFF\"");

        graphQl.as("admin").document("mutation ($id: ID!) { updateUser(id: $id, input: {role: SELLER, sellerId: 1}) "
                + "{ user { role } } }").variable("id", id).execute().path("updateUser.user.role").entity(String.class)
                .isEqualTo("SELLER");
        assertThat(me(session)).contains("\"role\":\"SELLER\"");

        graphQl.as("admin").document("mutation ($id: ID!) { deactivateUser(id: $id) { user { enabled } } }")
                .variable("id", id).execute().path("deactivateUser.user.enabled").entity(Boolean.class).isEqualTo(false);
        client().post().uri("/graphql").header(HttpHeaders.COOKIE, "JSESSIONID=" + session)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":\"{ me { role } }\"}")
                .exchange().expectStatus().value(status -> assertThat(status).isIn(302, 401));
    }

    private String me(String session) {
        return client().post().uri("/graphql").header(HttpHeaders.COOKIE, "JSESSIONID=" + session)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":\"{ me { role } }\"}")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl()).build();
    }
}
