package io.capconduit.telephony;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A small Asterisk Manager Interface server over real TCP, for driving the real asterisk-java client in tests:
 * the AMI 11.0.0 banner, Challenge/Login (MD5 or plain), Originate (async: "successfully queued", then an
 * OriginateResponse event whose Uniqueid is the ChannelId), Hangup, Redirect, Setvar, CoreStatus,
 * CoreSettings, CoreShowChannels (list events and Complete), Logoff, and events pushed to every session.
 */
public final class TestAmiServer implements AutoCloseable {

    /**
     * What happens to an originated call. NO_ANSWER: the lead's phone rang until the Originate's Timeout, and
     * Asterisk hung the channel up itself: its Hangup has Cause 0 ("Unknown"), as main/dial.c's handle_timeout_trip
     * hangs it up without setting a cause (asterisk/asterisk issue #1660, Asterisk 20 to 22; releases with pull
     * request #1661 send 19). BUSY: the far end answered 486 (Cause 17). NO_CHANNEL: no channel could even be
     * requested (a trunk with no reachable contact), so Asterisk's OriginateResponse is a Failure with
     * {@code Uniqueid: <null>} and no Hangup follows.
     */
    public enum Outcome { ANSWER, BUSY, NO_ANSWER, FAILED, NO_CHANNEL }

    /** One Originate as received. */
    public record Originate(String channelId, String channel, String context, String exten,
            Map<String, String> variables) {
    }

    public record LiveChannel(String uniqueId, String channel, String context, String exten) {
    }

    private final String username;
    private final String secret;
    private final ServerSocket listener;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final List<Originate> originates = new CopyOnWriteArrayList<>();
    private final Map<String, LiveChannel> live = new ConcurrentHashMap<>();
    private final List<Map<String, String>> actions = new CopyOnWriteArrayList<>();
    private final AtomicInteger channelNumber = new AtomicInteger();
    private final AtomicBoolean dropOnNextOriginate = new AtomicBoolean();
    private final AtomicBoolean ignoreNextShowChannels = new AtomicBoolean();
    private final AtomicInteger refuseShowChannels = new AtomicInteger();
    private final AtomicReference<String> refuseNextOriginate = new AtomicReference<>();
    private volatile boolean refusing;
    private volatile boolean frozen;
    private volatile Function<Originate, Outcome> outcomes = originate -> Outcome.ANSWER;
    private volatile Instant startedAt = Instant.now();
    private volatile ZoneId localZone = ZoneId.of("UTC");
    private volatile boolean booting;

    public TestAmiServer(String username, String secret) throws IOException {
        this.username = username;
        this.secret = secret;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "test-ami-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void outcomes(Function<Originate, Outcome> outcomes) {
        this.outcomes = outcomes;
    }

    public List<Originate> originates() {
        return List.copyOf(originates);
    }

    public List<Map<String, String>> actions(String name) {
        return actions.stream().filter(action -> name.equalsIgnoreCase(action.get("Action"))).toList();
    }

    public Map<String, LiveChannel> liveChannels() {
        return Map.copyOf(live);
    }

    public int loggedInSessions() {
        return (int) sessions.stream().filter(session -> session.loggedIn).count();
    }

    /** The next Originate starts the call (it shows in CoreShowChannels) but the connection drops unanswered. */
    public void dropOnNextOriginate() {
        dropOnNextOriginate.set(true);
    }

    /**
     * The next Originate is refused with this message, as Asterisk answers one it cannot start (an unknown
     * channel technology, a bad context): no call, no OriginateResponse.
     */
    public void refuseNextOriginate(String message) {
        refuseNextOriginate.set(message);
    }

    /** The next CoreShowChannels gets no answer at all (a server too busy to answer in time). */
    public void ignoreNextShowChannels() {
        ignoreNextShowChannels.set(true);
    }

    /** The next {@code times} CoreShowChannels are answered with an error and no list. */
    public void refuseShowChannels(int times) {
        refuseShowChannels.set(times);
    }

    /** A channel that is up on this server (it shows in CoreShowChannels), as a call in progress. */
    public void channelUp(String uniqueId, String channel) {
        live.put(uniqueId, new LiveChannel(uniqueId, channel, "capconduit-outbound-answered", "s"));
    }

