package io.capconduit.system.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.SentStatements;
import io.capconduit.system.graphql.NestedSelections.Probe;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page size of the API (first, last, limit: of a list at the top and of one under a list's rows, found in the
 * schema) refuses more rows than its maximum with a BAD_REQUEST, instead of reading them. The context of
 * {@link NestedFieldStatementsIntegrationTests} (same configuration), whose rows make every scoped list real.
 */
@IntegrationTest
@Import(SentStatements.class)
@TestPropertySource(properties = {
        "capconduit.demo-data.enabled=false",
        "capconduit.admin.password=" + NestedFieldStatementsIntegrationTests.PASSWORD,
        "capconduit.graphql.max-complexity=100000" })
class PageSizeLimitsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    /** A million rows: refused, by the argument's own check or by the request's complexity limit. */
    @Test
    void everyPageSizeRefusesAMillionRows() {
        assertThat(findings(1_000_000, false)).isEmpty();
    }

    /**
     * Two thousand rows, within this context's complexity limit for a list of one field even nested in a list: above
     * every page size's own maximum, which refuses them naming the argument.
     */
    @Test
    void everyPageSizeRefusesTwoThousandRowsNamingTheArgument() {
        assertThat(findings(2_000, true)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private List<String> findings(int rows, boolean naming) {
        FamiliesFixture families = NestedFieldStatementsIntegrationTests.familyOne(jdbc);
        List<Probe> probes = NestedSelections.pageSizes(MalformedArguments.schema().getQueryType(), families.scopes(),
                rows);
        assertThat(probes).hasSizeGreaterThan(10);
        WebTestClient admin = NestedFieldStatementsIntegrationTests.admin(graphQl);

        List<String> findings = new ArrayList<>();
        for (Probe probe : probes) {
            byte[] body = admin.post().contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("query", probe.document())).exchange().expectBody().returnResult()
                    .getResponseBody();
            Map<String, Object> response = JSON.readValue(body, Map.class);
            List<Map<String, Object>> errors = (List<Map<String, Object>>) response.getOrDefault("errors", List.of());
            Map<String, Object> extensions = errors.isEmpty() ? Map.of()
                    : (Map<String, Object>) errors.get(0).getOrDefault("extensions", Map.of());
            String argument = probe.chain().replaceAll(".*\\((\\w+)\\)$", "$1");
            if (!"BAD_REQUEST".equals(extensions.get("classification"))
                    || naming && !argument.equals(extensions.get("field"))) {
                findings.add(probe + ": " + new String(body).substring(0, Math.min(300, body.length)));
            }
        }
        return findings;
    }
}
