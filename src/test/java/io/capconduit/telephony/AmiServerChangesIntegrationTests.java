package io.capconduit.telephony;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.capconduit.support.Eventually;
import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import io.capconduit.system.PostgresNotifications;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances on one database: this one, where an admin changes Asterisk servers through the API,
 * and another that keeps AMI connections ({@code auto-connect}). The other instance follows every change the moment
 * it is committed, as if it had been made there.
 */
@IntegrationTest
class AmiServerChangesIntegrationTests {

    private static final String SECRET = "changes-ami-secret";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    AsteriskServerMapper servers;

    @Autowired
    PostgresNotifications notifications;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    AmiConnections otherInstance;

    AmiServerChanges otherInstanceFollowing;

    @BeforeEach
    void startOtherInstance() {
        otherInstance = new AmiConnections(servers, new AmiProperties(true, Duration.ofMillis(100),
                Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20)),
                List.of(), Duration.ofHours(1));
        otherInstance.start();
        otherInstanceFollowing = new AmiServerChanges(servers, otherInstance, notifications);
        otherInstanceFollowing.start();
    }

    @AfterEach
    void stopOtherInstance() {
        otherInstanceFollowing.stop();
        otherInstance.stop();
        jdbc.update("UPDATE asterisk_servers SET active = false WHERE name LIKE 'changes-%'");
    }

    @Test
    void aServerCreatedMovedAndDeactivatedOnOneInstanceIsFollowedByAnother() throws Exception {
        try (TestAmiServer first = new TestAmiServer("capconduit", SECRET);
                TestAmiServer second = new TestAmiServer("capconduit", SECRET)) {
            long id = Long.parseLong(graphQl.as("admin").document("mutation ($input: AsteriskServerInput!) { "
                    + "createAsteriskServer(input: $input) { asteriskServer { id } } }")
                    .variable("input", Map.of("name", "changes-" + UUID.randomUUID(), "host", "127.0.0.1",
                            "amiPort", first.port(), "amiUsername", "capconduit", "amiSecret", SECRET))
                    .execute().path("createAsteriskServer.asteriskServer.id").entity(String.class).get());
            awaitSessions(first, 1);
            AmiReconnectIntegrationTests.awaitConnected(otherInstance, id, true);

            update(id, "{amiPort: " + second.port() + "}");
            awaitSessions(second, 1);
            awaitSessions(first, 0);
            AmiReconnectIntegrationTests.awaitConnected(otherInstance, id, true);

            update(id, "{active: false}");
            awaitSessions(second, 0);
            assertThat(otherInstance.isConnected(id)).isFalse();
            assertThat(otherInstance.connectionState(id)).as("no reconnecting session either").isEmpty();
        }
    }

    /** A change rolled back reaches nobody; a slow commit reaches the other instance once it is committed. */
    @Test
    void onlyCommittedChangesAreFollowed() throws Exception {
        try (TestAmiServer asterisk = new TestAmiServer("capconduit", SECRET)) {
            TransactionTemplate transaction = new TransactionTemplate(transactionManager);
            long rolledBack = transaction.execute(status -> {
                status.setRollbackOnly();
                return insert(asterisk, "rolled-back");
            });
            long created = transaction.execute(status -> {
                long id = insert(asterisk, "created");
                assertThat(otherInstanceHears(id)).as("before the commit").isFalse();
                return id;
            });
            awaitSessions(asterisk, 1);
            AmiReconnectIntegrationTests.awaitConnected(otherInstance, created, true);
            assertThat(otherInstanceHears(rolledBack)).as("the rolled-back server").isFalse();
        }
    }

    /**
     * Notifications sent while the other instance's listening connection was down are lost: when it listens again it
     * connects the active servers it has no session for and drops those no longer active.
     */
    @Test
    void missedChangesAreCaughtUpWithWhenListeningAgain() throws Exception {
        try (TestAmiServer asterisk = new TestAmiServer("capconduit", SECRET);
                TestAmiServer dropped = new TestAmiServer("capconduit", SECRET)) {
            otherInstanceFollowing.stop();
            long droppedId = insert(dropped, "dropped");
            otherInstance.connect(droppedId);
            awaitSessions(dropped, 1);
            long missed = insert(asterisk, "missed");
            jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", droppedId);

            otherInstanceFollowing.catchUp();

            awaitSessions(asterisk, 1);
            awaitSessions(dropped, 0);
            AmiReconnectIntegrationTests.awaitConnected(otherInstance, missed, true);
            assertThat(otherInstance.connectionState(droppedId)).isEmpty();
        }
    }

    private boolean otherInstanceHears(long id) {
        return otherInstance.connectionState(id).isPresent();
    }

    private void update(long id, String input) {
        graphQl.as("admin").document("mutation ($id: ID!) { updateAsteriskServer(id: $id, input: " + input
                + ") { asteriskServer { id } } }").variable("id", id).execute()
                .path("updateAsteriskServer.asteriskServer.id").hasValue();
    }

    private long insert(TestAmiServer asterisk, String name) {
        return jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret) "
                + "VALUES (?, '127.0.0.1', ?, 'capconduit', ?) RETURNING id", Long.class,
                "changes-" + name + "-" + UUID.randomUUID(), asterisk.port(), SECRET);
    }

    private static void awaitSessions(TestAmiServer asterisk, int sessions) {
        Eventually.await(sessions + " AMI sessions on port " + asterisk.port(), Duration.ofSeconds(10),
                () -> asterisk.loggedInSessions() == sessions);
    }
}
