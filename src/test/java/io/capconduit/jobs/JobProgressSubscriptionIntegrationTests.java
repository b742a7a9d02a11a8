package io.capconduit.jobs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.capconduit.system.PostgresNotifications;
import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.GraphQlTransportException;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** jobExecutionProgress over a real WebSocket: a job's states as it runs, wherever it runs, until it ends. */
@IntegrationTest
class JobProgressSubscriptionIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROGRESS = """
            subscription ($id: ID!) {
              jobExecutionProgress(id: $id) { id status exitCode exitMessage endTime
                                              steps { name status readCount writeCount commitCount skipCount } }
            }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    BatchJobLauncher launcher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    private final List<WebSocketGraphQlTester> sockets = new ArrayList<>();

    record Step(String name, String status, long readCount, long writeCount, long commitCount, long skipCount) {
    }

    record Execution(String id, String status, String exitCode, String exitMessage, String endTime, List<Step> steps) {
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(socket -> socket.stop().block(WAIT));
    }

    @Test
    void twoSubscribersSeeARunningJobFromItsFirstStateToItsCompletion() throws Exception {
        HeldCdrReconciliation.newCdrRows(jdbc, "progress-test", 3);
        String id;
        ConnectableFlux<Execution> staff;
        ConnectableFlux<Execution> admin;
        try (Connection holder = HeldCdrReconciliation.holdCdrCheckpoint(dataSource)) {
            id = HeldCdrReconciliation.runOneRowAChunk(graphQl);
            Eventually.await("the step waiting in its first chunk", WAIT, () -> jdbc.queryForObject(
                    "SELECT count(*) FROM batch_step_execution WHERE job_execution_id = ? AND status = 'STARTED'",
                    Integer.class, Long.parseLong(id)) == 1);

            staff = follow("staff", id);
            admin = follow("admin", id);
            for (Execution first : List.of(staff.blockFirst(WAIT), admin.blockFirst(WAIT))) {
                assertThat(first.id()).isEqualTo(id);
                assertThat(first.status()).isEqualTo("STARTED");
                assertThat(first.steps()).singleElement().satisfies(step -> {
                    assertThat(step.status()).isEqualTo("STARTED");
                    assertThat(step.commitCount()).isZero();
                });
            }
            holder.rollback();
        }

        for (List<Execution> states : List.of(staff.collectList().block(WAIT), admin.collectList().block(WAIT))) {
            Execution last = states.get(states.size() - 1);
            assertThat(last.status()).isEqualTo("COMPLETED");
            assertThat(last.endTime()).isNotBlank();
            assertThat(last.steps()).singleElement().satisfies(step -> {
                assertThat(step.status()).isEqualTo("COMPLETED");
                assertThat(step.readCount()).isGreaterThanOrEqualTo(3);
                assertThat(step.writeCount()).isEqualTo(step.readCount());
            });
            // each state once, in order: counts only grow, and nothing follows the final state
            assertThat(states).doesNotHaveDuplicates();
            assertThat(states.subList(0, states.size() - 1)).allSatisfy(s -> assertThat(s.status()).isEqualTo("STARTED"));
            assertThat(states).extracting(s -> s.steps().get(0).commitCount()).isSorted();
        }
    }

    /** Sixty chunks committed one by one come to a few states a second, the final one last. */
    @Test
    void aFastJobsBurstOfCommitsIsCoalesced() throws Exception {
        HeldCdrReconciliation.newCdrRows(jdbc, "progress-test", 60);
        String id;
        ConnectableFlux<Execution> states;
        long started;
        try (Connection holder = HeldCdrReconciliation.holdCdrCheckpoint(dataSource)) {
            id = HeldCdrReconciliation.runOneRowAChunk(graphQl);
            Eventually.await("the step waiting in its first chunk", WAIT, () -> jdbc.queryForObject(
                    "SELECT count(*) FROM batch_step_execution WHERE job_execution_id = ? AND status = 'STARTED'",
                    Integer.class, Long.parseLong(id)) == 1);
            states = follow("staff", id);
            assertThat(states.blockFirst(WAIT).status()).isEqualTo("STARTED");
            started = System.nanoTime();
            holder.rollback();
        }

        List<Execution> all = states.collectList().block(WAIT);
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Execution last = all.get(all.size() - 1);
        assertThat(last.status()).isEqualTo("COMPLETED");
        assertThat(last.steps().get(0).commitCount()).isGreaterThanOrEqualTo(60);
        // the first state, then at most one per interval
        assertThat(all.size()).isLessThanOrEqualTo(2 + (int) (elapsedMillis / JobExecutionChanges.INTERVAL.toMillis()));
    }

    @Test
    void aChangeMadeByAnotherAppInstanceReachesTheSubscriber() throws Exception {
        long elsewhere = runningElsewhere();
        ConnectableFlux<Execution> states = follow("staff", String.valueOf(elsewhere));
        assertThat(states.blockFirst(WAIT).status()).isEqualTo("STARTED");

        try (Connection otherInstance = dataSource.getConnection(); Statement update = otherInstance.createStatement()) {
            update.executeUpdate("UPDATE batch_step_execution SET read_count = 41, write_count = 40 "
                    + "WHERE job_execution_id = " + elsewhere);
            update.executeUpdate("UPDATE batch_job_execution SET status = 'COMPLETED', exit_code = 'COMPLETED', "
                    + "end_time = now() WHERE job_execution_id = " + elsewhere);
        }

        Execution last = states.blockLast(WAIT);
        assertThat(last.status()).isEqualTo("COMPLETED");
        assertThat(last.steps().get(0).readCount()).isEqualTo(41);
    }

    /** Spring Batch stores an execution's end, then again with what its listeners made of it: that is the last state. */
    @Test
    void theOutcomeStoredAfterTheEndIsTheLastState() throws Exception {
        long elsewhere = runningElsewhere();
        ConnectableFlux<Execution> states = follow("staff", String.valueOf(elsewhere));
        assertThat(states.blockFirst(WAIT).status()).isEqualTo("STARTED");

        jdbc.update("UPDATE batch_job_execution SET status = 'COMPLETED', exit_code = 'COMPLETED', end_time = now() "
                + "WHERE job_execution_id = ?", elsewhere);
        assertThat(states.filter(s -> s.status().equals("COMPLETED")).blockFirst(WAIT).exitMessage()).isNull();
        jdbc.update("UPDATE batch_job_execution SET exit_message = 'Reset 3 windows' WHERE job_execution_id = ?",
                elsewhere);

        assertThat(states.blockLast(WAIT).exitMessage()).isEqualTo("Reset 3 windows");
    }

    /**
     * The listener's connection is killed after a change whose notification nobody heard: once reconnected it reads
     * the state again, and what changes afterwards is heard as before.
     */
    @Test
    void theListenerReconnectsAndNothingIsMissedMeanwhile() throws Exception {
        long missed = runningElsewhere();
        long later = runningElsewhere();
        ConnectableFlux<Execution> missedStates = follow("staff", String.valueOf(missed));
        ConnectableFlux<Execution> laterStates = follow("staff", String.valueOf(later));
        assertThat(missedStates.blockFirst(WAIT).status()).isEqualTo("STARTED");
        assertThat(laterStates.blockFirst(WAIT).status()).isEqualTo("STARTED");
        List<Integer> before = listenerPids();
        assertThat(before).isNotEmpty();

        try (Connection silent = dataSource.getConnection(); Statement update = silent.createStatement()) {
            silent.setAutoCommit(false);
            update.execute("ALTER TABLE batch_job_execution DISABLE TRIGGER batch_job_execution_progress");
            update.executeUpdate("UPDATE batch_job_execution SET status = 'COMPLETED', exit_code = 'COMPLETED', "
                    + "end_time = now() WHERE job_execution_id = " + missed);
            update.execute("ALTER TABLE batch_job_execution ENABLE TRIGGER batch_job_execution_progress");
            silent.commit();
        }
        jdbc.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
                Boolean.class, PostgresNotifications.APPLICATION_NAME);

        assertThat(missedStates.blockLast(WAIT).status()).isEqualTo("COMPLETED");
        Eventually.await("a new listening connection", WAIT,
                () -> !listenerPids().isEmpty() && listenerPids().stream().noneMatch(before::contains));
        jdbc.update("UPDATE batch_job_execution SET status = 'STOPPED', exit_code = 'STOPPED', end_time = now() "
                + "WHERE job_execution_id = ?", later);
        assertThat(laterStates.blockLast(WAIT).status()).isEqualTo("STOPPED");
    }

    @Test
    void aFinishedExecutionIsSentOnceAndTheSubscriptionCompletes() throws Exception {
        long done = launcher.run("capResetJob", Map.of(), Instant.now()).getId();

        List<Execution> states = follow("admin", String.valueOf(done)).collectList().block(WAIT);

        assertThat(states).singleElement().satisfies(state -> assertThat(state.status()).isEqualTo("COMPLETED"));
    }

    @Test
    void anUnknownExecutionIsNotFound() {
        assertThatThrownBy(() -> subscription("staff", "987654321").blockFirst(WAIT))
                .isInstanceOfSatisfying(SubscriptionErrorException.class, ex -> assertThat(ex.getErrors())
                        .singleElement().satisfies(error -> {
                            assertThat(error.getExtensions()).containsEntry("classification", "NOT_FOUND");
                            assertThat(error.getMessage()).contains("Job execution 987654321 not found");
                        }));
    }

    @Test
    void sellersMayNotFollowJobs() throws Exception {
        long done = launcher.run("capResetJob", Map.of(), Instant.now()).getId();

        assertThatThrownBy(() -> subscription("seller1", String.valueOf(done)).blockFirst(WAIT))
                .isInstanceOfSatisfying(SubscriptionErrorException.class, ex -> assertThat(ex.getErrors())
                        .singleElement().satisfies(error ->
                                assertThat(error.getExtensions()).containsEntry("classification", "FORBIDDEN")));
    }

    @Test
    void aSocketWithoutCredentialsOrFromAnotherSitesPageIsRefused() throws Exception {
        String staff = "Authorization: Basic " + Base64.getEncoder().encodeToString("staff:demo".getBytes(US_ASCII));

        assertThat(handshake()).isEqualTo(401);
        assertThat(handshake("Authorization: Basic " + Base64.getEncoder().encodeToString("nobody:wrong".getBytes(US_ASCII))))
                .isEqualTo(401);
        // another site's page, with the visitor's credentials
        assertThat(handshake(staff, "Origin: https://elsewhere.example")).isEqualTo(403);
        // a program (no Origin), and this site's own page (GraphiQL)
        assertThat(handshake(staff)).isEqualTo(101);
        assertThat(handshake(staff, "Origin: " + graphQl.baseUrl())).isEqualTo(101);

        long done = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        assertThatThrownBy(() -> subscription(socket(graphQl.webSocket(headers -> { })), String.valueOf(done))
                .blockFirst(WAIT)).isInstanceOf(GraphQlTransportException.class);
    }

    /** Subscribed at once; replays what it received to each later reader. */
    private ConnectableFlux<Execution> follow(String user, String id) {
        ConnectableFlux<Execution> states = subscription(user, id).replay();
        states.connect();
        return states;
    }

    private Flux<Execution> subscription(String user, String id) {
        return subscription(socket(graphQl.webSocket(user)), id);
    }

    private static Flux<Execution> subscription(WebSocketGraphQlTester socket, String id) {
        return socket.document(PROGRESS).variable("id", id).executeSubscription()
                .toFlux("jobExecutionProgress", Execution.class);
    }

    private WebSocketGraphQlTester socket(WebSocketGraphQlTester socket) {
        sockets.add(socket);
        return socket;
    }

    /** The status code of a WebSocket handshake on /graphql with these extra header lines. */
    private int handshake(String... headers) throws Exception {
        URI server = URI.create(graphQl.baseUrl());
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            StringBuilder request = new StringBuilder("GET /graphql HTTP/1.1\r\n")
                    .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n")
                    .append("Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                    .append("Sec-WebSocket-Protocol: graphql-transport-ws\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private List<Integer> listenerPids() {
        return jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = ?", Integer.class,
                PostgresNotifications.APPLICATION_NAME);
    }

    /** An execution that another app instance runs, as this one sees it: STARTED, with a step under way. */
    private long runningElsewhere() throws Exception {
        long id = launcher.run("capResetJob", Map.of(), Instant.now()).getId();
        CrashedExecutions.leftRunningByACrash(jdbc, id);
        return id;
    }
}
