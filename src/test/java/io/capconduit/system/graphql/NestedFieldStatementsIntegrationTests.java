package io.capconduit.system.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import graphql.schema.GraphQLSchema;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.support.SentStatements;
import io.capconduit.support.SentStatements.Sent;
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
 * No list of the API fans out into a statement per row (DESIGN.md: "@BatchMapping so no query fans out into N+1
 * SQL"): every list query, with every chain of nested object fields under its rows up to three levels
 * ({@link NestedSelections}), sends PostgreSQL as many statements for 20 rows as for 1, counted at the DataSource
 * ({@link SentStatements}: MyBatis, JdbcTemplate, Spring Batch and Quartz alike). A context of its own: no demo data,
 * so the lists hold this test's rows only, and a complexity limit that lets 20 rows nest three lists deep.
 */
@IntegrationTest
@Import(SentStatements.class)
@TestPropertySource(properties = {
        "capconduit.demo-data.enabled=false",
        "capconduit.admin.password=" + NestedFieldStatementsIntegrationTests.PASSWORD,
        "capconduit.graphql.max-complexity=100000" })
class NestedFieldStatementsIntegrationTests {

    static final String PASSWORD = "N-plus-one-sweep-1";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyListQuerySendsAsManyStatementsForTwentyRowsAsForOne() {
        FamiliesFixture families = familyOne(jdbc);
        GraphQLSchema schema = MalformedArguments.schema();
        List<Probe> probes = NestedSelections.probes("query", schema.getQueryType(), families.scopes());
        WebTestClient admin = admin(graphQl);

        probes.forEach(probe -> send(admin, probe));   // warm-up: caches filled, documents parsed
        Map<Probe, List<Sent>> one = new LinkedHashMap<>();
        probes.forEach(probe -> one.put(probe, send(admin, probe)));
        // counted on the request threads, so counted at all: a renamed thread pool would count nothing and pass
        assertThat(one.values()).as("statements on the request threads").anyMatch(sent -> !sent.isEmpty());
        families.add(2, 20);
        List<String> findings = new ArrayList<>();
        for (Probe probe : probes) {
            List<Sent> twenty = send(admin, probe);
            if (twenty.size() > one.get(probe).size()) {
                findings.add(probe + ": " + one.get(probe).size() + " statements for 1 row, " + twenty.size()
                        + " for 20; repeated: " + SentStatements.repeated(twenty));
            }
        }
        assertThat(findings).as("%d of %d requests", findings.size(), probes.size()).isEmpty();
    }

    /**
     * batchJobs has a row per job of the application, not per row of data, but it fans out all the same if each
     * job's schedule and executions are read on their own: they are read for every job at once.
     */
    @Test
    void batchJobsReadTheSchedulesAndExecutionsOfEveryJobTogether() {
        WebTestClient admin = admin(graphQl);
        List<String> jobs = JsonPath.<List<String>>read(new String(post(admin, "{ batchJobs { name } }")),
                "$.data.batchJobs[*].name");
        assertThat(jobs).hasSizeGreaterThan(5);
        new FamiliesFixture(jdbc).executionOfEach(jobs);
        Probe everything = new Probe("query", "batchJobs", "schedule, executions", "{ batchJobs { name description "
                + "schedule { cron nextFireTime previousFireTime defaultParameters { name value } } "
                + "executions { id status exitMessage parameters { name value } steps { name readCount } } } }");
        send(admin, everything);

        List<Sent> sent = send(admin, everything);

        // the schedules' triggers; the executions, their parameters, their steps
        assertThat(sent).as("%s", sent).hasSizeLessThanOrEqualTo(4);
    }

    /** One execution is read with a fixed number of statements, not one more per step (its execution context). */
    @Test
    void aJobExecutionIsReadWithAsManyStatementsForSixStepsAsForOne() {
        FamiliesFixture families = new FamiliesFixture(jdbc);
        long oneStep = families.executionWithSteps("capResetJob", 1);
        long sixSteps = families.executionWithSteps("capResetJob", 6);
        WebTestClient admin = admin(graphQl);
        String document = "{ batchJobExecution(id: \"%d\") { id status exitMessage parameters { name } "
                + "steps { name readCount exitCode } } }";
        send(admin, new Probe("query", "batchJobExecution", "", document.formatted(oneStep)));

        List<Sent> one = send(admin, new Probe("query", "batchJobExecution", "1 step", document.formatted(oneStep)));
        List<Sent> six = send(admin, new Probe("query", "batchJobExecution", "6 steps", document.formatted(sixSteps)));

        assertThat(six).as("%s", six).hasSameSizeAs(one);
    }

    /** The rows of family 1, added by the first test of this context that needs them. */
    static FamiliesFixture familyOne(JdbcTemplate jdbc) {
        FamiliesFixture families = new FamiliesFixture(jdbc);
        if (jdbc.queryForObject("SELECT count(*) FROM sellers WHERE name = 'n1 seller 1'", Integer.class) == 0) {
            families.add(1, 1);
        }
        return families;
    }

    /** A client signed in as the context's administrator with a fresh API token (Basic would cost bcrypt each time). */
    static WebTestClient admin(GraphQlTesters graphQl) {
        String token = graphQl.as("admin", PASSWORD)
                .document("mutation { createApiToken(input: {name: \"n+1\", expiresInDays: 1}) { token } }")
                .execute().path("createApiToken.token").entity(String.class).get();
        return graphQl.client().defaultHeaders(headers -> headers.setBearerAuth(token)).build();
    }

    /**
     * The statements the request sent but signing in: the token's lookup is remembered for a few seconds
     * (RecentApiTokens), so it comes and goes. Only those of the server's request threads, which run the data
     * fetchers and batch loaders: the application's followers of notifications send theirs at any moment on threads
     * of their own (AmiServerChanges reads every server again when its listener reconnects), and one landing in the
     * twenty rows' request read as a fan-out. The request must succeed.
     */
    @SuppressWarnings("unchecked")
    private static List<Sent> send(WebTestClient client, Probe probe) {
        byte[][] body = new byte[1][];
        List<Sent> sent = SentStatements.during(() -> body[0] = post(client, probe.document()));
        Map<String, Object> response = JSON.readValue(body[0], Map.class);
        assertThat(response.get("errors")).as("%s: %s", probe, probe.document()).isNull();

        return sent.stream().filter(statement -> statement.thread().startsWith("http-nio-"))
                .filter(statement -> !statement.sql().contains("FROM api_tokens t JOIN users u")).toList();
    }

    private static byte[] post(WebTestClient client, String document) {
        return client.post().contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("query", document)).exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody();
    }
}
