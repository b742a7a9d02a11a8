package io.capconduit.telephony;

import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.HeldRowLocks;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class AsteriskServerIntegrationTests {

    private static final String CREATE = "mutation ($input: AsteriskServerInput!) { createAsteriskServer(input: $input) "
            + "{ asteriskServer { id name host amiPort systemName maxCallsPerSecond } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    AsteriskServerMapper servers;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void anAdminAddsAServerWhoseAmiSecretIsWriteOnly() {
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "pbx-test",
                "host", "10.0.0.5", "amiUsername", "capconduit", "amiSecret", "ami-secret-123", "systemName", "pbxtest",
                "maxCallsPerSecond", 25)).execute().path("createAsteriskServer.asteriskServer.id").entity(String.class).get());
        assertThat(servers.findAmiSecret(id)).isEqualTo("ami-secret-123");

        graphQl.as("admin").document("mutation ($id: ID!) { updateAsteriskServer(id: $id, input: {amiSecret: \"rotated-ami\"}) "
                + "{ asteriskServer { name } } }").variable("id", id).execute()
                .path("updateAsteriskServer.asteriskServer.name").entity(String.class).isEqualTo("pbx-test");
        assertThat(servers.findAmiSecret(id)).isEqualTo("rotated-ami");
        assertThat(graphQl.as("staff").document("{ asteriskServers { name host amiUsername systemName } }").execute()
                .path("asteriskServers").entityList(Object.class).get().toString())
                .contains("pbx-test").doesNotContain("rotated-ami").doesNotContain("demo-ami-secret");
        graphQl.as("admin").document("mutation ($id: ID!) { deactivateAsteriskServer(id: $id) { asteriskServer { active } } }")
                .variable("id", id).execute().path("deactivateAsteriskServer.asteriskServer.active").entity(Boolean.class)
                .isEqualTo(false);
    }

    @Test
    void badServerInputNamesTheField() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "pbx-bad", "host", "10.0.0.6",
                "amiUsername", "u", "amiSecret", "s", "amiPort", 0)).execute().errors()
                .expect(badInput("input.amiPort")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "pbx-bad", "host", "10.0.0.6",
                "amiUsername", "u")).execute().errors().expect(badInput("input.amiSecret")).verify();
        // a line break would add headers of its own to the Login action ("Events: off": no events, ever)
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "pbx-bad", "host", "10.0.0.6",
                "amiUsername", "u\r\nEvents: off", "amiSecret", "s")).execute().errors()
                .expect(badInput("input.amiUsername")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "pbx-bad", "host", "bad host!",
                "amiUsername", "u", "amiSecret", "s")).execute().errors().expect(badInput("input.host")).verify();
        graphQl.as("staff").document(CREATE).variable("input", Map.of("name", "pbx-staff", "host", "10.0.0.7",
                "amiUsername", "u", "amiSecret", "s")).execute().errors().expect(classified("FORBIDDEN")).verify();
    }

    /** The later of two changes at once starts from what the earlier one wrote: a deactivation is not undone. */
    @Test
    void aServerDeactivatedWhileAnotherAdminEditsItStaysDeactivated() throws Exception {
        long id = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_username, ami_secret, active) "
                + "VALUES ('pbx-race', '10.0.0.9', 'capconduit', 'race-secret', true) RETURNING id", Long.class);

        try (HeldRowLocks held = HeldRowLocks.take(dataSource, "SELECT 1 FROM asterisk_servers WHERE id = ? FOR UPDATE",
                id)) {
            held.queue(() -> graphQl.as("admin").document("mutation ($id: ID!) { deactivateAsteriskServer(id: $id) "
                    + "{ asteriskServer { id } } }").variable("id", id).execute().errors().verify());
            held.queue(() -> graphQl.as("admin").document("mutation ($id: ID!) { updateAsteriskServer(id: $id, "
                    + "input: {maxCallsPerSecond: 12}) { asteriskServer { id } } }").variable("id", id).execute()
                    .errors().verify());
            held.release();
        }

        assertThat(jdbc.queryForMap("SELECT active, max_calls_per_second::int AS rate FROM asterisk_servers WHERE id = ?",
                id)).containsEntry("active", false).containsEntry("rate", 12);
    }
}
