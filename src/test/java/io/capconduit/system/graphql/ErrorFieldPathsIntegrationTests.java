package io.capconduit.system.graphql;

import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;

/**
 * A BAD_REQUEST names the field by its path from the operation's arguments, whoever refused it (a service, the
 * binding of an id, the blank-id check): {@code input.name}, {@code input.campaignIds[1]}, a top-level argument bare.
 */
@IntegrationTest
class ErrorFieldPathsIntegrationTests {

    private static final String CREATE_CAMPAIGN = "mutation ($input: CampaignInput!) { createCampaign(input: $input) "
            + "{ campaign { id } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aFieldOfTheInputIsNamedFromTheArgumentInTheCodeAndTheMessage() {
        graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "")).execute().errors()
                .expect(badInput("input.name").and(error -> error.getMessage().startsWith("input.name: must be 1 to")))
                .verify();
        graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "x".repeat(100_000)))
                .execute().errors().expect(badInput("input.name")).verify();
    }

    @Test
    void aNegativeCapIsNamedFromTheArgument() {
        String campaign = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name",
                "Path Cap Campaign")).execute().path("createCampaign.campaign.id").entity(String.class).get();
        long client = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Lone Star Solar'", Long.class);
        graphQl.as("seller1").document("mutation ($input: LinkClientInput!) { linkClient(input: $input) "
                + "{ setting { id } } }").variable("input", Map.of("campaignId", campaign, "clientId", client,
                        "totalCap", -1)).execute().errors().expect(badInput("input.totalCap")).verify();
    }

    @Test
    void aTopLevelArgumentStaysBareAndAListElementIsIndexed() {
        graphQl.as("staff").document("{ campaign(id: \"99999999999999999999\") { id } }").execute().errors()
                .expect(badInput("id")).verify();
        graphQl.as("admin").document("mutation ($input: AgentInput!) { createAgent(input: $input) { agent { id } } }")
                .variable("input", Map.of("name", "Listed", "extension", "4711", "secret", "listed-agent-secret",
                        "campaignIds", List.of("1", " "))).execute().errors()
                .expect(badInput("input.campaignIds[1]")).verify();
        graphQl.as("admin").document("mutation { runJob(name: \"capResetJob\", parameters: [{name: \"note\", value: "
                + "\"x\"}]) { id } }").execute().errors().expect(badInput("parameters[0].name")).verify();
    }
}
