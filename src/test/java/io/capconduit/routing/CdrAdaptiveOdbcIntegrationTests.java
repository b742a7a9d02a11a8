package io.capconduit.routing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.capconduit.jobs.BatchJobLauncher;
import io.capconduit.routing.InboundDialplan.Call;
import io.capconduit.support.IntegrationTest;
import io.capconduit.telephony.ResOdbcConf;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cdr table as cdr_adaptive_odbc writes it (asterisk-conf/cdr_adaptive_odbc.conf) through psqlODBC's Unicode
 * driver: a CDR whose channel values are longer than Asterisk's standard schema allows must still land, and
 * become a call log.
 */
@IntegrationTest
class CdrAdaptiveOdbcIntegrationTests {

    /** psqlODBC's column size of a text column (MaxLongVarcharSize, default 8190); a long varchar to Asterisk. */
    private static final int PSQLODBC_TEXT_SIZE = 8190;
    /** Bytes per character psqlODBC's Unicode driver counts in an octet length (sizeof(SQLWCHAR) with unixODBC). */
    private static final int WCLEN = 2;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BatchJobLauncher launcher;

    /**
     * A carrier sends a 79-digit request URI (the most chan_pjsip keeps) and a caller id of several hundred
     * characters: the dialplan stamps the number as dialled and the DID it normalised, and the CDR carries them all
     * (its dst is the dialplan's s, where the hangup handler left the channel). Its row is written,
     * every value whole, where a varchar(40) did (cut by cdr_adaptive_odbc at 80 bytes only) failed the insert
     * and lost the CDR.
     */
    @Test
    void aCdrWithOverLongChannelValuesIsWrittenWhole() throws Exception {
        String number = "1" + "5".repeat(78);
        String uid = InboundRoutingIntegrationTests.uid();
        Call call = new InboundDialplan(new FuncOdbc(dataSource)).call(number, uid, endpoint -> "ANSWER");
        call.hangup();
        assertThat(call.cdr).containsEntry("did", "+" + number).containsEntry("dialed_number", number)
                .containsEntry("unrouted_reason", "UNKNOWN_DID");

        String callerNumber = "'; DROP TABLE cdr; --" + "7".repeat(180);
        String channel = "PJSIP/" + "carrier-with-a-long-endpoint-name-".repeat(3) + "0000002a";
        Map<String, String> cdr = new LinkedHashMap<>();
        cdr.put("accountcode", "");
        cdr.put("src", callerNumber);
        cdr.put("dst", call.cdrDst());
        cdr.put("dcontext", call.cdrDcontext());
        cdr.put("clid", "\"" + "Probe \\ ".repeat(40) + "\" <" + callerNumber + ">");
        cdr.put("channel", channel);
        cdr.put("dstchannel", "");
        cdr.put("lastapp", "Hangup");
        cdr.put("lastdata", "1");
        cdr.put("start", "2026-03-02 10:00:00");
        cdr.put("answer", "1970-01-01 00:00:00");
        cdr.put("end", "2026-03-02 10:00:01");
        cdr.put("duration", "1");
        cdr.put("billsec", "0");
        cdr.put("disposition", "NO ANSWER");
        cdr.put("amaflags", "DOCUMENTATION");
        cdr.put("uniqueid", uid);
        cdr.put("linkedid", uid);
        cdr.put("sequence", "7");
        cdr.putAll(call.cdr);
        insertAsCdrAdaptiveOdbc(cdr);

        Map<String, Object> row = jdbc.queryForMap("SELECT did, src, dialed_number, clid, channel, unrouted_reason, "
                + "userfield FROM cdr WHERE uniqueid = ?", uid);
        assertThat(row).containsEntry("did", "+" + number).containsEntry("src", callerNumber)
                .containsEntry("dialed_number", number).containsEntry("clid", cdr.get("clid"))
                .containsEntry("channel", channel)
                .containsEntry("unrouted_reason", "UNKNOWN_DID").containsEntry("userfield", "1");

        // and CDR reconciliation makes its call log of it, values whole
        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForMap("SELECT did_number, destination, caller_id, disposition, unrouted_reason "
                + "FROM call_logs WHERE linked_id = ?", uid)).containsEntry("did_number", "+" + number)
                .containsEntry("destination", number)
                .containsEntry("caller_id", callerNumber).containsEntry("disposition", "UNROUTED")
                .containsEntry("unrouted_reason", "UNKNOWN_DID");
    }

    /**
     * cdr_adaptive_odbc writes a CDR variable only into a column of its name, and drops one the table lacks without
     * a word: every CDR(...) the dialplan sets, outbound contexts included, is a column of the cdr table.
     */
    @Test
    void everyCdrVariableTheDialplanSetsIsAColumn() {
        Set<String> set = new TreeSet<>();
        Pattern cdr = Pattern.compile("^CDR\\((\\w+)\\)=");
        DialplanRunner.parse(FuncOdbc.CONF_DIR.resolve("extensions.conf")).contexts().values().forEach(extensions ->
                extensions.values().forEach(steps -> steps.stream().filter(step -> step.app().equals("Set"))
                        .map(step -> cdr.matcher(step.data())).filter(Matcher::find).forEach(m -> set.add(m.group(1)))));
        List<String> columns = jdbc.queryForList("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = 'cdr'", String.class);

        assertThat(set).contains("did", "campaign_id", "dialed_number", "dialed_answered_at");
        assertThat(columns).containsAll(set);
    }

    /**
     * A click-to-call as [capconduit-click-to-call] stamps it, written as cdr_adaptive_odbc writes its two rows
     * (Asterisk 22: the agent's record, answered by the agent, Dials the number; the number's channel sets
     * dialed_answered_at, a party B variable of that row; the number hangs up and the agent's channel runs the
     * Hangup() after the Dial, a row of its own): its call log names the number and counts the talk time from the
     * number's answer.
     */
    @Test
    void aClickToCallStampedByTheDialplanBecomesACallLogOfTheNumberDialed() throws Exception {
        Instant originated = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant numberAnswers = originated.plusMillis(19_250);
        String uid = "ctc-" + UUID.randomUUID();
        DialplanRunner.Channel agent = new DialplanRunner(null, Clock.fixed(numberAnswers, ZoneOffset.UTC))
                .call("capconduit-click-to-call", "s", uid, "+18005550100", Map.of("CTC_DIAL",
                        "PJSIP/15557654321@trunk-solar", "CTC_NUMBER", "+15557654321", "CAMPAIGN_ID",
                        String.valueOf(jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'",
                                Long.class)), "AGENT_ID", "0"), number -> "ANSWER");
        Map<String, String> dialLeg = clickToCallRow(uid, originated, originated.plusSeconds(4),
                originated.plusSeconds(100), "PJSIP/trunk-solar-00000003", "Dial");
        dialLeg.putAll(agent.cdr);
        dialLeg.putAll(agent.answeredCdr);
        agent.hangup();
        Map<String, String> hangupRow = clickToCallRow(uid, originated.plusSeconds(100), originated.plusSeconds(100),
                originated.plusSeconds(100), "", "Hangup");
        hangupRow.putAll(agent.cdr);

        insertAsCdrAdaptiveOdbc(dialLeg);
        insertAsCdrAdaptiveOdbc(hangupRow);
        assertThat(launcher.run("cdrReconciliationJob", Map.of("graceSeconds", "0"), Instant.now()).getStatus())
                .isEqualTo(BatchStatus.COMPLETED);

        assertThat(jdbc.queryForMap("SELECT destination, disposition, billsec, duration, answer_time FROM call_logs "
                + "WHERE linked_id = ?", uid)).containsEntry("destination", "+15557654321")
                .containsEntry("disposition", "ANSWERED").containsEntry("billsec", 80).containsEntry("duration", 100)
                .containsEntry("answer_time", Timestamp.from(numberAnswers));
    }

    /** The standard columns of a click-to-call's row (the agent's channel) as Asterisk 22 fills them. */
    private static Map<String, String> clickToCallRow(String uid, Instant start, Instant answer, Instant end,
            String dstChannel, String lastApp) {
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        Map<String, String> row = new LinkedHashMap<>();
        row.put("src", "+18005550100");
        row.put("dst", "s");
        row.put("dcontext", "capconduit-click-to-call");
        row.put("channel", "PJSIP/agent-1001-00000002");
        row.put("dstchannel", dstChannel);
        row.put("lastapp", lastApp);
        row.put("start", utc.format(start));
        row.put("answer", utc.format(answer));
        row.put("end", utc.format(end));
        row.put("duration", String.valueOf(end.getEpochSecond() - start.getEpochSecond()));
        row.put("billsec", String.valueOf(end.getEpochSecond() - answer.getEpochSecond()));
        row.put("disposition", "ANSWERED");
        row.put("uniqueid", uid);
        row.put("linkedid", uid);
        return row;
    }

    /**
     * One CDR inserted as cdr_adaptive_odbc does: the table's columns as SQLColumns lists them; a character value
     * cut to the octet length psqlODBC's Unicode driver reports (twice a varchar's width; a text column is a long
     * varchar of {@link #PSQLODBC_TEXT_SIZE}) and written as a quoted literal, quotes doubled, and backslashes
     * doubled too when the res_odbc class it writes through has backslash_is_escape => yes; numbers and times
     * as written; a column the CDR has no value for left out. The values here are ASCII: bytes are characters.
     */
    private void insertAsCdrAdaptiveOdbc(Map<String, String> cdr) {
        boolean backslashIsEscape = ResOdbcConf.backslashIsEscape(ResOdbcConf.cdrClass());
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        jdbc.query("SELECT column_name, data_type, character_maximum_length FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = 'cdr' ORDER BY ordinal_position", rs -> {
            String name = rs.getString("column_name");
            String value = cdr.get(name);
            if (value == null) {
                return;
            }
            switch (rs.getString("data_type")) {
                case "character varying", "text" -> {
                    int size = rs.getObject("character_maximum_length") == null ? PSQLODBC_TEXT_SIZE
                            : rs.getInt("character_maximum_length");
                    String cut = value.substring(0, Math.min(value.length(), size * WCLEN));
                    String literal = cut.replace("'", "''");
                    values.add("'" + (backslashIsEscape ? literal.replace("\\", "\\\\") : literal) + "'");
                }
                case "integer" -> values.add(String.valueOf(Integer.parseInt(value)));
                case "timestamp without time zone" -> values.add("'" + value + "'");
                default -> throw new IllegalStateException("cdr_adaptive_odbc column type of " + name);
            }
            columns.add("\"" + name + "\"");
        });
        assertThat(columns).hasSize(cdr.size());
        jdbc.execute("INSERT INTO cdr (" + String.join(",", columns) + ") VALUES (" + String.join(",", values) + ")");
    }
}
