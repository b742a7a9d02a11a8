package io.capconduit.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.capconduit.telephony.PjsipProvisioner;
import io.capconduit.telephony.ResOdbcConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of asterisk-conf/ that need no Asterisk: the dialplan only jumps to places that exist and only calls
 * func_odbc functions that are defined, those functions quote and escape every argument, and every site
 * placeholder is documented.
 */
class AsteriskConfStructureTests {

    private static final Path DIR = FuncOdbc.CONF_DIR;
    private static final Set<String> BUILT_IN_ODBC = Set.of("ODBC_FETCH", "ODBC_FETCH_STATUS");
    private static final String CORE = "(core)";
    /**
     * Where Asterisk 22 gets each application and dialplan function the dialplan uses: a module, or the core
     * ({@code main/pbx_builtins.c}, {@code main/pbx.c}). A name not listed fails the test until it is.
     */
    private static final Map<String, String> PROVIDERS = Map.ofEntries(
            Map.entry("NoOp", CORE), Map.entry("Set", CORE), Map.entry("Goto", CORE), Map.entry("GotoIf", CORE),
            Map.entry("Hangup", CORE), Map.entry("Wait", CORE), Map.entry("Answer", CORE),
            Map.entry("Dial", "app_dial.so"), Map.entry("Gosub", "app_stack.so"), Map.entry("Return", "app_stack.so"),
            Map.entry("ExecIf", "app_exec.so"), Map.entry("MixMonitor", "app_mixmonitor.so"),
            Map.entry("Playback", "app_playback.so"), Map.entry("ODBCFinish", "func_odbc.so"),
            Map.entry("ODBC_*", "func_odbc.so"), Map.entry("SQL_ESC", "func_odbc.so"),
            Map.entry("FILTER", "func_strings.so"), Map.entry("ARRAY", "func_strings.so"),
            Map.entry("STRFTIME", "func_strings.so"),
            Map.entry("CDR", "func_cdr.so"), Map.entry("CHANNEL", "func_channel.so"),
            Map.entry("CALLERID", "func_callerid.so"), Map.entry("IF", "func_logic.so"),
            Map.entry("PJSIP_DIAL_CONTACTS", "chan_pjsip.so"));
    /** The module that reads each file of asterisk-conf/ (the core reads the others' settings itself). */
    private static final Map<String, String> READERS = Map.of("extensions.conf", "pbx_config.so",
            "extensions_outbound.conf", "pbx_config.so", "res_odbc.conf", "res_odbc.so",
            "extconfig.conf", "res_config_odbc.so", "sorcery.conf", "res_sorcery_realtime.so",
            "pjsip.conf", "res_pjsip.so", "func_odbc.conf", "func_odbc.so",
            "cdr_adaptive_odbc.conf", "cdr_adaptive_odbc.so");
    private static final Set<String> READ_BY_THE_CORE = Set.of("modules.conf", "cdr.conf", "manager.conf");
    private static final Pattern MODULE_LINE = Pattern.compile("^(require|noload)\\s*=>?\\s*(\\S+)");
    /** A dialplan function in func_odbc.conf's SQL (the SQL's own functions are not written ${...}). */
    private static final Pattern SQL_FUNCTION = Pattern.compile("\\$\\{([A-Z][A-Z_]*)\\(");

    /** context -> extension -> priorities (numbers as strings, and labels). */
    private static final Map<String, Map<String, Set<String>>> dialplan = new LinkedHashMap<>();
    /** every application call: context, extension, application, argument text. */
    private static final List<String[]> calls = new ArrayList<>();
    private static final Set<String> includes = new LinkedHashSet<>();

    /** The dialplan as Asterisk reads it, with the files it includes (the parser the call tests run it with). */
    @BeforeAll
    static void parse() {
        DialplanRunner.Parsed parsed = DialplanRunner.parse(DIR.resolve("extensions.conf"));
        includes.addAll(parsed.includes());
        parsed.contexts().forEach((context, extensions) -> {
            Map<String, Set<String>> priorities = dialplan.computeIfAbsent(context, c -> new LinkedHashMap<>());
            extensions.forEach((exten, steps) -> {
                for (DialplanRunner.Step step : steps) {
                    Set<String> names = priorities.computeIfAbsent(exten, e -> new TreeSet<>());
                    names.add(String.valueOf(step.priority()));
                    if (step.label() != null) {
                        names.add(step.label());
                    }
                    calls.add(new String[] {context, exten, step.app(), step.data()});
                }
            });
        });
    }

