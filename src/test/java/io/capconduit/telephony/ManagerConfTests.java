package io.capconduit.telephony;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AMI user of {@code asterisk-conf/manager.conf} against what the dialer needs: the read classes of the events
 * it handles, the write classes of the actions it sends, and event filters that drop the dialplan class's noise
 * but none of those events. Asterisk runs each filter as an unanchored regular expression on the whole event text,
 * compiled as a POSIX basic one (main/manager.c's manager_add_filter: regcomp without REG_EXTENDED); the filters
 * use only syntax that basic, extended and Java's regular expressions read the same way.
 */
class ManagerConfTests {

    private static final Path MANAGER_CONF = Path.of("asterisk-conf", "manager.conf");

    @Test
    void theUserReadsTheClassesOfTheEventsTheDialerHandlesAndWritesWhatItSends() throws IOException {
        assertThat(values("read")).singleElement().satisfies(read ->
                assertThat(read.split(",")).containsExactlyInAnyOrder("system", "call", "dialplan"));
        // Originate: originate; Redirect, Hangup, Setvar: call; CoreShowChannels, CoreSettings, CoreStatus,
        // ModuleLoad: system. No "command": the application runs no CLI command.
        assertThat(values("write")).singleElement().satisfies(write ->
                assertThat(write.split(",")).containsExactlyInAnyOrder("system", "call", "originate"));
    }

    @Test
    void eventFiltersDropNewextenAndForeignVarSetsButNoEventTheDialerHandles() throws IOException {
        List<Pattern> blacklist = new ArrayList<>();
        for (String filter : values("eventfilter")) {
            assertThat(filter).as("only blacklist filters: a whitelist one would drop every other event").startsWith("!");
            // in a basic regular expression ( ) | + ? { } are plain characters: an alternation would match no event
            assertThat(filter).as("a filter Asterisk reads as a basic regular expression").doesNotContainPattern(
                    "[()|+?{}]");
            blacklist.add(Pattern.compile(filter.substring(1).replace("[[:space:]]", "\\s")));
        }

        assertThat(List.of(
                event("OriginateResponse", "call", "Response", "Success", "Channel", "PJSIP/trunk-00000001",
                        "Uniqueid", "cc-1"),
                event("Hangup", "call", "Channel", "PJSIP/trunk-00000001", "Uniqueid", "cc-1", "Cause", "16"),
                event("BridgeEnter", "call", "Channel", "PJSIP/agent-00000002", "Uniqueid", "cc-2"),
                event("DeviceStateChange", "call", "Device", "PJSIP/agent-100", "State", "INUSE"),
                event("VarSet", "dialplan", "Channel", "PJSIP/trunk-00000001", "Uniqueid", "cc-1",
                        "Variable", "CAPCONDUIT_ABANDONED", "Value", "1"),
                event("FullyBooted", "system", "Status", "Fully Booted")))
                .allSatisfy(event -> assertThat(blacklist).noneMatch(filter -> filter.matcher(event).find()));

        assertThat(List.of(
                event("Newexten", "dialplan", "Channel", "PJSIP/carrier-00000003", "Context", "from-pstn",
                        "Application", "Set", "AppData", "CAPCONDUIT_ABANDONED=1"),
                event("VarSet", "dialplan", "Channel", "PJSIP/carrier-00000003", "Variable", "ODBCROWS", "Value", "3"),
                event("VarSet", "dialplan", "Channel", "PJSIP/carrier-00000003", "Variable", "~ODBCFIELDS~",
                        "Value", "status"),
                event("VarSet", "dialplan", "Channel", "PJSIP/carrier-00000003", "Variable", "CALL_UID",
                        "Value", "pbx1-1763650931.1"),
                event("VarSet", "dialplan", "Channel", "PJSIP/carrier-00000003", "Variable", "CAPCONDUIT",
                        "Value", "x")))
                .allSatisfy(event -> assertThat(blacklist).anyMatch(filter -> filter.matcher(event).find()));
    }

    /** An event as Asterisk writes it, and as its filters see it. */
    private static String event(String name, String privilege, String... headers) {
        StringBuilder text = new StringBuilder("Event: " + name + "\r\nPrivilege: " + privilege + ",all\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            text.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return text.append("\r\n").toString();
    }

    /** The values of one option of the AMI user's section (the one after [general]). */
    private static List<String> values(String option) throws IOException {
        List<String> values = new ArrayList<>();
        boolean inUser = false;
        for (String line : Files.readAllLines(MANAGER_CONF)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                inUser = !trimmed.equals("[general]");
            }
            else if (inUser && !trimmed.startsWith(";") && trimmed.contains("=")) {
                String[] parts = trimmed.split("=", 2);
                if (parts[0].strip().equals(option)) {
                    values.add(parts[1].strip());
                }
            }
        }
        return values;
    }
}
