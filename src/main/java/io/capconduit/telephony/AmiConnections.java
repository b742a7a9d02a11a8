package io.capconduit.telephony;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.capconduit.system.Backoff;
import org.asteriskjava.manager.DefaultManagerConnection;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.SendActionCallback;
import org.asteriskjava.manager.action.CoreShowChannelsAction;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.ModuleLoadAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.AbstractChannelEvent;
import org.asteriskjava.manager.event.BridgeEnterEvent;
import org.asteriskjava.manager.event.BridgeLeaveEvent;
import org.asteriskjava.manager.event.CoreShowChannelEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.DialEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.FullyBootedEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.VarSetEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * One asterisk-java connection per Asterisk server. A lost or refused connection is retried with exponential
 * back-off (asterisk-java's own fixed-interval reconnect loop is stopped); while a server is not logged in,
 * {@link #send} throws {@link AmiNotConnectedException} and nothing is sent. Each server's attempts run on a thread
 * of their own, so a host that does not answer (off, cut off) never holds up another server's reconnect; a connected
 * server is pinged, and one that stops answering (its host died without closing the connection) is taken for lost
 * and reconnected. Events go to the {@link AmiListener}s off the reader thread, in the order they arrived for each
 * channel. Which servers this instance is logged in to is also kept in the database (table ami_connections), so that
 * every app instance can tell whether any instance holds a connection ({@link #isConnectedOnAnyInstance}), and an
 * instance that holds none can have call control sent through one that does ({@link #sendAndWait}).
 */
@Component
public class AmiConnections implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AmiConnections.class);

    private static final int STRIPES = 4;
    static final String CDR_WRITER = "cdr_adaptive_odbc.so";
    static final String PJSIP = "res_pjsip.so";
    /**
     * How long after a connect the CDR writer is reloaded: past res_odbc's negative_connection_cache (5 s), so an
     * Asterisk whose database connection failed a moment ago (both restarted together) reaches it again first; a
     * reload that finds no database would drop the table until the next connect.
     */
    static final Duration CDR_WRITER_RELOAD_DELAY = Duration.ofSeconds(10);
    /** How long after a login with no FullyBooted a warning says why the server gets no calls. */
    private static final Duration NOT_BOOTED_WARNING = Duration.ofSeconds(60);

    private final AsteriskServerMapper servers;
    private final AmiProperties properties;
    private final List<AmiListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
    /** Only times the next attempt or ping: whatever may block (connecting, logging off, sending) runs on {@link #work}. */
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemon("ami-schedule"));
    /** Attempts, log-offs and pings: at most one at a time per server, any number of servers side by side. */
    private final ExecutorService work = Executors.newCachedThreadPool(daemon("ami-connect"));
    private final Duration cdrWriterReloadDelay;
    /** This instance's id in ami_connections: new at each start, so a row left by a crash is never taken for ours. */
    private final String instance = UUID.randomUUID().toString();
    /** Sends call control through another instance when this one is not logged in to the server; null: never. */
    private final AmiForwarding forwarding;
    private volatile boolean running;

    @Autowired
    AmiConnections(AsteriskServerMapper servers, AmiProperties properties, List<AmiListener> listeners,
            AmiForwarding forwarding) {
        this(servers, properties, listeners, CDR_WRITER_RELOAD_DELAY, forwarding);
    }

    /** Another instance's connections (tests): actions go out over them only, never through a third instance. */
    AmiConnections(AsteriskServerMapper servers, AmiProperties properties, List<AmiListener> listeners,
            Duration cdrWriterReloadDelay) {
        this(servers, properties, listeners, cdrWriterReloadDelay, null);
    }

    private AmiConnections(AsteriskServerMapper servers, AmiProperties properties, List<AmiListener> listeners,
            Duration cdrWriterReloadDelay, AmiForwarding forwarding) {
        this.servers = servers;
        this.properties = properties;
        this.listeners.addAll(listeners);
        this.cdrWriterReloadDelay = cdrWriterReloadDelay;
        this.forwarding = forwarding;
    }

    /** Starts keeping a connection to the server open (first attempt now). */
    public void connect(long serverId) {
        Session session = new Session(serverId);
        Session previous = sessions.put(serverId, session);
        if (previous != null) {
            previous.close();
        }
        work.execute(session::attempt);
    }

    /**
     * A server's row changed (created, its address, user or secret changed, activated or deactivated): when this
     * application keeps the connections itself ({@code auto-connect}), an active server is connected anew with
     * its new settings and an inactive one is dropped. Without this, such a change took effect at the next start.
     */
    public void serverChanged(long serverId, boolean active) {
        if (!properties.autoConnect()) {
            return;
        }
        if (active) {
            connect(serverId);
        }
        else {
            disconnect(serverId);
        }
    }

    /**
     * Catches up with changes this instance may have missed (see {@link AmiServerChanges}): when it keeps the
     * connections itself, an active server it has no session for is connected and a session of a server no longer
     * active (or gone) is dropped. Before {@link #start} it does nothing: start connects them all.
     */
    void follow(List<AsteriskServer> all) {
        if (!properties.autoConnect() || !running) {
            return;
        }
        Set<Long> active = new HashSet<>();
        all.stream().filter(AsteriskServer::active).forEach(server -> active.add(server.id()));
        active.stream().filter(id -> !sessions.containsKey(id)).forEach(this::connect);
        sessions.keySet().stream().filter(id -> !active.contains(id)).toList().forEach(this::disconnect);
    }

    /** Closes the server's connection and stops reconnecting. */
    public void disconnect(long serverId) {
        Session session = sessions.remove(serverId);
        if (session != null) {
            session.close();
        }
    }

    /**
     * When the server's Asterisk started, from the Uptime (seconds) of the FullyBooted event it sent this instance's
     * connection (on login, or when it finished booting), else another instance's, as that one wrote it in
     * ami_connections; empty before one came. CoreStatus gives the start in the Asterisk host's local time with no
     * zone, which reads wrong by the zones' difference wherever this application runs in another time zone.
     */
    public Optional<Instant> startedAt(long serverId) {
        Session session = sessions.get(serverId);
        Instant started = session == null ? null : session.startedOn(session.connection());
        return started != null ? Optional.of(started) : servers.asteriskStartedAt(serverId);
    }

    /** The start a connection's FullyBooted gave. */
    private record Booted(ManagerConnection connection, Instant startedAt) {
    }

    /**
     * Connected, and Asterisk has said it is fully booted (its FullyBooted event, on login or later). AMI takes a
     * login while Asterisk is still starting, before its dialplan and channel drivers are loaded: an Originate sent
     * then fails ("Extension does not exist.", or an OriginateResponse Failure) and costs the lead an attempt.
     */
    public boolean isReady(long serverId) {
        Session session = sessions.get(serverId);
        ManagerConnection connection = session == null ? null : session.connection();
        return connection != null && session.fullyBootedOn == connection;
    }

    /**
     * Whether the server is connected now and since when: since the login that is up, or since the connection was
     * lost (or, never connected yet, since this application started trying). Empty for a server it does not try to
     * connect (inactive, or another instance keeps the connections).
     */
    public Optional<ConnectionState> connectionState(long serverId) {
        Session session = sessions.get(serverId);
        return session == null ? Optional.empty() : Optional.of(session.state);
    }

    /** Connected or not, since when. */
    public record ConnectionState(boolean connected, Instant since) {
    }

    /**
     * Whether some app instance sharing the database, this one or another, is logged in to the server now (its
     * last answered keep-alive recent enough). {@link #isConnected} answers for this instance only, which holds no
     * connection at all with {@code auto-connect} off.
     */
    public boolean isConnectedOnAnyInstance(long serverId) {
        return servers.connectedOnAnyInstance(serverId);
    }

    /** Whether this instance is logged in to the server now. */
    public boolean isConnected(long serverId) {
        Session session = sessions.get(serverId);
        return session != null && session.connection() != null;
    }

    /** Sends without waiting; the callback gets the response, or {@code null} if the connection dropped first. */
    public void send(long serverId, ManagerAction action, SendActionCallback callback) throws IOException {
        connection(serverId).sendAction(action, callback);
    }

    /**
     * Sends and waits for the answer, over this instance's connection; when it holds none to the server but another
     * instance does, the actions of call control and of a server's status ({@link AmiForwardedActions}) are sent
     * through that instance ({@link AmiForwarding}), which may also throw {@link AmiForwardingTimeoutException}.
     */
    public ManagerResponse sendAndWait(long serverId, ManagerAction action) {
        if (forwardsThroughAnotherInstance(serverId, action)) {
            return forwarding.sendAndWait(serverId, action, instance);
        }
        return sendHere(serverId, action);
    }

    private boolean forwardsThroughAnotherInstance(long serverId, ManagerAction action) {
        return forwarding != null && !isConnected(serverId) && AmiForwardedActions.forwards(action)
                && servers.connectedOnAnotherInstance(serverId, instance);
    }

    /** Whether {@link #sendAndWait} can reach the server now: this instance or another is logged in to it. */
    public boolean isReachable(long serverId) {
        return isConnected(serverId) || isConnectedOnAnyInstance(serverId);
    }

    /** Sends over this instance's own connection only. */
    ManagerResponse sendHere(long serverId, ManagerAction action) {
        try {
            return connection(serverId).sendAction(action, properties.responseTimeout().toMillis());
        }
        catch (IOException | org.asteriskjava.manager.TimeoutException ex) {
            throw new AmiNotConnectedException(serverId);
        }
    }

    /**
     * Has every connected server reload res_pjsip, without waiting; a refusal is logged. Asterisk schedules the
     * OPTIONS qualify of a realtime AOR only when res_pjsip loads or reloads (res/res_pjsip/pjsip_options.c), not
     * when a row appears in ps_aors or changes there: a static contact written while it runs was never qualified.
     * A server not connected now qualifies it when it next starts, or at the next such change.
     */
    public void reloadPjsip() {
        sessions.forEach((serverId, session) -> {
            ManagerConnection connection = session.connection();
            if (connection != null) {
                reloadModule(connection, String.valueOf(serverId), PJSIP,
                        "AORs written since it started are qualified after 'pjsip reload' there");
            }
        });
    }

    /**
     * The unique and linked ids of every channel up on the server now. Throws {@link AmiNotConnectedException} or
     * {@link ChannelListRefusedException} rather than answer without a list: asterisk-java completes an
     * event-generating action that Asterisk refused with no events, which is not an empty server.
     */
    public Set<String> liveChannelIds(long serverId) {
        Set<String> ids = new HashSet<>();
        liveChannels(serverId).forEach(channel -> {
            ids.add(channel.getUniqueid());
            ids.add(channel.getLinkedid());
        });
        return ids;
    }

    /** The names (PJSIP/agent-1001-0000002a) of every channel up on the server now; throws as {@link #liveChannelIds}. */
    public Set<String> liveChannelNames(long serverId) {
        Set<String> names = new HashSet<>();
        liveChannels(serverId).forEach(channel -> names.add(channel.getChannel()));
        return names;
    }

    private List<CoreShowChannelEvent> liveChannels(long serverId) {
        // this instance's own connection: the dialer's recovery and the claim sweep act on what it heard
        ResponseEvents channels = sendEventGeneratingHere(serverId, new CoreShowChannelsAction());
        if (channels.getResponse() instanceof ManagerError error) {
            throw new ChannelListRefusedException(error.getMessage());
        }
        return channels.getEvents().stream().filter(CoreShowChannelEvent.class::isInstance)
                .map(CoreShowChannelEvent.class::cast).toList();
    }

    /** Sends and waits for the answer and its events; through another instance as {@link #sendAndWait} does. */
    public ResponseEvents sendEventGenerating(long serverId, EventGeneratingAction action) {
        if (forwardsThroughAnotherInstance(serverId, action)) {
            return forwarding.sendEventGenerating(serverId, action, instance);
        }
        return sendEventGeneratingHere(serverId, action);
    }

    /** Sends over this instance's own connection only. */
    ResponseEvents sendEventGeneratingHere(long serverId, EventGeneratingAction action) {
        try {
            return connection(serverId).sendEventGeneratingAction(action, properties.responseTimeout().toMillis());
        }
        catch (IOException | org.asteriskjava.manager.EventTimeoutException ex) {
            throw new AmiNotConnectedException(serverId);
        }
    }

    private ManagerConnection connection(long serverId) {
        Session session = sessions.get(serverId);
        ManagerConnection connection = session == null ? null : session.connection();
        if (connection == null) {
            throw new AmiNotConnectedException(serverId);
        }
        return connection;
    }

    /** This instance's id in ami_connections and ami_forwarded_actions. */
    String instance() {
        return instance;
    }

    @Override
    public void start() {
        running = true;
        if (properties.autoConnect()) {
            servers.findAll().stream().filter(AsteriskServer::active).forEach(server -> connect(server.id()));
        }
    }

    @Override
    public void stop() {
        running = false;
        sessions.keySet().forEach(this::disconnect);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The connection of one server and its reconnect schedule. */
    private final class Session {

        private final long serverId;
        // events of one channel (one unique id) always go to the same single-thread stripe: in order per channel,
        // several calls in parallel
        private final ExecutorService[] events = new ExecutorService[STRIPES];
        private volatile ManagerConnection current;
        private volatile Booted booted;
        /** The connection on which Asterisk last said it is fully booted. */
        private volatile ManagerConnection fullyBootedOn;
        private volatile boolean closed;
        private volatile ConnectionState state = new ConnectionState(false, Instant.now());
        private int failures;

        Session(long serverId) {
            this.serverId = serverId;
            for (int i = 0; i < STRIPES; i++) {
                events[i] = Executors.newSingleThreadExecutor(daemon("ami-events-" + serverId + "-" + i));
            }
        }

        ManagerConnection connection() {
            ManagerConnection connection = current;
            return connection != null && connection.getState() == ManagerConnectionState.CONNECTED ? connection : null;
        }

        void attempt() {
            if (closed) {
                return;
            }
            AsteriskServer server;
            String secret;
            try {
                server = servers.findById(serverId).orElse(null);
                secret = server == null ? null : servers.findAmiSecret(serverId);
            }
            catch (RuntimeException ex) {
                // the database is down too (Asterisk and PostgreSQL restarted together): try again later, as for a
                // refused login, rather than never again
                log.warn("Asterisk server {}: cannot read its AMI settings ({}); retrying", serverId, ex.getMessage());
                retryLater();
                return;
            }
            if (server == null || !server.active()) {
                log.info("Asterisk server {} is gone or inactive; not connecting", serverId);
                return;
            }
            DefaultManagerConnection connection = new DefaultManagerConnection(server.host(), server.amiPort(),
                    server.amiUsername(), secret);
            connection.setSocketTimeout((int) Math.min(Integer.MAX_VALUE, properties.connectTimeout().toMillis()));
            connection.addEventListener(event -> onEvent(connection, event));
            try {
                connection.login();
            }
            catch (Exception ex) {
                // the message names host and user at most, never the secret
                log.warn("AMI login to {} ({}:{}) failed: {}", server.name(), server.host(), server.amiPort(),
                        ex.getMessage());
                quietlyLogoff(connection);
                retryLater();
                return;
            }
            boolean accepted;
            synchronized (this) {
                // closed while logging in: the connection is not kept (close() has already run)
                accepted = !closed;
                if (accepted) {
                    current = connection;
                    // inside the lock: a close() that follows removes the row this writes
                    say(() -> servers.connectionUp(serverId, instance, heldFor(), startedOn(connection)));
                }
            }
            if (!accepted) {
                quietlyLogoff(connection);
                return;
            }
            failures = 0;
            Instant connectedAt = Instant.now();
            state = new ConnectionState(true, connectedAt);
            log.info("AMI connected to {} ({}:{})", server.name(), server.host(), server.amiPort());
            scheduler.schedule(() -> work.execute(() -> {
                if (current == connection && !closed) {
                    reloadCdrWriter(connection, server);
                }
            }), cdrWriterReloadDelay.toMillis(), TimeUnit.MILLISECONDS);
            events[0].execute(() -> listeners.forEach(listener -> notifyConnected(listener, connectedAt)));
            schedulePing(connection);
            scheduler.schedule(() -> {
                if (current == connection && !closed && fullyBootedOn != connection) {
                    log.warn("Asterisk server {} has not said it is fully booted (no FullyBooted event) {} s after "
                            + "the login: the dialer gives it no calls until it does. Its AMI user needs the read "
                            + "class system (asterisk-conf/manager.conf)", server.name(), NOT_BOOTED_WARNING.toSeconds());
                }
            }, NOT_BOOTED_WARNING.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void schedulePing(ManagerConnection connection) {
            scheduler.schedule(() -> work.execute(() -> ping(connection)), properties.pingInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        /**
         * Sends a Ping and, after the response timeout, checks that it was answered: a host that died or was cut off
         * never closes the connection, which would otherwise read as connected (calls handed to it, no event ever
         * arriving) until the system gave up resending, or for ever on a connection with nothing to send.
         */
        private void ping(ManagerConnection connection) {
            if (connection != current || closed) {
                return;
            }
            AtomicBoolean answered = new AtomicBoolean();
            try {
                connection.sendAction(new PingAction(), response -> answered.set(response != null));
            }
            catch (IOException | RuntimeException ex) {
                lost(connection, "a Ping could not be sent: " + ex.getMessage());
                return;
            }
            scheduler.schedule(() -> {
                if (connection != current || closed) {
                    return;
                }
                if (answered.get()) {
                    work.execute(() -> stillUp(connection));
                    schedulePing(connection);
                }
                else {
                    lost(connection, "no answer to a Ping within " + properties.responseTimeout().toMillis() + " ms");
                }
            }, properties.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The connection is given up (once, whoever notices first) and a new one attempted after the back-off. */
        private synchronized void lost(ManagerConnection connection, String why) {
            if (connection != current || closed) {
                return;
            }
            current = null;
            state = new ConnectionState(false, Instant.now());
            log.warn("AMI connection to server {} lost ({}); reconnecting with back-off", serverId, why);
            work.execute(() -> {
                quietlyLogoff(connection);
                say(() -> servers.connectionDown(serverId, instance));
                retryLater();
            });
        }

        /** Its keep-alive answered: the database hears the connection still holds (again, if it missed the login). */
        private synchronized void stillUp(ManagerConnection connection) {
            if (connection == current && !closed) {
                Instant started = startedOn(connection);
                say(() -> {
                    if (servers.connectionStillUp(serverId, instance, heldFor(), started) == 0) {
                        servers.connectionUp(serverId, instance, heldFor(), started);
                    }
                });
            }
        }

        /** When Asterisk started, as the FullyBooted it sent {@code connection} said; null before one came. */
        Instant startedOn(ManagerConnection connection) {
            Booted started = booted;
            return started != null && connection != null && started.connection() == connection ? started.startedAt()
                    : null;
        }

        /** Tells the database; one that fails (it is down) is logged, and the next keep-alive says it again. */
        private void say(Runnable write) {
            try {
                write.run();
            }
            catch (RuntimeException ex) {
                log.warn("Asterisk server {}: could not record this instance's AMI connection ({})", serverId,
                        ex.getMessage());
            }
        }

        private void onEvent(ManagerConnection connection, ManagerEvent event) {
            if (event instanceof DisconnectEvent) {
                lost(connection, "disconnected");
                return;
            }
            if (event instanceof FullyBootedEvent fullyBooted) {
                // the login's FullyBooted arrives before the connection is current: kept for that connection
                fullyBootedOn = connection;
                if (fullyBooted.getUptime() != null) {
                    booted = new Booted(connection, Instant.now().minusSeconds(fullyBooted.getUptime()));
                }
            }
            if (connection == current) {
                events[stripe(event)].execute(() -> listeners.forEach(listener -> deliver(listener, event)));
            }
        }

        private void retryLater() {
            if (closed) {
                return;
            }
            Duration delay = backoff(properties, failures++);
            scheduler.schedule(() -> work.execute(this::attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void deliver(AmiListener listener, ManagerEvent event) {
            try {
                listener.onEvent(serverId, event);
            }
            catch (RuntimeException ex) {
                log.error("AMI listener failed on {} from server {}", event.getClass().getSimpleName(), serverId, ex);
            }
        }

        private void notifyConnected(AmiListener listener, Instant connectedAt) {
            try {
                listener.onConnected(serverId, connectedAt);
            }
            catch (RuntimeException ex) {
                log.error("AMI reconnect handling failed for server {}", serverId, ex);
            }
        }

        synchronized void close() {
            closed = true;
            ManagerConnection connection = current;
            current = null;
            if (connection != null) {
                quietlyLogoff(connection);
                say(() -> servers.connectionDown(serverId, instance));
            }
            for (ExecutorService stripe : events) {
                stripe.shutdownNow();
            }
        }
    }

    /**
     * The executor an event runs on: every event of one channel (its unique id) on the same one, so a VarSet or a
     * BridgeEnter is never handled after the Hangup of its channel. VarSet, BridgeEnter/Leave and the Dial events
     * are not channel events in asterisk-java (they extend ManagerEvent directly), so each is named here. Events of
     * no channel share stripe 0.
     */
    static int stripe(ManagerEvent event) {
        String key = event instanceof AbstractChannelEvent channel ? channel.getUniqueId()
                : event instanceof OriginateResponseEvent originate ? originate.getUniqueId()
                : event instanceof VarSetEvent variable ? variable.getUniqueId()
                : event instanceof BridgeEnterEvent enter ? enter.getUniqueId()
                : event instanceof BridgeLeaveEvent leave ? leave.getUniqueId()
                : event instanceof DialEvent dial ? dial.getUniqueId()
                : event instanceof DeviceStateChangeEvent device ? device.getDevice() : null;
        return key == null ? 0 : Math.floorMod(key.hashCode(), STRIPES);
    }

    /**
     * Has Asterisk's CDR writer read the cdr table again. cdr_adaptive_odbc reads the table's columns once, when it
     * loads: an Asterisk that started while the database was down (or before a migration added a column) keeps
     * writing no CDR at all, or none of the new column, silently, until the module is reloaded. The database is up
     * and migrated whenever this application connects, so each (re)connect is the moment to reload it.
     */
    private static void reloadCdrWriter(ManagerConnection connection, AsteriskServer server) {
        reloadModule(connection, server.name(), CDR_WRITER,
                "its CDRs may not be written until 'module reload " + CDR_WRITER + "' is run there");
    }

    /** Asks the server to reload {@code module}, without waiting; a refusal is logged with what it leaves undone. */
    private static void reloadModule(ManagerConnection connection, String server, String module, String ifRefused) {
        try {
            connection.sendAction(new ModuleLoadAction(module, ModuleLoadAction.LOAD_TYPE_RELOAD), response -> {
                if (response instanceof ManagerError) {
                    log.warn("Asterisk server {} refused to reload {} ({}): {}", server, module, response.getMessage(),
                            ifRefused);
                }
            });
        }
        catch (IOException | RuntimeException ex) {
            log.warn("Asterisk server {}: could not ask for a reload of {}: {}", server, module, ex.getMessage());
        }
    }

    private static void quietlyLogoff(ManagerConnection connection) {
        try {
            ManagerConnectionState state = connection.getState();
            if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
                connection.logoff();
            }
        }
        catch (RuntimeException ex) {
            log.debug("AMI logoff: {}", ex.getMessage());
        }
    }

    /** How long a connection's row holds without a word: past the next Ping and its answer, with room to spare. */
    private long heldFor() {
        return properties.pingInterval().multipliedBy(2).plus(properties.responseTimeout()).toMillis();
    }

    /** Wait before the next attempt after {@code failures} failed ones: min, 2 min, 4 min, ... up to max. */
    static Duration backoff(AmiProperties properties, int failures) {
        return Backoff.doubling(properties.minBackoff(), failures, properties.maxBackoff());
    }
}