    @Test
    void everyGotoAndGosubTargetExists() {
        List<String> checked = new ArrayList<>();
        for (String[] call : calls) {
            String app = call[2];
            String args = call[3];
            if (app.equals("Goto") || app.equals("Gosub")) {
                checked.add(assertTarget(call[0], call[1], args));
            }
            else if (app.equals("GotoIf") || app.equals("GosubIf")) {
                String branches = args.substring(args.lastIndexOf('?') + 1);
                for (String target : branches.split(":")) {
                    if (!target.isBlank()) {
                        checked.add(assertTarget(call[0], call[1], target));
                    }
                }
            }
        }
        assertThat(checked).contains("inbound-route,s,1", "inbound-route,s,next", "inbound-route,unrouted,1");
    }

    @Test
    void handlersAndSubroutinesStartWhereTheyAreCalled() {
        String all = String.join("\n", steps(c -> true));
        Matcher push = Pattern.compile("hangup_handler_push\\)=([^)]+)\\)").matcher(all);
        Matcher dialU = Pattern.compile("[,)]U\\(([^\\^)]+)").matcher(all);
        assertThat(push.find()).isTrue();
        assertTarget("", "", push.group(1));
        List<String> routines = new ArrayList<>();
        while (dialU.find()) {
            routines.add(assertTarget(dialU.group(1), "s", "1"));
        }
        assertThat(routines).contains("route-answered,s,1", "capconduit-click-to-call-answered,s,1");
        assertThat(includes).allSatisfy(context -> assertThat(dialplan).containsKey(context));
    }

    @Test
    void aLeadRedirectedAfterItsAbandonNeverReachesAnAgent() {
        // the dialer frees the agent on the abandon's VarSet; a redirect arriving after it must not ring that agent
        String[] first = calls.stream()
                .filter(c -> c[0].equals("capconduit-outbound-agent") && c[1].equals("_X!")).findFirst().orElseThrow();
        assertThat(first[2]).isEqualTo("GotoIf");
        assertThat(first[3]).isEqualTo("$[\"${CAPCONDUIT_ABANDONED}\" = \"1\"]?capconduit-outbound-abandon,s,1");
    }

    @Test
    void theContextsEndpointsLandInExist() {
        // trunks, buyers and agents, as the application writes them into ps_endpoints.context
        assertThat(dialplan).containsKeys(PjsipProvisioner.PSTN_CONTEXT, PjsipProvisioner.CLIENT_CONTEXT,
                PjsipProvisioner.AGENT_CONTEXT);
        assertThat(dialplan.get(PjsipProvisioner.PSTN_CONTEXT)).containsKeys("_X.", "_+X.", "s", "i");
    }

    /**
     * A carrier's call to any number that starts with a digit or "+" enters the dialplan (an unknown one leaves an
     * UNROUTED CDR); a user part that is no number, and anything an agent's phone or a buyer's system dials, is
     * refused by chan_pjsip with 404 before the dialplan: no CDR, so no call log.
     */
    @Test
    void whichNumbersEnterTheDialplanAndWhichChanPjsipRefuses() {
        var parsed = DialplanRunner.parse(DIR.resolve("extensions.conf")).contexts();
        for (String number : List.of("18005550101", "+18005550101", "8005550101", "5", "+5", "55", "s")) {
            assertThat(DialplanRunner.matchExtension(parsed, PjsipProvisioner.PSTN_CONTEXT, number)).as(number)
                    .isNotNull();
        }
        for (String number : List.of("anonymous", "*67", "+", "h", "t")) {
            assertThat(DialplanRunner.matchExtension(parsed, PjsipProvisioner.PSTN_CONTEXT, number)).as(number)
                    .isNull();
        }
        for (String context : List.of(PjsipProvisioner.AGENT_CONTEXT, PjsipProvisioner.CLIENT_CONTEXT)) {
            assertThat(parsed.get(context)).as(context).isEmpty();
            for (String number : List.of("18005550101", "5", "s", "*97", "i")) {
                assertThat(DialplanRunner.matchExtension(parsed, context, number)).as(context + " " + number)
                        .isNull();
            }
        }
    }

