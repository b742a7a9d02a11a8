package io.capconduit.dialer;

import java.time.Instant;
import java.util.List;
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

/** Agents over GraphQL and their phones' PJSIP rows. */
@IntegrationTest
class AgentIntegrationTests {

    private static final String CREATE = "mutation ($input: AgentInput!) { createAgent(input: $input) "
            + "{ agent { id endpoint state hasSecret campaignIds } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    AgentStateMapper agentStates;

    @Test
    void anAgentExtensionIsProvisionedForAPhoneBehindNatAndRemovedOnDeactivation() {
        long campaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'", Long.class);
        var created = graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Fay Agent",
                "extension", "2001", "secret", "agent-2001-secret", "campaignIds", List.of(campaign, campaign)))
                .execute();   // listed twice: linked once
        created.path("createAgent.agent.endpoint").entity(String.class).isEqualTo("agent-2001")
                .path("createAgent.agent.hasSecret").entity(Boolean.class).isEqualTo(true)
                .path("createAgent.agent.campaignIds").entityList(String.class).containsExactly(String.valueOf(campaign));
        long id = Long.parseLong(created.path("createAgent.agent.id").entity(String.class).get());

        assertThat(jdbc.queryForMap("SELECT context, auth, aors, rewrite_contact::text, direct_media::text "
                + "FROM ps_endpoints WHERE id = 'agent-2001'")).containsEntry("context", "agents")
                .containsEntry("auth", "agent-2001").containsEntry("aors", "agent-2001")
                .containsEntry("rewrite_contact", "yes").containsEntry("direct_media", "no");
        assertThat(jdbc.queryForObject("SELECT max_contacts FROM ps_aors WHERE id = 'agent-2001'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT password FROM ps_auths WHERE id = 'agent-2001'", String.class))
                .isEqualTo("agent-2001-secret");

        graphQl.as("admin").document("mutation ($id: ID!) { deactivateAgent(id: $id) { agent { active } } }")
                .variable("id", id).execute().path("deactivateAgent.agent.active").entity(Boolean.class).isEqualTo(false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_endpoints WHERE id = 'agent-2001'", Integer.class)).isZero();
        graphQl.as("admin").document("mutation ($id: ID!) { updateAgent(id: $id, input: {active: true, name: \"Fay B\"}) "
                + "{ agent { name active } } }").variable("id", id).execute()
                .path("updateAgent.agent.name").entity(String.class).isEqualTo("Fay B");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_endpoints WHERE id = 'agent-2001'", Integer.class)).isOne();
    }

    /** A client may hold the endpoint id a new extension would give its agent; the agent must not take it over. */
    @Test
    void anExtensionWhoseEndpointAnotherEntityHoldsIsRefused() {
        graphQl.as("admin").document("mutation { createClient(input: {name: \"Agent Lookalike Co\", "
                + "endpoint: \"agent-3901\", sipHost: \"10.1.1.1\"}) { client { id } } }").execute()
                .path("createClient.client.id").hasValue();

        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Gus Agent", "extension", "3901",
                "secret", "agent-3901-secret")).execute().errors().expect(badInput("input.extension")).verify();

        assertThat(jdbc.queryForObject("SELECT context FROM ps_endpoints WHERE id = 'agent-3901'", String.class))
                .isEqualTo("from-clients");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_auths WHERE id = 'agent-3901'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agents WHERE extension = '3901'", Integer.class)).isZero();
    }

    /** Asterisk's res_config_odbc would split the secret at ; and decode ^3B: the phone could never register. */
    @Test
    void aSecretAsterisksRealtimeWouldMangleIsRefused() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Semi Colon", "extension", "2005",
                "secret", "abcdefghijk;x")).execute().errors().expect(badInput("input.secret")).verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agents WHERE extension = '2005'", Integer.class)).isZero();

        String before = jdbc.queryForObject("SELECT password FROM ps_auths WHERE id = 'agent-1001'", String.class);
        String id = jdbc.queryForObject("SELECT id::text FROM agents WHERE extension = '1001'", String.class);
        graphQl.as("admin").document("mutation ($id: ID!) { updateAgent(id: $id, input: {secret: \"abcdefghijk^3B\"}) "
                + "{ agent { id } } }").variable("id", id).execute().errors().expect(badInput("input.secret")).verify();
        assertThat(jdbc.queryForObject("SELECT password FROM ps_auths WHERE id = 'agent-1001'", String.class))
                .isEqualTo(before);
    }

    @Test
    void badAgentInputNamesTheFieldAndOnlyAdminsCreateAgents() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "X", "extension", "1a", "secret",
                "agent-secret-xyz")).execute().errors().expect(badInput("input.extension")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "X", "extension", "1001", "secret",
                "agent-secret-xyz")).execute().errors().expect(badInput("input.extension")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "X", "extension", "2002")).execute()
                .errors().expect(badInput("input.secret")).verify();
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "X", "extension", "2003", "secret",
                "agent-secret-xyz", "campaignIds", List.of(999999))).execute().errors()
                .expect(badInput("input.campaignIds[0]")).verify();
        // an empty ID binds to no number at all: named like an unknown one, not an internal error
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "X", "extension", "2005", "secret",
                "agent-secret-xyz", "campaignIds", List.of(""))).execute().errors()
                .expect(badInput("input.campaignIds[0]")).verify();
        graphQl.as("admin").document("mutation ($c: [ID!]) { updateAgent(id: 1, input: {campaignIds: $c}) { agent { id } } }")
                .variable("c", List.of("")).execute().errors().expect(badInput("input.campaignIds[0]")).verify();
        graphQl.as("staff").document(CREATE).variable("input", Map.of("name", "X", "extension", "2004", "secret",
                "agent-secret-xyz")).execute().errors().expect(classified("FORBIDDEN")).verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM agents WHERE extension IN ('2002', '2003', '2004', '2005')",
                Integer.class)).isZero();
        graphQl.as("staff").document("{ agents { extension hasSecret } }").execute().path("agents").entityList(Object.class)
                .satisfies(agents -> assertThat(agents.toString()).contains("1001").doesNotContain("demo-sip-secret"));
    }

    /** The later of two changes at once starts from what the earlier one wrote: a deactivation is not undone. */
    @Test
    void anAgentDeactivatedWhileAnotherAdminEditsItStaysDeactivated() throws Exception {
        long campaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'", Long.class);
        long id = jdbc.queryForObject("INSERT INTO agents (name, extension, endpoint) VALUES ('Gus Agent', '4477', "
                + "'agent-4477') RETURNING id", Long.class);

        try (HeldRowLocks held = HeldRowLocks.take(dataSource, "SELECT 1 FROM agents WHERE id = ? FOR UPDATE", id)) {
            held.queue(() -> graphQl.as("admin").document("mutation ($id: ID!) { deactivateAgent(id: $id) { agent { id } } }")
                    .variable("id", id).execute().errors().verify());
            held.queue(() -> graphQl.as("admin").document("mutation ($id: ID!, $c: ID!) { updateAgent(id: $id, "
                    + "input: {name: \"Gus B\", campaignIds: [$c]}) { agent { id } } }").variable("id", id)
                    .variable("c", campaign).execute().errors().verify());
            held.release();
        }

        assertThat(jdbc.queryForMap("SELECT active, name FROM agents WHERE id = ?", id))
                .containsEntry("active", false).containsEntry("name", "Gus B");
        assertThat(jdbc.queryForList("SELECT campaign_id FROM agent_campaigns WHERE agent_id = ?", Long.class, id))
                .containsExactly(campaign);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_endpoints WHERE id = 'agent-4477'", Integer.class)).isZero();
    }

    /**
     * An event's arrival is known to the millisecond (asterisk-java stamps a java.util.Date) and the agent's last
     * change to the microsecond: an event that arrived in the same millisecond as that change, after it, moves the
     * agent as any later one does.
     */
    @Test
    void anEventArrivingInTheMillisecondOfTheAgentsLastChangeMovesIt() {
        OutboundFixture campaign = OutboundFixture.create(jdbc, "UTC", null);
        long agent = campaign.agent("AVAILABLE");
        jdbc.update("UPDATE agents SET state_changed_at = '2026-12-03 12:00:00.123456+00' WHERE id = ?", agent);
        String endpoint = jdbc.queryForObject("SELECT endpoint FROM agents WHERE id = ?", String.class, agent);

        long server = jdbc.queryForObject("SELECT min(id) FROM asterisk_servers", Long.class);
        agentStates.move(endpoint, List.of(Agent.State.AVAILABLE), Agent.State.ON_CALL, server,
                Instant.parse("2026-12-03T12:00:00.123Z"));

        assertThat(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, agent))
                .isEqualTo("ON_CALL");
    }

}
