package io.capconduit.calls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** Every cdr row CDR reconciliation skipped, with its reason, through the API: paged, by run, staff only. */
@IntegrationTest
class CdrRejectsGraphQlIntegrationTests {

    private static final String PAGE = """
            query ($run: ID, $first: Int, $after: String) {
              cdrRejects(jobExecutionId: $run, first: $first, after: $after) {
                edges { node { cdrId linkedId reason jobExecutionId rejectedAt } }
                pageInfo { hasNextPage endCursor }
              }
            }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Test
    void everySkippedRowOfARunIsListedWithItsReasonPageByPage() throws Exception {
        CdrRows cdr = new CdrRows(named);
        List<Long> bad = new ArrayList<>();
        bad.add(cdr.leg("reject-" + UUID.randomUUID()).set("linkedid", null).insert());
        for (int i = 0; i < 4; i++) {
            bad.add(cdr.leg("reject-" + UUID.randomUUID()).set("duration", -1 - i).insert());
        }
        cdr.leg("reject-good-" + UUID.randomUUID()).set("campaign", "Home Warranty").insert();
        JobExecution run = launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now());

        List<Map<String, Object>> listed = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            GraphQlTester.Response page = graphQl.as("staff").document(PAGE).variable("run", run.getId())
                    .variable("first", 2).variable("after", after).execute();
            listed.addAll(page.path("cdrRejects.edges[*].node").entityList(Object.class).get().stream()
                    .map(node -> (Map<String, Object>) node).toList());
            after = page.path("cdrRejects.pageInfo.hasNextPage").entity(Boolean.class).get()
                    ? page.path("cdrRejects.pageInfo.endCursor").entity(String.class).get() : null;
            pages++;
        } while (after != null);

        assertThat(pages).isEqualTo((listed.size() + 1) / 2);
        // the run may also have taken a bad row another test left behind: ours, in cdr id order
        listed.removeIf(node -> !bad.contains(Long.valueOf((String) node.get("cdrId"))));
        assertThat(listed).extracting(node -> Long.valueOf((String) node.get("cdrId"))).containsExactlyElementsOf(bad);
        assertThat(listed).extracting(node -> node.get("reason")).containsExactly("linkedid: missing",
                "duration: negative (-1)", "duration: negative (-2)", "duration: negative (-3)", "duration: negative (-4)");
        assertThat(listed).allSatisfy(node -> assertThat(node.get("jobExecutionId")).isEqualTo(String.valueOf(run.getId())));
        assertThat(listed.get(0).get("linkedId")).isNull();

        // without a run: every run's, by cdr id, these among them
        graphQl.as("admin").document(PAGE).variable("first", 500).execute()
                .path("cdrRejects.edges[*].node.cdrId").entityList(Long.class).contains(bad.toArray(Long[]::new));
        // a run with none
        graphQl.as("staff").document(PAGE).variable("run", run.getId() + 1_000_000).execute()
                .path("cdrRejects.edges").entityList(Object.class).hasSize(0);
    }

    @Test
    void sellersMayNotAndBadArgumentsAreNamed() {
        graphQl.as("seller1").document(PAGE).execute().errors().expect(classified("FORBIDDEN")).verify();
        graphQl.as("staff").document(PAGE).variable("first", 0).execute().errors().expect(badInput("first")).verify();
        graphQl.as("staff").document(PAGE).variable("after", "garbage").execute().errors().expect(badInput("after")).verify();
    }
}
