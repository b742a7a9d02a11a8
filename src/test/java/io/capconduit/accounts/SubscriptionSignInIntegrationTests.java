package io.capconduit.accounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.ConnectableFlux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketDisconnectedException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A subscription lives no longer than the sign-in it was opened with: a WebSocket opened by a user who is then
 * disabled, demoted, given a new password, or whose API token is revoked, or whose browser session signs out, stops
 * receiving (callEvents would otherwise show every seller's live calls to a former staff member for as long as the
 * socket stays open).
 */
@IntegrationTest
class SubscriptionSignInIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENTS = "subscription { callEvents { kind linkedId sellerId } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();

    record Event(String kind, String linkedId, String sellerId) {
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(socket -> socket.stop().block(WAIT));
    }

    @Test
    void aDeactivatedUsersSubscriptionEnds() {
        NewUser staff = newStaff();
        ConnectableFlux<Event> events = live(staff.basic());

        admin("mutation ($id: ID!) { deactivateUser(id: $id) { user { id } } }", Map.of("id", staff.id()));

        assertEndsUnauthorized(events);
    }

    /** Demoted to one seller's user, it must not go on seeing every seller's calls. */
    @Test
    void aDemotedUsersSubscriptionEnds() {
        NewUser staff = newStaff();
        ConnectableFlux<Event> events = live(staff.basic());

        admin("mutation ($id: ID!, $seller: ID!) { updateUser(id: $id, input: {role: SELLER, sellerId: $seller}) "
                + "{ user { id } } }", Map.of("id", staff.id(), "seller", sellerId("Acme Leads")));

        assertEndsUnauthorized(events);
    }

    @Test
    void aNewPasswordEndsTheUsersSubscriptions() {
        NewUser staff = newStaff();
        ConnectableFlux<Event> events = live(staff.basic());

        admin("mutation ($id: ID!) { updateUser(id: $id, input: {password: \"another-pass-2\"}) { user { id } } }",
                Map.of("id", staff.id()));

        assertEndsUnauthorized(events);
    }

    @Test
    void aRevokedApiTokensSubscriptionEnds() {
        NewUser staff = newStaff();
        String token = graphQl.as(staff.username(), NewUser.PASSWORD)
                .document("mutation { createApiToken(input: {name: \"wallboard\"}) { token apiToken { id } } }")
                .execute().path("createApiToken.token").entity(String.class).get();
        String tokenId = jdbc.queryForObject("SELECT max(id)::text FROM api_tokens WHERE user_id = ?::bigint",
                String.class, staff.id());
        ConnectableFlux<Event> events = live(headers -> headers.setBearerAuth(token));

        graphQl.as(staff.username(), NewUser.PASSWORD).document("mutation ($id: ID!) { revokeApiToken(id: $id) { id } }")
                .variable("id", tokenId).execute().path("revokeApiToken.id").hasValue();

        assertEndsUnauthorized(events);
    }

    /** Disabled while its page stays open: the session sends no request that would find out, the socket its events. */
    @Test
    void aBrowserSessionsSubscriptionEndsWhenItsUserIsDeactivated() {
        NewUser staff = newStaff();
        String session = BrowserSessions.signIn(graphQl.baseUrl(), staff.username(), NewUser.PASSWORD);
        ConnectableFlux<Event> events = live(headers -> {
            headers.add(HttpHeaders.COOKIE, "JSESSIONID=" + session);
            headers.add(HttpHeaders.ORIGIN, graphQl.baseUrl());
        });

        admin("mutation ($id: ID!) { deactivateUser(id: $id) { user { id } } }", Map.of("id", staff.id()));

        assertEndsUnauthorized(events);
    }

    /** A token that expires while its socket is open ends its subscriptions then, with no change to tell of it. */
    @Test
    void anApiTokensSubscriptionEndsWhenTheTokenExpires() {
        NewUser staff = newStaff();
        String token = graphQl.as(staff.username(), NewUser.PASSWORD)
                .document("mutation { createApiToken(input: {name: \"short-lived\", expiresInDays: 1}) { token } }")
                .execute().path("createApiToken.token").entity(String.class).get();
        jdbc.update("UPDATE api_tokens SET expires_at = now() + interval '10 seconds' WHERE user_id = ?::bigint",
                staff.id());
        ConnectableFlux<Event> events = live(headers -> headers.setBearerAuth(token));

        assertEndsUnauthorized(events);
        assertThat(jdbc.queryForObject("SELECT expires_at < now() FROM api_tokens WHERE user_id = ?::bigint",
                Boolean.class, staff.id())).as("ended once expired, not before").isTrue();
    }

    @Test
    void aSignedOutBrowserSessionsSubscriptionEnds() {
        NewUser staff = newStaff();
        String session = BrowserSessions.signIn(graphQl.baseUrl(), staff.username(), NewUser.PASSWORD);
        ConnectableFlux<Event> events = live(headers -> {
            headers.add(HttpHeaders.COOKIE, "JSESSIONID=" + session);
            headers.add(HttpHeaders.ORIGIN, graphQl.baseUrl());
        });

        signOut(session);

        // Tomcat closes the WebSockets of an HTTP session that ends (policy violation)
        assertThatThrownBy(() -> events.filter(e -> false).blockLast(WAIT))
                .isInstanceOfSatisfying(WebSocketDisconnectedException.class,
                        ex -> assertThat(ex.getCloseStatus().getCode()).isEqualTo(1008));
    }

    /** Another user's change, or a change that leaves this user's rights as they were, ends nothing. */
    @Test
    void aSubscriptionWhoseSignInStandsGoesOn() {
        NewUser staff = newStaff();
        NewUser other = newStaff();
        List<Event> seen = new CopyOnWriteArrayList<>();
        ConnectableFlux<Event> events = live(staff.basic());
        events.subscribe(seen::add, error -> seen.add(new Event("ERROR", null, null)));

        admin("mutation ($id: ID!) { deactivateUser(id: $id) { user { id } } }", Map.of("id", other.id()));
        admin("mutation ($id: ID!) { updateUser(id: $id, input: {role: STAFF, enabled: true}) { user { id } } }",
                Map.of("id", staff.id()));

        // the changes' own notifications are read before a probe sent after them
        String probe = probe();
        Eventually.await("the probe after the changes", WAIT, () -> seen.stream()
                .anyMatch(e -> probe.equals(e.linkedId())));
        assertThat(seen).extracting(Event::kind).doesNotContain("ERROR");
    }

    record NewUser(String id, String username) {

        static final String PASSWORD = "subscriber-pass-1";

        Consumer<HttpHeaders> basic() {
            return headers -> headers.setBasicAuth(username, PASSWORD);
        }
    }

    private NewUser newStaff() {
        String username = "subscriber-" + UUID.randomUUID().toString().substring(0, 8);
        String id = graphQl.as("admin").document("mutation ($input: CreateUserInput!) { createUser(input: $input) "
                + "{ user { id } } }").variable("input", Map.of("username", username, "password", NewUser.PASSWORD,
                "role", "STAFF")).execute().path("createUser.user.id").entity(String.class).get();
        return new NewUser(id, username);
    }

    private void admin(String mutation, Map<String, Object> variables) {
        var request = graphQl.as("admin").document(mutation);
        variables.forEach(request::variable);
        request.execute().errors().verify();
    }

    private static void assertEndsUnauthorized(ConnectableFlux<Event> events) {
        assertThatThrownBy(() -> events.filter(e -> false).blockLast(WAIT))
                .isInstanceOfSatisfying(SubscriptionErrorException.class, ex -> assertThat(ex.getErrors())
                        .singleElement().satisfies(error ->
                                assertThat(error.getExtensions()).containsEntry("classification", "UNAUTHORIZED")));
    }

    /** callEvents of every seller, replayed to each reader, once a probe sent after subscribing has come through. */
    private ConnectableFlux<Event> live(Consumer<HttpHeaders> handshake) {
        WebSocketGraphQlTester socket = graphQl.webSocket(handshake);
        sockets.add(socket);
        List<Event> seen = new CopyOnWriteArrayList<>();
        ConnectableFlux<Event> events = socket.document(EVENTS).executeSubscription().toFlux("callEvents", Event.class)
                .doOnNext(seen::add).replay();
        events.connect();
        Eventually.await("the subscription live", WAIT, () -> {
            probe();
            return seen.stream().anyMatch(e -> e.linkedId() != null && e.linkedId().startsWith("probe-"));
        });
        return events;
    }

    /** A dialer event of a campaign, as the outbound queue's trigger sends it; answers its linked id. */
    private String probe() {
        String probe = "probe-" + UUID.randomUUID();
        jdbc.queryForList("SELECT pg_notify('capconduit_call_events', json_build_object('s', 'QUEUE', 'uid', ?::text, "
                + "'campaign', (SELECT min(id) FROM campaigns), 'status', 'DIALING', 'at', now())::text)", probe);
        return probe;
    }

    /** Signs the browser session out as its page does: the logout form, with its CSRF token. */
    private void signOut(String session) {
        WebTestClient client = WebTestClient.bindToServer(new JdkClientHttpConnector()).baseUrl(graphQl.baseUrl())
                .build();
        String page = client.get().uri("/logout").cookie("JSESSIONID", session).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("the logout page has a CSRF token").isTrue();
        var form = new LinkedMultiValueMap<String, String>();
        form.add("_csrf", csrf.group(1));
        client.post().uri("/logout").cookie("JSESSIONID", session).body(BodyInserters.fromFormData(form)).exchange()
                .expectStatus().value(status -> assertThat(status).isIn(204, 302));
    }

    private String sellerId(String name) {
        return jdbc.queryForObject("SELECT id::text FROM sellers WHERE name = ?", String.class, name);
    }
}
