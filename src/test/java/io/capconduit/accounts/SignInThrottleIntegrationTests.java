package io.capconduit.accounts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.SqlStatementCounter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Wrong passwords past {@code capconduit.sign-in-throttle.max-failures-per-username} (5) are refused with 429.
 * Every request of the suite comes from one address: these tests stay well below its own limit (50).
 */
@IntegrationTest
class SignInThrottleIntegrationTests {

    @Autowired
    UserMapper users;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    SqlStatementCounter statements;

    @Test
    void fiveWrongPasswordsRefuseTheRightOneToThatUserOnly() {
        givenUser("throttle-ann");
        givenUser("throttle-bob");
        for (int i = 0; i < 5; i++) {
            askMe("throttle-ann", "wrong-password").expectStatus().isUnauthorized();
        }

        askMe("throttle-ann", "right-password").expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Long.parseLong(seconds))
                        .isBetween(1L, 900L));
        BrowserSessions.postLogin(graphQl.baseUrl(), "throttle-ann", "right-password").expectStatus()
                .isEqualTo(429);
        askMe("throttle-bob", "right-password").expectStatus().isOk();
    }

    @Test
    void aSuccessfulSignInClearsTheUsersFailures() {
        givenUser("throttle-carl");
        for (int i = 0; i < 4; i++) {
            askMe("throttle-carl", "wrong-password").expectStatus().isUnauthorized();
        }
        askMe("throttle-carl", "right-password").expectStatus().isOk();
        askMe("throttle-carl", "wrong-password").expectStatus().isUnauthorized();

        askMe("throttle-carl", "right-password").expectStatus().isOk();
    }

    /** Every request signed in with HTTP Basic asks the throttle: one statement, not a clearing of nothing too. */
    @Test
    void aSignInWithNoFailuresCostsTheThrottleOneStatement() {
        givenUser("throttle-eve");
        askMe("throttle-eve", "right-password").expectStatus().isOk();

        Map<String, Long> before = throttleStatements();
        askMe("throttle-eve", "right-password").expectStatus().isOk();
        assertThat(throttleStatementsSince(before)).containsExactly(entry("counts", 1L));

        // the failure counted (the name's and the address's); the next success clears it
        before = throttleStatements();
        askMe("throttle-eve", "wrong-password").expectStatus().isUnauthorized();
        assertThat(throttleStatementsSince(before)).containsExactly(entry("count", 2L), entry("counts", 1L),
                entry("deleteExpired", 1L));
        before = throttleStatements();
        askMe("throttle-eve", "right-password").expectStatus().isOk();
        assertThat(throttleStatementsSince(before)).containsExactly(entry("clear", 1L), entry("counts", 1L));
    }

    private Map<String, Long> throttleStatements() {
        Map<String, Long> counts = new TreeMap<>();
        for (String name : List.of("counts", "count", "clear", "deleteExpired")) {
            counts.put(name, statements.count(SignInFailureMapper.class.getName() + "." + name));
        }
        return counts;
    }

    private Map<String, Long> throttleStatementsSince(Map<String, Long> before) {
        Map<String, Long> ran = new TreeMap<>();
        throttleStatements().forEach((name, count) -> {
            if (count > before.get(name)) {
                ran.put(name, count - before.get(name));
            }
        });
        return ran;
    }

    @Test
    void wrongCurrentPasswordsInChangeMyPasswordAreThrottledToo() {
        givenUser("throttle-dora");
        String token = graphQl.as("throttle-dora", "right-password").document(
                "mutation { createApiToken(input: {name: \"t\"}) { token } }").execute()
                .path("createApiToken.token").entity(String.class).get();
        var signedIn = graphQl.anonymous().mutate().header(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
        for (int i = 0; i < 5; i++) {
            signedIn.document(ChangeMyPasswordIntegrationTests.CHANGE).variable("current", "wrong-password")
                    .variable("next", "new-password").execute().errors()
                    .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))).verify();
        }

        signedIn.document(ChangeMyPasswordIntegrationTests.CHANGE).variable("current", "right-password")
                .variable("next", "new-password").execute().errors()
                .expect(error -> "TOO_MANY_REQUESTS".equals(error.getExtensions().get("classification"))
                        && error.getExtensions().get("retryAfterSeconds") instanceof Number)
                .verify();
        askMe("throttle-dora", "right-password").expectStatus().isEqualTo(429);
    }

    private void givenUser(String username) {
        users.insert(new UserMapper.NewUser(username, encoder.encode("right-password"), Role.STAFF, null, true));
    }

    private WebTestClient.ResponseSpec askMe(String username, String password) {
        return graphQl.client().defaultHeaders(h -> h.setBasicAuth(username, password)).build().post()
                .bodyValue(Map.of("query", "{ me { username } }")).exchange();
    }
}