    /**
     * Every number a carrier's call enters [from-pstn] with is stamped as dialled before the channel moves on: the
     * CDR's dst then says the dialplan's s (Asterisk writes it from where the channel is), and the call log's
     * destination is the stamp.
     */
    @Test
    void everyCarrierNumberIsStampedAsDialledBeforeTheCallMovesOn() {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        for (String[] call : calls) {
            if (call[0].equals(PjsipProvisioner.PSTN_CONTEXT) && call[1].startsWith("_")) {
                steps.computeIfAbsent(call[1], e -> new ArrayList<>()).add(call[2] + "(" + call[3] + ")");
            }
        }
        assertThat(steps).containsKeys("_X.", "_X", "_+X.", "_+X").allSatisfy((exten, apps) -> assertThat(apps)
                .as(exten).containsSubsequence("Set(CDR(dialed_number)=${FILTER(+0-9,${EXTEN})})",
                        "Goto(inbound-route,s,1)"));
    }

    /** A buyer that did not answer gets its slot back before the call is offered to the next one. */
    @Test
    void everyUnansweredDialReleasesItsClaimBeforeTheNextCandidate() {
        List<String[]> route = calls.stream().filter(c -> c[0].equals("inbound-route") && c[1].equals("s")).toList();
        int dials = 0;
        for (int i = 0; i < route.size(); i++) {
            if (!route.get(i)[2].equals("Dial")) {
                continue;
            }
            dials++;
            boolean released = false;
            int k = i + 1;
            for (; k < route.size() && !route.get(k)[2].equals("Goto"); k++) {
                released |= route.get(k)[3].contains("ODBC_ROUTE_RELEASE(${CALL_UID},${DIALSTATUS})");
            }
            assertThat(released).as("a release between Dial and the jump back").isTrue();
            assertThat(k).as("a jump back to the next candidate").isLessThan(route.size());
            assertThat(route.get(k)[3]).isEqualTo("s,next");
        }
        assertThat(dials).isEqualTo(1);
    }

    /** The hangup handler writes the cause into the CDR, where the reconciler reads the call log's hangup cause. */
    @Test
    void theHangupHandlerRecordsTheCauseAndReleases() {
        List<String> handler = steps(c -> c[0].equals("route-hangup"));
        assertThat(handler).containsExactly("Set(CDR(userfield)=${HANGUPCAUSE})",
                "Set(RELEASED=${ODBC_ROUTE_RELEASE(${CALL_UID},${IF($[\"${DIALSTATUS}\" = \"ANSWER\"]?ANSWERED_HANGUP:HANGUP)})})",
                "Return()");
    }

    /**
     * Every recording, outbound and inbound, is stamped in the CDR under the very name MixMonitor writes (relative:
     * the monitor spool), recorded only while bridged; an inbound call's starts before its first Dial, so one file
     * covers every buyer it fails over to, and only when the campaign's switch (ROUTE_CALL's record_calls) is on.
     */
    @Test
    void everyRecordingIsStampedUnderTheNameMixMonitorWrites() {
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String[] call = calls.get(i);
            if (!call[2].equals("MixMonitor")) {
                continue;
            }
            String[] before = calls.get(i - 1);
            assertThat(call[3]).isEqualTo("${UNIQUEID}.wav,b");
            assertThat(before[0] + "," + before[1] + ": " + before[2] + "(" + before[3] + ")")
                    .isEqualTo(call[0] + "," + call[1] + ": Set(CDR(recording_file)=${UNIQUEID}.wav)");
            recorded.add(call[0]);
        }
        assertThat(recorded).containsExactlyInAnyOrder("inbound-route", "capconduit-outbound-answered",
                "capconduit-click-to-call");