    /**
     * When this Asterisk started, and the time zone of its host: CoreStatus gives the start in that zone's local time
     * with no zone (main/manager.c's action_corestatus formats ast_localtime), FullyBooted its Uptime in seconds.
     */
    public void startedAt(Instant startedAt, ZoneId localZone) {
        this.startedAt = startedAt;
        this.localZone = localZone;
    }

    /** A host time zone hours away from this machine's, whichever side of UTC it is on. */
    public static ZoneId aZoneFarFromHere() {
        return ZoneId.of(ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds() >= 0
                ? "Pacific/Honolulu" : "Pacific/Kiritimati");
    }

    /**
     * Still starting: a login is accepted, but without the FullyBooted event main/manager.c's action_login sends
     * only once Asterisk is fully booted (its dialplan and channel drivers may not be loaded yet). See
     * {@link #finishBooting()}.
     */
    public void booting() {
        booting = true;
    }

    /** Fully booted now: the FullyBooted event goes to every logged-in session, as Asterisk raises it. */
    public void finishBooting() {
        booting = false;
        push(fullyBooted());
    }

    /** Down: every session is cut and new connections are closed at once, until {@link #comeBack()}. */
    public void goDown() {
        refusing = true;
        sessions.forEach(Session::close);
    }

    public void comeBack() {
        refusing = false;
    }

