package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldRowLocks;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A unique value two requests take at once passes the service's check in both, and the later one's write meets the
 * database's constraint: its refusal says what conflicts and names the field, as the service's check would have. The
 * earlier request is a transaction of the test's own, holding the value uncommitted while the mutation waits on it.
 */
@IntegrationTest
class ConstraintConflictIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void everyConstraintNamedIsOneTheDatabaseHas() {
        List<String> names = jdbc.queryForList("SELECT conname::text FROM pg_constraint UNION "
                + "SELECT indexrelid::regclass::text FROM pg_index", String.class);
        assertThat(names).containsAll(ConstraintConflict.constraints());
    }

    @Test
    void aDidNumberTakenMeanwhileIsNamed() throws Exception {
        try (HeldRowLocks earlier = HeldRowLocks.take(dataSource, "INSERT INTO dids (number, seller_id) SELECT "
                + "'+12125550961', id FROM sellers WHERE name = 'Acme Leads' RETURNING id")) {
            long seller = jdbc.queryForObject("SELECT id FROM sellers WHERE name = 'Acme Leads'", Long.class);
            earlier.queue(() -> graphQl.as("staff").document("mutation ($input: DidInput!) { createDid(input: $input) "
                    + "{ did { id } } }").variable("input", Map.of("number", "+1 212 555 0961", "sellerId", seller))
                    .execute().errors().expect(badInput("input.number").and(error -> error.getMessage()
                            .equals("input.number: a DID with this number already exists"))).verify());
            earlier.release();
        }
    }

    @Test
    void aUserNameTakenMeanwhileIsNamed() throws Exception {
        try (HeldRowLocks earlier = HeldRowLocks.take(dataSource, "INSERT INTO users (username, password_hash, role, "
                + "enabled) VALUES ('race-taken', 'none', 'STAFF', false) RETURNING id")) {
            earlier.queue(() -> graphQl.as("admin").document("mutation ($input: CreateUserInput!) { createUser(input: "
                    + "$input) { user { id } } }").variable("input", Map.of("username", "race-taken", "password",
                            "race-password-1", "role", "STAFF")).execute().errors()
                    .expect(badInput("input.username").and(error -> error.getMessage()
                            .equals("input.username: a user with this user name already exists"))).verify());
            earlier.release();
        }
    }

    @Test
    void anExtensionTakenMeanwhileIsNamedWithoutTheSecret() throws Exception {
        try (HeldRowLocks earlier = HeldRowLocks.take(dataSource, "INSERT INTO agents (name, extension, endpoint) "
                + "VALUES ('Race Agent', '4791', 'agent-4791') RETURNING id")) {
            earlier.queue(() -> graphQl.as("admin").document("mutation ($input: AgentInput!) { createAgent(input: "
                    + "$input) { agent { id } } }").variable("input", Map.of("name", "Late Agent", "extension", "4791",
                            "secret", "race-agent-secret-1")).execute().errors()
                    .expect(badInput("input.extension").and(error -> error.getMessage()
                            .equals("input.extension: another agent has this extension already"))).verify());
            earlier.release();
        }
    }
}
