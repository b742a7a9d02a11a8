package io.capconduit.accounts;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class UsersAndApiTokensIntegrationTests {

    private static final String CREATE = "mutation ($input: CreateUserInput!) { createUser(input: $input) "
            + "{ user { id username role sellerId enabled } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAdminCreatesUpdatesAndDeactivatesUsers() {
        long seller = jdbc.queryForObject("SELECT id FROM sellers WHERE name = 'Acme Leads'", Long.class);
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "acme-ops",
                "password", "acme-ops-password", "role", "SELLER", "sellerId", seller)).execute()
                .path("createUser.user.id").entity(String.class).get());
        graphQl.as("acme-ops", "acme-ops-password").document("{ me { role sellerId } }").execute()
                .path("me.sellerId").entity(String.class).isEqualTo(String.valueOf(seller));
        assertThat(graphQl.as("admin").document("{ users { username } }").execute().path("users").entityList(Object.class)
                .get().toString()).contains("acme-ops").doesNotContain("bcrypt");

        graphQl.as("admin").document("mutation ($id: ID!) { updateUser(id: $id, input: {role: STAFF}) { user { role sellerId } } }")
                .variable("id", id).execute().path("updateUser.user.role").entity(String.class).isEqualTo("STAFF")
                .path("updateUser.user.sellerId").valueIsNull();
        graphQl.as("admin").document("mutation ($id: ID!) { deactivateUser(id: $id) { user { enabled } } }")
                .variable("id", id).execute().path("deactivateUser.user.enabled").entity(Boolean.class).isEqualTo(false);
        graphQl.client().defaultHeaders(h -> h.setBasicAuth("acme-ops", "acme-ops-password")).build().post()
                .bodyValue(Map.of("query", "{ me { role } }")).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void badUserInputNamesTheFieldAndOnlyAdminsMayManageUsers() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "short-pw", "password", "short",
                "role", "STAFF")).execute().errors().expect(badInput("input.password")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "lonely-seller",
                "password", "long-enough-pw", "role", "SELLER")).execute().errors()
                .expect(badInput("input.sellerId")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "staff", "password", "long-enough-pw",
                "role", "STAFF")).execute().errors().expect(badInput("input.username")).verify();
        graphQl.as("staff").document(CREATE).variable("input", Map.of("username", "by-staff", "password", "long-enough-pw",
                "role", "STAFF")).execute().errors().expect(classified("FORBIDDEN")).verify();
        graphQl.as("seller1").document("{ users { id } }").execute().errors().expect(classified("FORBIDDEN")).verify();
    }

    /** bcrypt reads 72 bytes of a password and Spring's encoder refuses more: a clear answer, not an error. */
    @Test
    void aPasswordLongerThanBcryptReadsIsABadRequest() {
        String tooLong = "é".repeat(37);   // 37 characters, 74 bytes
        graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "long-pw", "password", tooLong,
                "role", "STAFF")).execute().errors().expect(badInput("input.password")
                        .and(error -> error.getMessage().contains("72 bytes"))).verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE username = 'long-pw'", Integer.class)).isZero();

        String longest = "p".repeat(72);
        String id = graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "longest-pw",
                "password", longest, "role", "STAFF")).execute().path("createUser.user.id").entity(String.class).get();
        graphQl.as("longest-pw", longest).document("{ me { username } }").execute().path("me.username")
                .entity(String.class).isEqualTo("longest-pw");
        graphQl.as("admin").document("mutation ($id: ID!, $pw: String!) { updateUser(id: $id, input: {password: $pw}) "
                + "{ user { id } } }").variable("id", id).variable("pw", longest + "p").execute().errors()
                .expect(badInput("input.password")).verify();
        graphQl.as("longest-pw", longest).document("{ me { username } }").execute().path("me.username")
                .entity(String.class).isEqualTo("longest-pw");
    }

    @Test
    void aBearerTokenSignsInUntilItIsRevoked() {
        var created = graphQl.as("staff").document("mutation { createApiToken(input: {name: \"reporting\", expiresInDays: 30}) "
                + "{ token apiToken { id name expiresAt } } }").execute();
        String token = created.path("createApiToken.token").entity(String.class).get();
        String id = created.path("createApiToken.apiToken.id").entity(String.class).get();
        assertThat(token).startsWith("cc_").hasSizeGreaterThan(40);

        bearer(token).document("{ me { username } }").execute().path("me.username").entity(String.class).isEqualTo("staff");
        assertThat(graphQl.as("staff").document("{ myApiTokens { name } }").execute().path("myApiTokens")
                .entityList(Object.class).get().toString()).contains("reporting").doesNotContain(token);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_tokens WHERE position(convert_to(?, 'UTF8') in token_hash) > 0",
                Integer.class, token)).isZero();

        bearer(token).document("mutation ($id: ID!) { revokeApiToken(id: $id) { revokedAt } }").variable("id", id).execute()
                .path("revokeApiToken.revokedAt").hasValue();
        graphQl.client().defaultHeader("Authorization", "Bearer " + token).build().post()
                .bodyValue(Map.of("query", "{ me { username } }")).exchange().expectStatus().isUnauthorized();
        graphQl.client().defaultHeader("Authorization", "Bearer cc_made-up").build().post()
                .bodyValue(Map.of("query", "{ me { username } }")).exchange().expectStatus().isUnauthorized();

        graphQl.as("staff").document("mutation { createApiToken(input: {name: \"\"}) { token } }").execute()
                .errors().expect(badInput("input.name")).verify();
    }

    /** Otherwise a leaked short-lived token could mint a never-expiring one. */
    @Test
    void aTokenMadeWithATokenExpiresNoLaterThanIt() {
        String caller = "mutation { createApiToken(input: {name: \"short-lived\", expiresInDays: 1}) "
                + "{ token apiToken { expiresAt } } }";
        var created = graphQl.as("staff").document(caller).execute();
        String token = created.path("createApiToken.token").entity(String.class).get();
        String expiresAt = created.path("createApiToken.apiToken.expiresAt").entity(String.class).get();

        for (String expiry : new String[] { "", ", expiresInDays: 30" }) {
            bearer(token).document("mutation { createApiToken(input: {name: \"minted\"" + expiry + "}) "
                    + "{ apiToken { expiresAt } } }").execute()
                    .path("createApiToken.apiToken.expiresAt").hasValue().entity(String.class).isEqualTo(expiresAt);
        }
        // signed in with a password: as asked
        graphQl.as("staff").document("mutation { createApiToken(input: {name: \"by password\"}) { apiToken { expiresAt } } }")
                .execute().path("createApiToken.apiToken.expiresAt").valueIsNull();
    }

    @Test
    void aRememberedBearerTokenFollowsItsUsersChangesAtOnce() {
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("username", "token-ops",
                "password", "token-ops-password", "role", "STAFF")).execute().path("createUser.user.id")
                .entity(String.class).get());
        String token = graphQl.as("token-ops", "token-ops-password").document("mutation { createApiToken(input: "
                + "{name: \"ops\"}) { token } }").execute().path("createApiToken.token").entity(String.class).get();
        bearer(token).document("{ me { role } }").execute().path("me.role").entity(String.class).isEqualTo("STAFF");

        graphQl.as("admin").document("mutation ($id: ID!) { updateUser(id: $id, input: {role: ADMIN}) { user { role } } }")
                .variable("id", id).execute().path("updateUser.user.role").entity(String.class).isEqualTo("ADMIN");
        bearer(token).document("{ me { role } }").execute().path("me.role").entity(String.class).isEqualTo("ADMIN");

        graphQl.as("admin").document("mutation ($id: ID!) { deactivateUser(id: $id) { user { enabled } } }")
                .variable("id", id).execute().path("deactivateUser.user.enabled").entity(Boolean.class).isEqualTo(false);
        graphQl.client().defaultHeader("Authorization", "Bearer " + token).build().post()
                .bodyValue(Map.of("query", "{ me { role } }")).exchange().expectStatus().isUnauthorized();
    }

    /**
     * A token revoked, or its user changed, through another app instance (here: in the database directly, as that
     * instance's commit is) stops signing in here at once, not when this instance's memory of it runs out.
     */
    @Test
    void aRememberedBearerTokenRevokedThroughAnotherInstanceStopsSigningInAtOnce() {
        String token = graphQl.apiToken("staff");
        bearer(token).document("{ me { username } }").execute().path("me.username").entity(String.class)
                .isEqualTo("staff");
        long revokedAt = System.nanoTime();
        assertThat(jdbc.update("UPDATE api_tokens SET revoked_at = now() WHERE token_hash = sha256(convert_to(?, "
                + "'UTF8'))", token)).isOne();

        Eventually.await("the revoked token refused", RecentApiTokens.TTL.minusSeconds(2),
                () -> graphQl.client().defaultHeader("Authorization", "Bearer " + token).build().post()
                        .bodyValue(Map.of("query", "{ me { username } }")).exchange().returnResult(String.class)
                        .getStatus().value() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(RecentApiTokens.TTL);
    }

    private HttpGraphQlTester bearer(String token) {
        return HttpGraphQlTester.builder(graphQl.client().defaultHeader("Authorization", "Bearer " + token)).build();
    }
}