    /**
     * Silent, as a host that died or was cut off: connections stay open, but nothing is answered or sent (not even
     * a new connection's banner) until {@link #thaw()}.
     */
    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        frozen = false;
    }

    /** The far end hangs up a live channel: Hangup event to every session. */
    public void hangup(String uniqueId, int cause) {
        LiveChannel channel = live.remove(uniqueId);
        if (channel != null) {
            push(event("Hangup", "Channel", channel.channel(), "Uniqueid", uniqueId, "Linkedid", uniqueId,
                    "Cause", String.valueOf(cause), "Cause-txt", cause == 16 ? "Normal Clearing" : "Other"));
        }
    }

    /** Sends an event (header name/value pairs after "Event") to every logged-in session. */
    public void push(Map<String, String> event) {
        sessions.stream().filter(session -> session.loggedIn).forEach(session -> session.write(event));
    }

    public static Map<String, String> event(String name, String... pairs) {
        Map<String, String> packet = new LinkedHashMap<>();
        packet.put("Event", name);
        for (int i = 0; i < pairs.length; i += 2) {
            packet.put(pairs[i], pairs[i + 1]);
        }
        return packet;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sessions.forEach(Session::close);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                if (refusing) {
                    socket.close();
                    continue;
                }
                Session session = new Session(socket);
                sessions.add(session);
                Thread reader = new Thread(session::run, "test-ami-session");
                reader.setDaemon(true);
                reader.start();
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private final class Session {

        private final Socket socket;
        private final OutputStream out;
        private volatile boolean loggedIn;
        private String challenge;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void run() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                writeRaw("Asterisk Call Manager/11.0.0\r\n");
                Map<String, String> packet = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            String key = line.substring(0, colon).trim();
                            String value = line.substring(colon + 1).trim();
                            packet.merge(key, value, (a, b) -> a + "\n" + b);
                        }
                        continue;
                    }
                    if (!packet.isEmpty()) {
                        handle(packet);
                        packet = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    }
                }
            }
            catch (IOException ex) {
                // the client went away or we cut it
            }
            finally {
                close();
            }
        }

        private void handle(Map<String, String> action) {
            if (frozen) {
                return;
            }
            actions.add(action);
            String id = action.getOrDefault("ActionID", "");
            String name = action.getOrDefault("Action", "").toLowerCase();
            if (!loggedIn && !name.equals("challenge") && !name.equals("login")) {
                respond(id, "Error", "Message", "Permission denied");
                return;
            }
            switch (name) {
                case "challenge" -> {
                    challenge = String.valueOf(100000000 + (long) (Math.random() * 800000000));
                    respond(id, "Success", "Challenge", challenge);
                }
                case "login" -> login(id, action);
                case "logoff" -> {
                    respond(id, "Goodbye", "Message", "Thanks for all the fish.");
                    close();
                }
                case "ping" -> respond(id, "Success", "Ping", "Pong", "Timestamp", "0.0");
                case "coresettings" -> respond(id, "Success", "AMIversion", "11.0.0", "AsteriskVersion", "22.5.2",
                        "SystemName", "test-pbx", "CoreMaxCalls", "0", "CoreMaxLoadAvg", "0.000000",
                        "CoreRunUser", "asterisk", "CoreRunGroup", "asterisk", "CoreMaxFilehandles", "0",
                        "CoreRealTimeEnabled", "Yes", "CoreCDRenabled", "Yes", "CoreHTTPenabled", "No");
                case "corestatus" -> {
                    ZonedDateTime local = startedAt.atZone(localZone);
                    String date = local.format(DateTimeFormatter.ISO_LOCAL_DATE);
                    String time = local.format(DateTimeFormatter.ofPattern("HH:mm:ss"));
                    respond(id, "Success", "CoreStartupDate", date, "CoreStartupTime", time, "CoreReloadDate", date,
                            "CoreReloadTime", time, "CoreCurrentCalls", String.valueOf(live.size()));
                }
                case "coreshowchannels" -> {
                    if (refuseShowChannels.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        respond(id, "Error", "Message", "Failed to queue channel list");
                    }
                    else if (!ignoreNextShowChannels.compareAndSet(true, false)) {
                        showChannels(id);
                    }
                }
                case "originate" -> originate(id, action);
                case "hangup" -> {
                    String uniqueId = uniqueIdOf(action.get("Channel"));
                    if (uniqueId == null) {
                        respond(id, "Error", "Message", "No such channel");
                    }
                    else {
                        respond(id, "Success", "Message", "Channel Hungup");
                        hangup(uniqueId, 16);
                    }
                }
                // main/manager.c's action_redirect and action_setvar: a channel that is gone is an error
                case "redirect" -> respond(id, uniqueIdOf(action.get("Channel")) == null ? "Error" : "Success",
                        "Message", uniqueIdOf(action.get("Channel")) == null
                                ? "Channel does not exist: " + action.get("Channel") : "Redirect successful");
                case "setvar" -> respond(id, uniqueIdOf(action.get("Channel")) == null ? "Error" : "Success",
                        "Message", uniqueIdOf(action.get("Channel")) == null ? "No such channel" : "Variable Set");
                case "moduleload" -> respond(id, "Success", "Message", "Module reloaded.");
                // main/manager.c's process_message
                default -> respond(id, "Error", "Message", "Invalid/unknown command: " + action.get("Action")
                        + ". Use Action: ListCommands to show available commands.");
            }
        }

        private void login(String id, Map<String, String> action) {
            boolean ok = username.equals(action.get("Username")) && ("md5".equalsIgnoreCase(action.get("AuthType"))
                    ? md5(challenge + secret).equals(action.get("Key"))
                    : secret.equals(action.get("Secret")));
            if (!ok) {
                respond(id, "Error", "Message", "Authentication failed");
                close();
                return;
            }
            loggedIn = true;
            respond(id, "Success", "Message", "Authentication accepted");
            if (!booting) {
                write(fullyBooted());
            }
        }

        private void showChannels(String id) {
            respond(id, "Success", "EventList", "start", "Message", "Channels will follow");
            List<LiveChannel> channels = List.copyOf(live.values());
            for (LiveChannel channel : channels) {
                write(event("CoreShowChannel", "ActionID", id, "Channel", channel.channel(),
                        "Uniqueid", channel.uniqueId(), "Linkedid", channel.uniqueId(), "Context", channel.context(),
                        "Exten", channel.exten(), "Priority", "1", "ChannelState", "6", "ChannelStateDesc", "Up",
                        "Application", "Wait", "ApplicationData", "2", "Duration", "00:00:05"));
            }
            write(event("CoreShowChannelsComplete", "ActionID", id, "EventList", "Complete",
                    "ListItems", String.valueOf(channels.size())));
        }

        private void originate(String id, Map<String, String> action) {
            Map<String, String> variables = new LinkedHashMap<>();
            for (String assignment : action.getOrDefault("Variable", "").split("\n")) {
                int eq = assignment.indexOf('=');
                if (eq > 0) {
                    variables.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
            }
            String uniqueId = action.getOrDefault("ChannelId", "test-" + channelNumber.incrementAndGet());
            Originate originate = new Originate(uniqueId, action.get("Channel"), action.get("Context"),
                    action.get("Exten"), variables);
            originates.add(originate);
            String refusal = refuseNextOriginate.getAndSet(null);
            if (refusal != null) {
                respond(id, "Error", "Message", refusal);
                return;
            }
            String channel = action.get("Channel") + "-" + String.format("%08x", channelNumber.incrementAndGet());
            if (dropOnNextOriginate.compareAndSet(true, false)) {
                live.put(uniqueId, new LiveChannel(uniqueId, channel, originate.context(), originate.exten()));
                close();
                return;
            }
            respond(id, "Success", "Message", "Originate successfully queued");
            Outcome outcome = outcomes.apply(originate);
            String reason = switch (outcome) {
                case ANSWER -> "4";
                case BUSY -> "5";
                case NO_ANSWER -> "3";
                case FAILED, NO_CHANNEL -> "0";
            };
            if (outcome == Outcome.ANSWER) {
                live.put(uniqueId, new LiveChannel(uniqueId, channel, originate.context(), originate.exten()));
            }
            boolean noChannel = outcome == Outcome.NO_CHANNEL;
            // as main/manager.c's fast_originate: the requested channel and "<null>" when no channel was made
            Map<String, String> response = event("OriginateResponse", "ActionID", id,
                    "Response", outcome == Outcome.ANSWER ? "Success" : "Failure",
                    "Channel", noChannel ? action.get("Channel") : channel,
                    "Context", originate.context(), "Exten", originate.exten(), "Reason", reason,
                    "Uniqueid", noChannel ? "<null>" : uniqueId, "CallerIDNum", "<unknown>", "CallerIDName", "<unknown>");
            push(response);
            if (outcome != Outcome.ANSWER && !noChannel) {
                push(event("Hangup", "Channel", channel, "Uniqueid", uniqueId, "Linkedid", uniqueId,
                        "Cause", outcome == Outcome.BUSY ? "17" : outcome == Outcome.NO_ANSWER ? "0" : "38",
                        "Cause-txt", outcome == Outcome.BUSY ? "User busy" : outcome == Outcome.NO_ANSWER ? "Unknown"
                                : "Network out of order"));
            }
        }

        private String uniqueIdOf(String channel) {
            return live.values().stream().filter(c -> c.channel().equals(channel)).map(LiveChannel::uniqueId)
                    .findFirst().orElse(null);
        }

        private void respond(String id, String response, String... pairs) {
            Map<String, String> packet = new LinkedHashMap<>();
            packet.put("Response", response);
            if (!id.isEmpty()) {
                packet.put("ActionID", id);
            }
            for (int i = 0; i < pairs.length; i += 2) {
                packet.put(pairs[i], pairs[i + 1]);
            }
            write(packet);
        }

        void write(Map<String, String> packet) {
            StringBuilder text = new StringBuilder();
            packet.forEach((key, value) -> text.append(key).append(": ").append(value).append("\r\n"));
            writeRaw(text.append("\r\n").toString());
        }

        private synchronized void writeRaw(String text) {
            if (frozen) {
                return;
            }
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            catch (IOException ex) {
                close();
            }
        }

        void close() {
            loggedIn = false;
            sessions.remove(this);
            try {
                socket.close();
            }
            catch (IOException ex) {
                // already closed
            }
        }
    }

    /** As main/manager.c's action_login sends it (Asterisk 22: Uptime and LastReload, in seconds). */
    private Map<String, String> fullyBooted() {
        String uptime = String.valueOf(Duration.between(startedAt, Instant.now()).toSeconds());
        return event("FullyBooted", "Privilege", "system,all", "Uptime", uptime, "LastReload", uptime,
                "Status", "Fully Booted");
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
