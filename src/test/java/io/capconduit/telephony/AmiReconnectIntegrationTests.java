package io.capconduit.telephony;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.asteriskjava.manager.event.ManagerEvent;

import io.capconduit.support.Eventually;
import io.capconduit.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconnecting to an Asterisk server survives the database failing at the moment of an attempt, a host that stops
 * answering without closing the connection, and another server whose host does not answer at all.
 */
@IntegrationTest
class AmiReconnectIntegrationTests {

    @Autowired
    AsteriskServerMapper servers;

    @Autowired
    JdbcTemplate jdbc;

    /** With auto-connect, a server activated or changed is connected at once and a deactivated one dropped. */
    @Test
    void aChangedServerIsConnectedOrDroppedAtOnce() throws Exception {
        String secret = "changed-" + UUID.randomUUID();
        try (TestAmiServer asterisk = new TestAmiServer("capconduit", secret)) {
            long serverId = server(asterisk, secret);
            AmiConnections ami = new AmiConnections(servers,
                    new AmiProperties(true, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5),
                    Duration.ofSeconds(5), Duration.ofSeconds(20)),
                    List.of(), Duration.ofMillis(200));
            try {
                ami.serverChanged(serverId, true);
                awaitConnected(ami, serverId, true);
                // the CDR writer reads the cdr table again, now that the database is certainly up
                awaitReload(asterisk, 1);

                jdbc.update("UPDATE asterisk_servers SET active = false WHERE id = ?", serverId);
                ami.serverChanged(serverId, false);
                awaitConnected(ami, serverId, false);
                // dropped at once; the server side sees the logoff a moment later (its session's own thread)
                Eventually.await("the dropped session logged off", Duration.ofSeconds(10),
                        () -> asterisk.loggedInSessions() == 0);
            }
            finally {
                ami.stop();
            }
        }
    }

    private long server(TestAmiServer asterisk, String secret) {
        return jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret) "
                + "VALUES (?, '127.0.0.1', ?, 'capconduit', ?) RETURNING id", Long.class, "ami-" + UUID.randomUUID(),
                asterisk.port(), secret);
    }

    static void awaitConnected(AmiConnections ami, long serverId, boolean connected) {
        Eventually.await("server " + serverId + (connected ? " connected" : " dropped"), Duration.ofSeconds(10),
                () -> ami.isConnected(serverId) == connected);
    }

    private static void awaitReload(TestAmiServer asterisk, int times) {
        Eventually.await(times + " reloads of the CDR writer", Duration.ofSeconds(10),
                () -> asterisk.actions("ModuleLoad").size() >= times);
        assertThat(asterisk.actions("ModuleLoad")).hasSize(times).allSatisfy(action -> assertThat(action)
                .containsEntry("Module", "cdr_adaptive_odbc.so").containsEntry("LoadType", "reload"));
    }

    @Test
    void anAttemptThatCannotReadTheServerIsRetried() throws Exception {
        String secret = "reconnect-" + UUID.randomUUID();
        try (TestAmiServer asterisk = new TestAmiServer("capconduit", secret)) {
            long serverId = server(asterisk, secret);
            // the real mapper, except that the first read of the secret fails as a database that is down would
            AtomicBoolean failed = new AtomicBoolean();
            AsteriskServerMapper failingOnce = (AsteriskServerMapper) Proxy.newProxyInstance(
                    AsteriskServerMapper.class.getClassLoader(), new Class<?>[] {AsteriskServerMapper.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("findAmiSecret") && failed.compareAndSet(false, true)) {
                            throw new DataAccessResourceFailureException("Connection refused (test)");
                        }
                        try {
                            return method.invoke(servers, args);
                        }
                        catch (InvocationTargetException ex) {
                            throw ex.getCause();
                        }
                    });
            AmiConnections ami = new AmiConnections(failingOnce,
                    new AmiProperties(false, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5),
                    Duration.ofSeconds(5), Duration.ofSeconds(20)),
                    List.of(), Duration.ofMillis(200));
            try {
                ami.connect(serverId);

                awaitConnected(ami, serverId, true);
                assertThat(failed).isTrue();
                awaitReload(asterisk, 1);

                asterisk.goDown();
                awaitConnected(ami, serverId, false);
                asterisk.comeBack();
                awaitConnected(ami, serverId, true);
                awaitReload(asterisk, 2);   // Asterisk may have restarted while the database was down
            }
            finally {
                ami.stop();
            }
        }
    }

    /**
     * A host that dies or is cut off closes nothing: the connection still reads as connected while no answer and no
     * event ever comes. The keep-alive Ping finds it out, and the server is reconnected (and recovered) once it answers.
     */
    @Test
    void aServerThatStopsAnsweringIsTakenForLostAndReconnected() throws Exception {
        String secret = "silent-" + UUID.randomUUID();
        try (TestAmiServer asterisk = new TestAmiServer("capconduit", secret)) {
            long serverId = server(asterisk, secret);
            List<Instant> connects = new CopyOnWriteArrayList<>();
            AmiListener listener = new AmiListener() {
                @Override
                public void onEvent(long id, ManagerEvent event) {
                }

                @Override
                public void onConnected(long id, Instant connectedAt) {
                    connects.add(connectedAt);
                }
            };
            AmiConnections ami = new AmiConnections(servers, new AmiProperties(false, Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(200)),
                    List.of(listener), Duration.ofMillis(200));
            try {
                ami.connect(serverId);
                awaitConnected(ami, serverId, true);
                Thread.sleep(1000);   // several ping intervals
                assertThat(ami.isConnected(serverId)).as("answered pings keep the connection").isTrue();

                asterisk.freeze();
                awaitConnected(ami, serverId, false);

                asterisk.thaw();
                awaitConnected(ami, serverId, true);
                Eventually.await("the reconnect reported to the listeners", Duration.ofSeconds(10),
                        () -> connects.size() == 2);
                assertThat(asterisk.actions("Ping")).isNotEmpty();
            }
            finally {
                ami.stop();
            }
        }
    }

    /**
     * A server whose host drops connection requests unanswered (off, or behind a firewall) must not hold up another
     * server's connection: each server's attempts run side by side, and each gives up after the connect timeout.
     */
    @Test
    void aServerWhoseHostDoesNotAnswerHoldsUpNoOther() throws Exception {
        String secret = "beside-" + UUID.randomUUID();
        List<Socket> queued = new ArrayList<>();
        // a listener that never accepts, its queue full: further connection requests go unanswered, as to a dead host
        try (ServerSocket unanswering = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                TestAmiServer asterisk = new TestAmiServer("capconduit", secret)) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), unanswering.getLocalPort());
            while (true) {
                Socket socket = new Socket();
                try {
                    socket.connect(address, 300);
                    queued.add(socket);
                }
                catch (SocketTimeoutException ex) {
                    socket.close();
                    break;
                }
                assertThat(queued).as("connections queued before the listener stops answering").hasSizeLessThan(50);
            }
            long dead = jdbc.queryForObject("INSERT INTO asterisk_servers (name, host, ami_port, ami_username, ami_secret) "
                    + "VALUES (?, '127.0.0.1', ?, 'capconduit', 'x') RETURNING id", Long.class,
                    "dead-" + UUID.randomUUID(), unanswering.getLocalPort());
            long alive = server(asterisk, secret);
            AmiConnections ami = new AmiConnections(servers, new AmiProperties(false, Duration.ofMillis(100),
                    Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(20)),
                    List.of(), Duration.ofMillis(200));
            try {
                ami.connect(dead);
                Thread.sleep(200);   // its first attempt under way
                ami.connect(alive);
                Eventually.await("the answering server connected beside the silent one", Duration.ofSeconds(3),
                        () -> ami.isConnected(alive));
                assertThat(ami.isConnected(dead)).isFalse();
            }
            finally {
                ami.stop();
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }
}