        List<String> route = steps(c -> c[0].equals("inbound-route") && c[1].equals("s"));
        assertThat(route).containsSubsequence("GotoIf($[\"${RECORD_CALLS}\" != \"1\"]?s,claimed)",
                "MixMonitor(${UNIQUEID}.wav,b)", "Goto(s,claimed)", "Dial(${BUYER_DIAL},${DIAL_TIMEOUT},"
                        + "U(route-answered^${CALL_UID}))");
        assertThat(route.stream().filter(step -> step.startsWith("MixMonitor("))).hasSize(1);
        assertThat(route).anySatisfy(step -> assertThat(step).startsWith("Set(ARRAY(")
                .contains(",RECORD_CALLS,RECORDING_NOTICE)="));
    }

    /**
     * A recording campaign's notice (ROUTE_CALL's last column, RECORDING_NOTICE) is played on the answered caller
     * before the recording starts: after the first buyer is claimed (a call no buyer can take leaves unanswered
     * before), before any Dial, only where the campaign records, filtered to a sound name (no comma, no dot, no
     * option of Playback's), and a notice that did not play leaves the call unrecorded.
     */
    @Test
    void theRecordingNoticeIsPlayedToTheAnsweredCallerBeforeTheRecordingAndTheFirstDial() {
        List<String> route = steps(c -> c[0].equals("inbound-route") && c[1].equals("s"));
        assertThat(route).containsSubsequence("GotoIf($[\"${SETTING_ID}\" = \"\"]?exhausted,1)",
                "GotoIf($[\"${RECORD_CALLS}\" != \"1\"]?s,claimed)",
                "GotoIf($[\"${RECORDING_NOTICE}\" = \"\"]?record)", "Set(CDR(caller_answered)=NOTICE)", "Answer()",
                "Playback(${FILTER(0-9A-Za-z_/\\-,${RECORDING_NOTICE})})",
                "GotoIf($[\"${PLAYBACKSTATUS}\" != \"SUCCESS\"]?s,claimed)",
                "Set(CDR(recording_file)=${UNIQUEID}.wav)", "MixMonitor(${UNIQUEID}.wav,b)", "Goto(s,claimed)",
                "Dial(${BUYER_DIAL},${DIAL_TIMEOUT},U(route-answered^${CALL_UID}))");
        assertThat(calls.stream().filter(c -> c[2].equals("Answer") || c[3].contains("RECORDING_NOTICE"))
                .map(c -> c[0] + "," + c[1])).containsOnly("inbound-route,s");
        assertThat(dialplan.get("inbound-route").get("s")).contains("record");
        assertThat(route.stream().filter(step -> step.startsWith("Answer(") || step.startsWith("Playback(")))
                .hasSize(2);
        // the row's answer is then the notice's: the buyer's is stamped when it answers, on every inbound call
        assertThat(steps(c -> c[0].equals("route-answered")))
                .containsExactly("Set(ANSWERED=${ODBC_ROUTE_ANSWER(${ARG1})})",
                        "Set(CDR(dialed_answered_at)=${STRFTIME(,UTC,%Y-%m-%d %H:%M:%S.%3q)})", "Return()");
    }

    /** The application calls {@code which} selects ([context, extension, application, data]), as App(data). */
    private static List<String> steps(Predicate<String[]> which) {
        return calls.stream().filter(which).map(c -> c[2] + "(" + c[3] + ")").toList();
    }

    @Test
    void everyOdbcFunctionUsedIsDefined() {
        Set<String> defined = FuncOdbc.parse(DIR.resolve("func_odbc.conf")).keySet();
        Set<String> used = new TreeSet<>();
        for (String[] call : calls) {
            Matcher m = Pattern.compile("(ODBC_\\w+)\\(").matcher(call[3]);
            while (m.find()) {
                if (!BUILT_IN_ODBC.contains(m.group(1))) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).containsExactlyInAnyOrder("ODBC_ROUTE_CALL", "ODBC_ROUTE_MORE", "ODBC_ROUTE_CLAIM",
                "ODBC_ROUTE_ANSWER", "ODBC_ROUTE_RELEASE");
        assertThat(defined).containsAll(used);
    }

    @Test
    void noChannelValueReachesSqlUnfiltered() {
        for (String[] call : calls) {
            Matcher m = Pattern.compile("ODBC_ROUTE_\\w+\\(([^)]*)\\)").matcher(call[3]);
            while (m.find()) {
                assertThat(m.group(1)).as("arguments of %s", m.group(0))
                        .doesNotContain("${EXTEN}", "${CALLERID", "${UNIQUEID}", "${CDR(");
            }
        }
        String set = String.join("\n", calls.stream().filter(c -> c[2].equals("Set")).map(c -> c[3]).toList());
        assertThat(set).contains("DID_DIGITS=${FILTER(0-9,${EXTEN})}", "CALL_UID=${FILTER(0-9A-Za-z._\\-,${UNIQUEID})}");
    }

    @Test
    void everyFuncOdbcArgumentIsQuotedAndEscaped() {
        FuncOdbc.parse(DIR.resolve("func_odbc.conf")).forEach((name, keys) -> {
            for (String key : List.of("readsql", "writesql", "insertsql")) {
                String sql = keys.get(key);
                if (sql == null) {
                    continue;
                }
                int args = count(sql, "\\$\\{(ARG|VAL)\\d+}");
                assertThat(count(sql, "'\\$\\{SQL_ESC\\(\\$\\{(ARG|VAL)\\d+}\\)}'")).as(name + " " + key).isEqualTo(args);
                assertThat(keys).as(name).containsEntry("dsn", "capconduit");
            }
        });
    }

    @Test
    void everyPlaceholderIsDocumentedWithADefault() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        Set<String> placeholders = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("README.md")).toList()) {
                Matcher m = Pattern.compile("@([A-Z_]+)@").matcher(Files.readString(file));
                while (m.find()) {
                    placeholders.add(m.group(1));
                }
            }
        }
        assertThat(placeholders).isNotEmpty().allSatisfy(name ->
                assertThat(readme).containsPattern("\\| `@" + name + "@` \\|[^|\\n]+\\| `[^`]+` \\|"));
    }

    /**
     * Every application and function the dialplan runs comes from the core or from a module modules.conf
     * requires, as does every module that reads one of these files: a module that fails to load stops Asterisk
     * rather than failing calls at run time. Dial's U() and hangup handlers run through Gosub (app_stack).
     */
    @Test
    void everyModuleTheDialplanAndTheFilesUseIsRequired() throws IOException {
        Set<String> required = new TreeSet<>();
        Set<String> notLoaded = new TreeSet<>();
        for (String line : Files.readAllLines(DIR.resolve("modules.conf"))) {
            Matcher m = MODULE_LINE.matcher(FuncOdbc.stripComment(line).strip());
            if (m.find()) {
                (m.group(1).equals("require") ? required : notLoaded).add(m.group(2));
            }
        }
        Set<String> needed = new TreeSet<>();
        Pattern function = Pattern.compile("(?:\\$\\{|^)([A-Z][A-Z_]*)\\(");
        Pattern conditionalApp = Pattern.compile("[?:](\\w+)\\(");
        for (String[] call : calls) {
            List<String> names = new ArrayList<>(List.of(call[2]));
            function.matcher(call[3]).results().forEach(r -> names.add(r.group(1)));
            if (call[2].equals("ExecIf")) {
                conditionalApp.matcher(call[3]).results().forEach(r -> names.add(r.group(1)));
            }
            if (call[3].contains("hangup_handler_push") || call[2].equals("Dial") && call[3].contains("U(")) {
                names.add("Gosub");
            }
            for (String name : names) {
                String provider = PROVIDERS.get(name.startsWith("ODBC_") ? "ODBC_*" : name);
                assertThat(provider).as("the module providing %s (%s,%s)", name, call[0], call[1]).isNotNull();
                needed.add(provider);
            }
        }
        FuncOdbc.parse(DIR.resolve("func_odbc.conf")).values().forEach(keys -> keys.values().forEach(value ->
                SQL_FUNCTION.matcher(value).results().forEach(r -> needed.add(PROVIDERS.get(r.group(1))))));
        try (Stream<Path> files = Files.list(DIR)) {
            for (String file : files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".conf")).toList()) {
                assertThat(READ_BY_THE_CORE.contains(file) || READERS.containsKey(file))
                        .as("the module reading %s", file).isTrue();
                needed.add(READERS.getOrDefault(file, CORE));
            }
        }
        needed.remove(CORE);
        assertThat(needed).contains("pbx_config.so", "app_stack.so", "func_logic.so", "app_exec.so",
                "func_callerid.so", "app_mixmonitor.so", "func_odbc.so");
        assertThat(required).containsAll(needed).doesNotContainAnyElementsOf(notLoaded);
    }

    /**
     * Every res_odbc class realtime, func_odbc and cdr_adaptive_odbc connect through is defined, enabled and on the
     * odbc.ini data source: a class name that matches none makes its reader fail at run time, not at load.
     */
    @Test
    void everyConnectionClassUsedIsDefined() {
        Map<String, Map<String, String>> classes = ResOdbcConf.classes();
        assertThat(ResOdbcConf.usedClasses()).contains("capconduit", "capconduit_cdr").allSatisfy(name -> {
            assertThat(classes).as("res_odbc.conf class %s", name).containsKey(name);
            assertThat(classes.get(name)).as(name).containsEntry("dsn", "capconduit")
                    .doesNotContainEntry("enabled", "no");
        });
    }

    /** The NAT lines pjsip.conf tells an operator behind 1:1 NAT to uncomment are there in every transport. */
    @Test
    void everyTransportHasTheNatLinesToUncomment() throws IOException {
        Map<String, Set<String>> transports = new LinkedHashMap<>();
        Set<String> section = null;
        for (String raw : Files.readAllLines(DIR.resolve("pjsip.conf"))) {
            String line = raw.replaceFirst("^;", "").strip();
            if (line.matches("\\[[\\w-]+]")) {
                section = new TreeSet<>();
                transports.put(line, section);
            }
            else if (section != null && line.matches("\\w+=.*")) {
                section.add(line.substring(0, line.indexOf('=')));
            }
        }
        transports.values().removeIf(keys -> !keys.contains("protocol"));
        assertThat(transports).containsOnlyKeys("[transport-udp]", "[transport-tcp]", "[transport-tls]")
                .allSatisfy((name, keys) -> assertThat(keys).as(name)
                        .contains("external_media_address", "external_signaling_address", "local_net"));
    }

    /**
     * The README's fill loop, run as written on a copy of these files with secrets holding every character sed or
     * Asterisk treat specially: each lands verbatim (a ";" as Asterisk's "\\;"), and no placeholder is left.
     */
    @Test
    void theReadmeFillsEveryPlaceholderWhateverTheSecret(@TempDir Path copy) throws Exception {
        String readme = Files.readString(DIR.resolve("README.md"));
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).isTrue();
        String password = "p/a&s|s\\w;o#r$d x";
        String secret = "s3cr&t/|\\1;";
        String script = block.group(1)
                .replace("DB_PASSWORD='capconduit'", "DB_PASSWORD='" + password + "'")
                .replace("AMI_SECRET='demo-ami-secret'", "AMI_SECRET='" + secret + "'");
        assertThat(script).contains(password, secret);
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(copy.resolve("fill.sh"), script);
        Process bash = new ProcessBuilder("bash", "fill.sh").directory(copy.toFile()).inheritIO().start();
        assertThat(bash.waitFor()).isZero();

        assertThat(Files.readAllLines(copy.resolve("res_odbc.conf")))
                .contains("password => " + password.replace(";", "\\;"), "username => capconduit");
        assertThat(Files.readAllLines(copy.resolve("manager.conf"))).contains("secret = " + secret.replace(";", "\\;"));
        assertThat(Files.readString(copy.resolve("odbcinst.ini")))
                .contains("Driver      = /usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so");
        try (Stream<Path> files = Files.list(copy)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.(conf|ini)")).toList()) {
                assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContainPattern("@[A-Z_]+@");
            }
        }
    }

    /** Installing the ODBC files adds CapConduit's sections to the system's files, never replaces them. */
    @Test
    void theInstallStepsKeepTheHostsOtherOdbcDriversAndDataSources() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        assertThat(readme).contains("`odbcinst -i -s -l -f odbc.ini`", "`odbcinst -i -d -f odbcinst.ini`")
                .doesNotContainPattern("cp [^`\\n]*odbc[^`\\n]*\\.ini[^`\\n]*/etc");
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }

    /** [[context,]exten,]priority relative to where the call is; targets built from variables are skipped. */
    private static String assertTarget(String context, String exten, String target) {
        String bare = target.replaceFirst("\\(.*$", "").strip();   // Gosub arguments
        if (bare.contains("${")) {
            return bare;
        }
        String[] parts = bare.split(",");
        String c = parts.length == 3 ? parts[0] : context;
        String e = parts.length >= 2 ? parts[parts.length - 2] : exten;
        String p = parts[parts.length - 1];
        assertThat(dialplan).as("context of %s", target).containsKey(c);
        assertThat(dialplan.get(c)).as("extension of %s in [%s]", target, c).containsKey(e);
        assertThat(dialplan.get(c).get(e)).as("priority of %s in [%s] %s", target, c, e).contains(p);
        return c + "," + e + "," + p;
    }
}
