package io.capconduit.accounts;

import java.util.Map;
import java.util.UUID;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** A signed-in browser session follows its user's changes at the next request, not when the session expires. */
@IntegrationTest
class SessionUserIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    /** A person who opens the site's address and signs in lands on GraphiQL, not on a 404 page. */
    @Test
    void theSitesRootLeadsASignedInPersonToGraphiql() {
        String session = BrowserSessions.signIn(graphQl.baseUrl(), "staff", "demo");

        client().get().uri("/").header(HttpHeaders.COOKIE, "JSESSIONID=" + session).exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().value(HttpHeaders.LOCATION, location -> assertThat(location).endsWith("/graphiql/"));
        client().get().uri("/graphiql/").header(HttpHeaders.COOKIE, "JSESSIONID=" + session).exchange()
                .expectStatus().isOk().expectBody(String.class).value(page -> assertThat(page).contains("GraphiQL"));
    }

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

    @Test
    void aPasswordChangeEndsTheUsersOtherSessionsAndTheChangingOneGoesOnUnderANewId() {
        String username = "pw-session-" + UUID.randomUUID().toString().substring(0, 8);
        String id = graphQl.as("admin").document("mutation ($input: CreateUserInput!) { createUser(input: $input) "
                + "{ user { id } } }").variable("input", Map.of("username", username, "password", "session-pass-1",
                "role", "STAFF")).execute().path("createUser.user.id").entity(String.class).get();
        String changing = BrowserSessions.signIn(graphQl.baseUrl(), username, "session-pass-1");
        String other = BrowserSessions.signIn(graphQl.baseUrl(), username, "session-pass-1");

        EntityExchangeResult<String> changed = client().post().uri("/graphql")
                .header(HttpHeaders.COOKIE, "JSESSIONID=" + changing).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", "mutation { changeMyPassword(input: {currentPassword: \"session-pass-1\", "
                        + "newPassword: \"session-pass-2\"}) { changed } }"))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(changed.getResponseBody()).contains("\"changed\":true");

        assertSignedOut(other);
        ResponseCookie renewed = changed.getResponseCookies().getFirst("JSESSIONID");
        assertThat(renewed).as("a new id for the session that made the change").isNotNull();
        assertThat(me(renewed.getValue())).contains("\"role\":\"STAFF\"");
        assertSignedOut(changing);   // whoever else held the changing session's cookie

        // an admin's reset ends every session of the user
        String later = BrowserSessions.signIn(graphQl.baseUrl(), username, "session-pass-2");
        graphQl.as("admin").document("mutation ($id: ID!) { updateUser(id: $id, input: {password: \"session-pass-3\"}) "
                + "{ user { id } } }").variable("id", id).execute().path("updateUser.user.id").hasValue();
        assertSignedOut(later);
        assertSignedOut(renewed.getValue());
    }

    private void assertSignedOut(String session) {
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
