package io.capconduit.routing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code asterisk-conf/extensions.conf} itself, step by step as Asterisk's PBX core does, for the
 * applications, functions and expressions the inbound routing uses: variable and expression substitution
 * ({@code ${...}}, {@code $[...]}), {@code Set} (variables, {@code CDR()}, {@code ARRAY()},
 * {@code CHANNEL(hangup_handler_push)}), {@code Goto}, {@code GotoIf}, {@code Dial} with its {@code U()}
 * subroutine on the answering party's channel, {@code Hangup}, {@code Return}, the hangup handlers,
 * {@code STRFTIME} (on the runner's clock), {@code MixMonitor} (noted, it changes nothing the runner follows),
 * {@code Answer} and {@code Playback} (noted, with PLAYBACKSTATUS from the sound files the test says exist),
 * {@code PJSIP_DIAL_CONTACTS} (from the contacts the test gives each endpoint; one by default), and the func_odbc
 * functions through {@link FuncOdbc}. Anything else it meets is an error, not a guess: a dialplan change that needs
 * more makes the tests fail until this runner learns it.
 */
final class DialplanRunner {

    private static final Pattern EXTEN = Pattern.compile("^exten\\s*=>\\s*([^,]+),([^,(]+)(?:\\(([^)]+)\\))?,(.*)$");
    private static final Pattern SAME = Pattern.compile("^same\\s*=>\\s*([^,(]+)(?:\\(([^)]+)\\))?,(.*)$");
    private static final Pattern APP = Pattern.compile("^(\\w+)(?:\\((.*)\\))?$");
    private static final Pattern FUNCTION = Pattern.compile("^([A-Z_]+)\\((.*)\\)$", Pattern.DOTALL);
    private static final Set<String> READ_ONLY_CDR = Set.of("clid", "src", "dst", "dcontext", "channel",
            "dstchannel", "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec", "disposition",
            "uniqueid", "linkedid", "sequence");
    private static final Pattern EXPRESSION = Pattern.compile(
            "^\\s*(\"[^\"]*\"|[^\\s\"]+)\\s*(!=|=|>=|<=|>|<|\\+|-)\\s*(\"[^\"]*\"|[^\\s\"]+)\\s*$");

    /** One priority: its number, its label (or null), the application and its data as written. */
    record Step(int priority, String label, String app, String data) {
    }

    /** A MixMonitor a channel ran: its arguments (file,options) and how many Dials the channel had run before. */
    record MixMonitorStart(String arguments, int dialsBefore) {
    }

    /** An Answer or a Playback the channel ran: the application, its data, how many Dials the channel ran before. */
    record Prompt(String app, String data, int dialsBefore) {
    }

    /** The dialplan as written: context -> extension -> its steps in priority order; and the included contexts. */
    record Parsed(Map<String, Map<String, List<Step>>> contexts, Set<String> includes) {
    }

    private final Map<String, Map<String, List<Step>>> contexts;
    private final FuncOdbc odbc;
    private final Clock clock;
    /** The reachable contacts of each endpoint (a static buyer's SBC, the phones a buyer registered). */
    private Function<String, List<String>> contacts = endpoint -> List.of("sip:" + endpoint + "@192.0.2.10:5060");
    /** The sound files Playback finds (every one by default). */
    private Predicate<String> sounds = sound -> true;
    /** Runs at each Playback, before it plays: what the test looks at while the caller listens. */
    private Consumer<Channel> whilePlaying = channel -> { };

    DialplanRunner(FuncOdbc odbc) {
        this(odbc, Clock.systemUTC());
    }

    /** A runner whose STRFTIME reads the time from {@code clock}; {@code odbc} may be null for a dialplan without. */
    DialplanRunner(FuncOdbc odbc, Clock clock) {
        this.odbc = odbc;
        this.clock = clock;
        this.contexts = parse(FuncOdbc.CONF_DIR.resolve("extensions.conf")).contexts();
    }

    /**
     * The contact URIs PJSIP_DIAL_CONTACTS finds reachable for an endpoint, in this runner's calls from now on (by
     * default every endpoint has one).
     */
    DialplanRunner contacts(Function<String, List<String>> contactsOfEndpoint) {
        this.contacts = contactsOfEndpoint;
        return this;
    }

    /** The sound files Playback finds, in this runner's calls from now on (by default every one). */
    DialplanRunner sounds(Predicate<String> soundExists) {
        this.sounds = soundExists;
        return this;
    }

    /** Runs {@code check} at each Playback of this runner's calls from now on, before the file plays. */
    DialplanRunner whilePlaying(Consumer<Channel> check) {
        this.whilePlaying = check;
        return this;
    }

    /** Reads a dialplan file and the files it #includes. */
    static Parsed parse(Path file) {
        Parsed parsed = new Parsed(new LinkedHashMap<>(), new LinkedHashSet<>());
        parse(file, parsed);
        return parsed;
    }

    private static void parse(Path file, Parsed parsed) {
        String context = null;
        String exten = null;
        int priority = 0;
        try {
            for (String raw : Files.readAllLines(file)) {
                if (raw.strip().startsWith(";--")) {
                    throw new IllegalStateException("the runner does not read block comments: " + raw);
                }
                String line = FuncOdbc.stripComment(raw).strip();
                Matcher m;
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("#include")) {
                    parse(FuncOdbc.CONF_DIR.resolve(line.replaceAll("#include\\s*\"?([^\"]+)\"?", "$1")), parsed);
                }
                else if (line.startsWith("[") && line.endsWith("]")) {
                    context = line.substring(1, line.length() - 1);
                    parsed.contexts().putIfAbsent(context, new LinkedHashMap<>());
                }
                else if (line.startsWith("include")) {
                    parsed.includes().add(line.replaceFirst("include\\s*=>\\s*", ""));
                }
                else if ((m = EXTEN.matcher(line)).matches()) {
                    exten = m.group(1).strip();
                    priority = m.group(2).strip().equals("n") ? priority + 1 : Integer.parseInt(m.group(2).strip());
                    add(parsed, context, exten, priority, m.group(3), m.group(4));
                }
                else if ((m = SAME.matcher(line)).matches() && exten != null) {
                    priority = m.group(1).strip().equals("n") ? priority + 1 : Integer.parseInt(m.group(1).strip());
                    add(parsed, context, exten, priority, m.group(2), m.group(3));
                }
                else if (("general".equals(context) || "globals".equals(context)) && line.matches("[\\w]+=.*")) {
                    // [general] options; [globals] would be variables every channel sees (none are used)
                    if ("globals".equals(context)) {
                        throw new IllegalStateException("the runner does not set global variables: " + line);
                    }
                }
                else {
                    throw new IllegalStateException("the runner cannot read this line of " + file + ": " + raw);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void add(Parsed parsed, String context, String exten, int priority, String label, String app) {
        Matcher m = APP.matcher(app.strip());
        if (!m.matches()) {
            throw new IllegalStateException("cannot read " + context + "," + exten + "," + priority + ": " + app);
        }
        List<Step> steps = parsed.contexts().get(context).computeIfAbsent(exten, e -> new ArrayList<>());
        if (steps.stream().anyMatch(step -> step.priority() == priority)) {
            throw new IllegalStateException("priority " + priority + " twice in " + context + "," + exten);
        }
        steps.add(new Step(priority, label, m.group(1), m.group(2) == null ? "" : m.group(2)));
        steps.sort(Comparator.comparingInt(Step::priority));
    }

    /**
     * A call entering {@code context} for {@code exten}; it runs until it is bridged to a buyer or hung up. A
     * number no extension of the context matches never reaches the dialplan: chan_pjsip answers 404 itself
     * ({@link Channel#notFound}), with no channel, no CDR and no hangup handler.
     */
    Channel call(String context, String exten, String uniqueId, String callerId, Function<String, String> buyers) {
        return call(context, exten, uniqueId, callerId, Map.of(), buyers);
    }

    /** The same, for a channel that enters the dialplan with these variables set (an Originate's Variable headers). */
    Channel call(String context, String exten, String uniqueId, String callerId, Map<String, String> variables,
            Function<String, String> buyers) {
        Channel channel = new Channel(buyers);
        channel.vars.putAll(variables);
        String number = exten.isEmpty() ? "s" : exten;
        String matched = matchExtension(contexts, context, number);
        if (matched == null) {
            channel.notFound = true;
            return channel;
        }
        channel.vars.put("UNIQUEID", uniqueId);
        channel.vars.put("CALLERID(num)", callerId);
        channel.jump(context, matched, "1");
        channel.vars.put("EXTEN", number);
        channel.run();
        return channel;
    }

    /**
     * The extension a dialled number runs: its literal one, else the first pattern it matches, else none (chan_pjsip
     * answers 404 before the dialplan).
     */
    static String matchExtension(Map<String, Map<String, List<Step>>> contexts, String context, String number) {
        Map<String, List<Step>> extensions = contexts.get(context);
        if (extensions.containsKey(number)) {
            return number;
        }
        for (String exten : extensions.keySet()) {
            if (exten.startsWith("_") && number.matches(patternRegex(exten.substring(1)))) {
                return exten;
            }
        }
        return null;
    }

    private static String patternRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case 'X' -> "[0-9]";
                case 'Z' -> "[1-9]";
                case 'N' -> "[2-9]";
                case '.' -> ".+";
                case '!' -> ".*";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return regex.toString();
    }

    /** One channel: its variables, its CDR variables, where it is in the dialplan, what it dialled. */
    final class Channel {

        final Map<String, String> vars = new HashMap<>();
        final Map<String, String> cdr = new LinkedHashMap<>();
        /** The endpoint each Dial called. */
        final List<String> dialled = new ArrayList<>();
        /** Every channel each Dial rang at once: PJSIP/endpoint, or PJSIP/endpoint/contact-uri. */
        final List<String> rang = new ArrayList<>();
        /**
         * The CDR variables the answering party's channel set in Dial's U() routine: Asterisk sets them on the
         * caller's record whose party B that channel is, and writes them in its row (party B variables merged).
         */
        final Map<String, String> answeredCdr = new LinkedHashMap<>();
        /** Each MixMonitor the channel ran, in order: it records the channel's audio, nothing the runner follows. */
        final List<MixMonitorStart> recordings = new ArrayList<>();
        /** Each Answer and Playback the channel ran, in order. */
        final List<Prompt> prompts = new ArrayList<>();
        String answered;
        Integer hangupCause;
        boolean notFound;
        /**
         * The dst and dcontext of the channel's first CDR record as Asterisk 22 writes them (main/cdr.c,
         * base_process_party_a): the extension and context party A is in, followed step by step outside subroutines
         * and inside hangup handlers, until the record's first Dial (a failed or ended Dial finalizes the record).
         * Not the number the carrier dialled once a Goto moved the channel on.
         */
        String cdrDst;
        String cdrDcontext;
        private final Function<String, String> buyers;
        private final Deque<String> hangupHandlers = new ArrayDeque<>();
        private final Map<String, Deque<List<String>>> results = new HashMap<>();
        private int nextResult;
        private String context;
        private String exten;
        private int index;
        private boolean bridged;
        private boolean onAfterBridge;
        /** The priority just run, when the next one is reached by falling through (not by a jump). */
        private Integer fellThroughFrom;

        private Channel(Function<String, String> buyers) {
            this.buyers = buyers;
        }

        /**
         * Ends the call (a normal clearing, 16, for a bridged one), then its hangup handlers run, each once. A bridged
         * call goes back to the dialplan only with Dial's {@code g} option; without it Dial ends the caller's
         * dialplan when the bridge ends.
         */
        void hangup() {
            if (notFound) {
                return;
            }
            if (bridged) {
                bridged = false;
                if (onAfterBridge) {
                    run();
                }
                else {
                    hangupCause = 16;
                    vars.put("HANGUPCAUSE", "16");
                }
            }
            while (!hangupHandlers.isEmpty()) {
                String[] target = hangupHandlers.pop().split(",");
                jump(target[0], target[1], target[2]);
                run();
            }
        }

        /** Runs from where the channel is to a Hangup, a Return, or a bridge. */
        private void run() {
            while (true) {
                List<Step> steps = contexts.get(context).get(exten);
                if (index >= steps.size()) {
                    throw new IllegalStateException("ran off the end of " + context + "," + exten);
                }
                Step step = steps.get(index++);
                if (fellThroughFrom != null && step.priority() != fellThroughFrom + 1) {
                    throw new IllegalStateException("no priority " + (fellThroughFrom + 1) + " in " + context + ","
                            + exten + ": Asterisk would hang up here");
                }
                fellThroughFrom = step.priority();   // a jump below clears it
                if (dialled.isEmpty()) {
                    cdrDst = vars.get("EXTEN");
                    cdrDcontext = context;
                }
                String data = substitute(step.data());
                switch (step.app()) {
                    case "NoOp" -> {
                    }
                    case "MixMonitor" -> recordings.add(new MixMonitorStart(data, dialled.size()));
                    case "ODBCFinish" -> results.remove(data);
                    case "Answer" -> prompts.add(new Prompt("Answer", data, dialled.size()));
                    case "Playback" -> playback(data);
                    case "Set" -> set(data);
                    case "Goto" -> goTo(data);
                    case "GotoIf" -> {
                        String target = choose(data);
                        if (!target.isEmpty()) {
                            goTo(target);
                        }
                    }
                    case "Dial" -> {
                        if (dial(data)) {
                            return;
                        }
                    }
                    case "Hangup" -> {
                        hangupCause = data.isEmpty() ? 16 : Integer.valueOf(data);
                        vars.put("HANGUPCAUSE", String.valueOf(hangupCause));
                        return;
                    }
                    case "Return" -> {
                        return;
                    }
                    default -> throw new IllegalStateException("the runner has no " + step.app() + " ("
                            + context + "," + exten + "," + step.priority() + ")");
                }
            }
        }

        /**
         * Playback(file[&file2...][,options]) as app_playback.c runs it: it answers the channel unless it is up or
         * an option says skip or noanswer; a file it cannot find logs a warning and sets PLAYBACKSTATUS to FAILED,
         * and the dialplan goes on.
         */
        private void playback(String data) {
            List<String> args = split(data, ',');
            if (args.get(0).isEmpty()) {
                throw new IllegalStateException("Playback requires a file name: Asterisk hangs the call up");
            }
            String options = args.size() > 1 ? args.get(1) : "";
            if (!options.isEmpty()) {
                throw new IllegalStateException("the runner has no Playback option " + options);
            }
            prompts.add(new Prompt("Playback", data, dialled.size()));
            whilePlaying.accept(this);
            boolean found = List.of(args.get(0).split("&")).stream().allMatch(sounds);
            vars.put("PLAYBACKSTATUS", found ? "SUCCESS" : "FAILED");
        }

        private void jump(String toContext, String toExten, String priority) {
            List<Step> steps = contexts.getOrDefault(toContext, Map.of()).get(toExten);
            if (steps == null) {
                throw new IllegalStateException("no extension " + toContext + "," + toExten);
            }
            for (int i = 0; i < steps.size(); i++) {
                if (String.valueOf(steps.get(i).priority()).equals(priority) || priority.equals(steps.get(i).label())) {
                    context = toContext;
                    exten = toExten;
                    index = i;
                    fellThroughFrom = null;
                    vars.put("EXTEN", toExten);
                    return;
                }
            }
            throw new IllegalStateException("no priority " + toContext + "," + toExten + "," + priority);
        }

        private void goTo(String target) {
            List<String> parts = split(target, ',');
            switch (parts.size()) {
                case 1 -> jump(context, exten, parts.get(0));
                case 2 -> jump(context, parts.get(0), parts.get(1));
                default -> jump(parts.get(0), parts.get(1), parts.get(2));
            }
        }

        private void set(String data) {
            int eq = data.indexOf('=');
            String name = data.substring(0, eq);
            String value = data.substring(eq + 1);
            Matcher function = FUNCTION.matcher(name);
            if (!function.matches()) {
                vars.put(name, value);
                return;
            }
            switch (function.group(1)) {
                case "CDR" -> {
                    if (READ_ONLY_CDR.contains(function.group(2))) {
                        throw new IllegalStateException("CDR(" + function.group(2) + ") is read-only");
                    }
                    cdr.put(function.group(2), value);
                }
                case "CHANNEL" -> {
                    if (!function.group(2).equals("hangup_handler_push")) {
                        throw new IllegalStateException("the runner has no CHANNEL(" + function.group(2) + ")");
                    }
                    hangupHandlers.push(value);
                }
                case "ARRAY" -> {
                    List<String> names = split(function.group(2), ',');
                    List<String> values = split(value, ',');
                    for (int i = 0; i < names.size(); i++) {
                        vars.put(names.get(i), i < values.size() ? unescape(values.get(i)) : "");
                    }
                }
                default -> throw new IllegalStateException("the runner cannot Set " + name);
            }
        }

        /**
         * Dial(PJSIP/endpoint,timeout,options), or Dial of the channels PJSIP_DIAL_CONTACTS lists for one endpoint
         * (PJSIP/endpoint/uri, joined by &amp;), which ring at once: true when the buyer answered and the call is now
         * bridged.
         */
        private boolean dial(String data) {
            List<String> args = split(data, ',');
            if (args.get(0).isEmpty()) {
                throw new IllegalStateException("Dial with nothing to call: Asterisk's Dial refuses it and hangs the "
                        + "call up, with no DIALSTATUS to fail over on: Dial(" + data + ")");
            }
            List<String> channels = List.of(args.get(0).split("&"));
            Set<String> endpoints = new LinkedHashSet<>();
            for (String channel : channels) {
                Matcher target = Pattern.compile("PJSIP/([^/,&]+)(/sip:[^,&]+)?").matcher(channel);
                if (!target.matches()) {
                    throw new IllegalStateException("Dial needs PJSIP/<endpoint>[/<uri>] channels: Dial(" + data + ")");
                }
                endpoints.add(target.group(1));
            }
            if (endpoints.size() != 1 || args.size() < 2 || !args.get(1).matches("\\d+")) {
                throw new IllegalStateException("Dial needs one endpoint's channels and a timeout in seconds: Dial("
                        + data + ")");
            }
            String endpoint = endpoints.iterator().next();
            dialled.add(endpoint);
            rang.addAll(channels);
            String status = buyers.apply(endpoint);
            if (!List.of("ANSWER", "BUSY", "NOANSWER", "CHANUNAVAIL", "CONGESTION", "CANCEL").contains(status)) {
                throw new IllegalStateException("no DIALSTATUS " + status);
            }
            vars.put("DIALSTATUS", status);
            if (!status.equals("ANSWER")) {
                return false;
            }
            String options = args.size() > 2 ? args.get(2) : "";
            onAfterBridge = options.replaceAll("\\([^)]*\\)", "").contains("g");
            Matcher u = Pattern.compile("U\\(([^)]*)\\)").matcher(options);
            if (u.find()) {
                // the subroutine runs on the buyer's channel, with its own variables
                String[] subroutine = u.group(1).split("\\^");
                Channel callee = new Channel(buyers);
                for (int i = 1; i < subroutine.length; i++) {
                    callee.vars.put("ARG" + i, subroutine[i]);
                }
                callee.vars.put("ARGC", String.valueOf(subroutine.length - 1));
                callee.jump(subroutine[0], "s", "1");
                callee.run();
                answeredCdr.putAll(callee.cdr);
                if (callee.vars.containsKey("GOSUB_RESULT") || callee.hangupCause != null) {
                    // BUSY, CONGESTION, CONTINUE, ABORT, GOTO: or a hangup would change what Dial does next
                    throw new IllegalStateException("the runner does not follow a U() routine's GOSUB_RESULT or hangup");
                }
            }
            answered = endpoint;
            bridged = true;
            return true;
        }

        /** {@code condition?if-true:if-false}, as GotoIf and IF() read it: the branch chosen ("" when absent). */
        private String choose(String conditional) {
            int question = conditional.indexOf('?');
            String[] branches = conditional.substring(question + 1).split(":", -1);
            return isTrue(conditional.substring(0, question)) ? branches[0] : branches.length > 1 ? branches[1] : "";
        }

        private boolean isTrue(String condition) {
            // pbx_checkcondition: empty is false, a number is its value, any other text is true
            String value = condition.strip();
            return !value.isEmpty() && (!value.matches("-?\\d+") || Long.parseLong(value) != 0);
        }

        /** ${...} and $[...], innermost first, as the PBX core substitutes an application's data. */
        String substitute(String text) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                if (text.startsWith("${", i) || text.startsWith("$[", i)) {
                    boolean expression = text.charAt(i + 1) == '[';
                    int end = closing(text, i + 2, expression ? '[' : '{', expression ? ']' : '}');
                    String inner = substitute(text.substring(i + 2, end));
                    out.append(expression ? evaluate(inner) : resolve(inner));
                    i = end + 1;
                }
                else {
                    out.append(text.charAt(i++));
                }
            }
            return out.toString();
        }

        private String resolve(String name) {
            Matcher function = FUNCTION.matcher(name);
            if (!function.matches() || name.equals("CALLERID(num)")) {
                return vars.getOrDefault(name, "");
            }
            String args = function.group(2);
            return switch (function.group(1)) {
                case "FILTER" -> {
                    int comma = args.indexOf(',');
                    yield FuncOdbc.filter(args.substring(0, comma), args.substring(comma + 1));
                }
                case "IF" -> choose(args);
                case "PJSIP_DIAL_CONTACTS" -> String.join("&", contacts.apply(args).stream()
                        .map(uri -> "PJSIP/" + args + "/" + uri).toList());
                case "STRFTIME" -> strftime(split(args, ','));
                case "ODBC_FETCH" -> {
                    Deque<List<String>> rows = results.get(args);
                    List<String> row = rows == null ? null : rows.poll();
                    vars.put("ODBC_FETCH_STATUS", row == null ? "FAILURE" : "SUCCESS");
                    yield row == null ? "" : join(row);
                }
                default -> {
                    if (!function.group(1).startsWith("ODBC_")) {
                        throw new IllegalStateException("the runner has no function " + function.group(1));
                    }
                    yield odbc(function.group(1), split(args, ',').toArray(String[]::new));
                }
            };
        }

        /**
         * STRFTIME(epoch,timezone,format) of now (an empty epoch), for the conversions the dialplan uses: %Y %m %d
         * %H %M %S and %3q (milliseconds, Asterisk's own).
         */
        private String strftime(List<String> args) {
            if (args.size() != 3 || !args.get(0).isEmpty()) {
                throw new IllegalStateException("the runner has STRFTIME of now only: " + args);
            }
            String format = args.get(2);
            Map<String, String> conversions = Map.of("%Y", "yyyy", "%m", "MM", "%d", "dd", "%H", "HH", "%M", "mm",
                    "%S", "ss", "%3q", "SSS");
            StringBuilder pattern = new StringBuilder();
            Matcher token = Pattern.compile("%3q|%.|[^%]+").matcher(format);
            while (token.find()) {
                String t = token.group();
                if (t.startsWith("%") && !conversions.containsKey(t)) {
                    throw new IllegalStateException("the runner has no STRFTIME conversion " + t);
                }
                pattern.append(t.startsWith("%") ? conversions.get(t) : "'" + t.replace("'", "''") + "'");
            }
            return DateTimeFormatter.ofPattern(pattern.toString()).withZone(ZoneId.of(args.get(1)))
                    .format(clock.instant());
        }

        /** A func_odbc function: a normal one gives its first row; a multirow one a result id for ODBC_FETCH. */
        private String odbc(String function, String[] args) {
            try {
                if ("multirow".equals(odbc.functions().get(function).get("mode"))) {
                    List<List<String>> rows = odbc.fetchAll(function, args);
                    String id = String.valueOf(++nextResult);
                    results.put(id, new ArrayDeque<>(rows));
                    vars.put("ODBCROWS", String.valueOf(rows.size()));
                    return id;
                }
                List<String> row = odbc.read(function, args);
                vars.put("ODBCROWS", String.valueOf(row.isEmpty() ? 0 : 1));
                return join(row);
            }
            catch (IllegalStateException ex) {
                if (!(ex.getCause() instanceof SQLException)) {
                    throw ex;
                }
                // func_odbc: a failed query reads as empty, with ODBCROWS -1
                vars.put("ODBCROWS", "-1");
                return "";
            }
        }

        /** $[left op right]: the comparisons and sums the dialplan uses. */
        private String evaluate(String expression) {
            Matcher m = EXPRESSION.matcher(expression);
            if (!m.matches()) {
                throw new IllegalStateException("the runner cannot evaluate $[" + expression + "]");
            }
            // a quoted operand is a string, so compared as one (ast_expr2: "10" > "9" is false); two bare
            // numbers compare as numbers
            String left = m.group(1);
            String right = m.group(3);
            boolean numbers = left.matches("-?\\d+(\\.\\d+)?") && right.matches("-?\\d+(\\.\\d+)?");
            int order = numbers ? new BigDecimal(left).compareTo(new BigDecimal(right))
                    : left.compareTo(right);
            return switch (m.group(2)) {
                case "=" -> order == 0 ? "1" : "0";
                case "!=" -> order != 0 ? "1" : "0";
                case ">" -> order > 0 ? "1" : "0";
                case "<" -> order < 0 ? "1" : "0";
                case ">=" -> order >= 0 ? "1" : "0";
                case "<=" -> order <= 0 ? "1" : "0";
                case "+" -> new BigDecimal(left).add(new BigDecimal(right)).toPlainString();
                default -> new BigDecimal(left).subtract(new BigDecimal(right)).toPlainString();
            };
        }
    }

    private static int closing(String text, int from, char open, char close) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '$' && i + 1 < text.length() && text.charAt(i + 1) == open) {
                depth++;
                i++;
            }
            else if (text.charAt(i) == close && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unclosed " + open + " in " + text);
    }

    /** func_odbc's row text: values joined by commas, commas and backslashes in them escaped. */
    private static String join(List<String> values) {
        return String.join(",", values.stream().map(v -> v.replace("\\", "\\\\").replace(",", "\\,")).toList());
    }

    private static String unescape(String value) {
        return value.replaceAll("\\\\(.)", "$1");
    }

    /** Splits on a separator outside parentheses and not escaped by a backslash. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                part.append(c).append(text.charAt(++i));
                continue;
            }
            if (c == '(') {
                depth++;
            }
            else if (c == ')') {
                depth--;
            }
            if (c == separator && depth == 0) {
                parts.add(part.toString());
                part.setLength(0);
            }
            else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }
}
