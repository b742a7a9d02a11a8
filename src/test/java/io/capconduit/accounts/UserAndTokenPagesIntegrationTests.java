package io.capconduit.accounts;

import java.util.List;
import java.util.Map;

import io.capconduit.support.ConnectionWalk;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users and API tokens are lists that only grow (tokens stay listed once revoked): besides users and myApiTokens,
 * which hold every one, they are read a page at a time, each page bounded like every other connection's.
 */
@IntegrationTest
class UserAndTokenPagesIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anAdminPagesThroughEveryUser() {
        jdbc.update("INSERT INTO users (username, password_hash, role) SELECT 'paged-user-' || g, 'not a hash', 'STAFF' "
                + "FROM generate_series(1, 7) g");
        List<String> all = graphQl.as("admin").document("{ users { id } }").execute().path("users[*].id")
                .entityList(String.class).get();

        List<Map<String, Object>> paged = ConnectionWalk.nodes(graphQl.as("admin"), "query ($after: String) "
                + "{ userConnection(first: 3, after: $after) { edges { cursor node { id username role } } "
                + "pageInfo { hasNextPage endCursor } } }", "userConnection", Map.of());

        assertThat(paged).extracting(node -> (String) node.get("id")).containsExactlyInAnyOrderElementsOf(all)
                .isSortedAccordingTo((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        graphQl.as("staff").document("{ userConnection { edges { node { id } } } }").execute().errors()
                .expect(error -> "FORBIDDEN".equals(error.getExtensions().get("classification"))).verify();
        graphQl.as("admin").document("{ userConnection(first: 501) { edges { node { id } } } }").execute().errors()
                .expect(error -> "first".equals(error.getExtensions().get("field"))).verify();
    }

    @Test
    void aUserPagesThroughItsOwnTokensOnly() {
        long seller2 = jdbc.queryForObject("SELECT id FROM users WHERE username = 'seller2'", Long.class);
        jdbc.update("INSERT INTO api_tokens (user_id, name, token_hash, revoked_at) SELECT ?, 'paged token ' || g, "
                + "sha256(('paged token ' || g)::bytea), CASE WHEN g % 2 = 0 THEN now() END FROM generate_series(1, 5) g",
                seller2);
        jdbc.update("INSERT INTO api_tokens (user_id, name, token_hash) SELECT id, 'not seller2''s', "
                + "sha256('not seller2''s'::bytea) FROM users WHERE username = 'seller1'");
        List<String> all = graphQl.as("seller2").document("{ myApiTokens { id } }").execute().path("myApiTokens[*].id")
                .entityList(String.class).get();

        List<Map<String, Object>> paged = ConnectionWalk.nodes(graphQl.as("seller2"), "query ($after: String) "
                + "{ myApiTokenConnection(first: 2, after: $after) { edges { cursor node { id name revokedAt } } "
                + "pageInfo { hasNextPage endCursor } } }", "myApiTokenConnection", Map.of());

        assertThat(all).hasSizeGreaterThanOrEqualTo(5);
        assertThat(paged).extracting(node -> (String) node.get("id")).containsExactlyElementsOf(all);
        assertThat(paged).extracting(node -> node.get("name")).doesNotContain("not seller2's");
        graphQl.as("seller2").document("{ myApiTokenConnection(first: 0) { edges { node { id } } } }").execute()
                .errors().expect(error -> "first".equals(error.getExtensions().get("field"))).verify();
    }
}
