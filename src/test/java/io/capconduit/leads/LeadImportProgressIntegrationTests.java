package io.capconduit.leads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** leadImportProgress: an import's rows read, imported and rejected as it goes, for whom leadImport shows it to. */
@IntegrationTest
class LeadImportProgressIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LeadImportLauncher launcher;

    @Autowired
    GraphQlTesters graphQl;

    @TempDir
    Path folder;

    private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();

    record Status(String executionId, String status, String message, long rowsRead, long imported, long duplicates,
            long rejected) {
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(socket -> socket.stop().block(WAIT));
    }

    @Test
    void aSellerFollowsItsOwnImportToItsOutcome() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long listId = fixtures.newList("Acme Leads", "US");
        // 30 numbers, one of them twice, and a row that is no number
        String rows = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("206555%04d", i))
                .collect(Collectors.joining("\n"));
        Path file = fixtures.csv("Phone\n" + rows + "\n2065550001\nnope\n");
        long executionId = launcher.start(new LeadImportLauncher.ImportRequest(file, "leads.csv", listId, null, null, 5))
                .getId();

        List<Status> states = progress("seller1", executionId).collectList().block(WAIT);

        Status last = states.get(states.size() - 1);
        assertThat(last.status()).isEqualTo("COMPLETED");
        assertThat(last.executionId()).isEqualTo(String.valueOf(executionId));
        assertThat(last.rowsRead()).isEqualTo(32);
        assertThat(last.imported()).isEqualTo(30);
        assertThat(last.duplicates()).isEqualTo(1);
        assertThat(last.rejected()).isEqualTo(1);
        assertThat(last.message()).startsWith("Imported 30 of 32 rows from leads.csv");
        assertThat(states).extracting(Status::rowsRead).isSorted();
        assertThat(states).doesNotHaveDuplicates();
    }

    @Test
    void anotherSellersImportIsNotFound() throws Exception {
        LeadImportFixtures fixtures = new LeadImportFixtures(jdbc, launcher, folder);
        long executionId = fixtures.importLeads(fixtures.newList("Acme Leads", "US"), fixtures.csv("Phone\n2065550101\n"))
                .getId();

        assertThatThrownBy(() -> progress("seller2", executionId).blockFirst(WAIT))
                .isInstanceOfSatisfying(SubscriptionErrorException.class, ex -> assertThat(ex.getErrors())
                        .singleElement().satisfies(error -> {
                            assertThat(error.getExtensions()).containsEntry("classification", "NOT_FOUND");
                            assertThat(error.getMessage()).isEqualTo("Lead import " + executionId + " not found");
                        }));
        assertThat(progress("staff", executionId).blockLast(WAIT).status()).isEqualTo("COMPLETED");
    }

    private Flux<Status> progress(String user, long executionId) {
        WebSocketGraphQlTester socket = graphQl.webSocket(user);
        sockets.add(socket);
        return socket.documentName("leadImportProgress").variable("executionId", executionId).executeSubscription()
                .toFlux("leadImportProgress", Status.class);
    }
}
