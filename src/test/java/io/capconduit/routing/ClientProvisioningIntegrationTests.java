package io.capconduit.routing;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** Clients and trunks over GraphQL, and the PJSIP realtime rows Asterisk will read for them. */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ClientProvisioningIntegrationTests {

    private static final String CREATE = """
            mutation ($input: ClientInput!) {
              createClient(input: $input) { client { id endpoint sipMode sipHost sipPort hasSecret active } }
            }""";

    private static final String TRUNK = "mutation ($input: TrunkInput!) { createTrunk(input: $input) { trunk { id } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aStaticClientGetsAnEndpointAndAnAorWithItsSbcAsContact() {
        String endpoint = graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Static SBC Co",
                        "timeZone", "America/Denver", "sipHost", "sbc.static.example", "sipPort", 5070, "sipUser", "inbound"))
                .execute().path("createClient.client.endpoint").entity(String.class).get();

        Map<String, Object> ep = jdbc.queryForMap("SELECT aors, auth, context, disallow, allow, direct_media::text, "
                + "rtp_symmetric::text, force_rport::text, rewrite_contact::text FROM ps_endpoints WHERE id = ?", endpoint);
        assertThat(ep).containsEntry("aors", endpoint).containsEntry("context", "from-clients")
                .containsEntry("disallow", "all").containsEntry("allow", "ulaw,alaw").containsEntry("direct_media", "no")
                .containsEntry("rtp_symmetric", "yes").containsEntry("force_rport", "yes")
                .containsEntry("rewrite_contact", "no");
        assertThat(ep.get("auth")).isNull();
        assertThat(jdbc.queryForObject("SELECT contact FROM ps_aors WHERE id = ?", String.class, endpoint))
                .isEqualTo("sip:inbound@sbc.static.example:5070");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_auths WHERE id = ?", Integer.class, endpoint)).isZero();
    }

    /** A zone stored before zones were checked (an offset) blocks no other change; a new one is checked. */
    @Test
    void aZoneIsCheckedWhenGivenAndALegacyOneBlocksNoOtherChange() {
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Legacy Zone Co",
                "sipHost", "sbc.legacy.example")).execute().path("createClient.client.id").entity(String.class).get());
        jdbc.update("UPDATE clients SET time_zone = '+05:30' WHERE id = ?", id);
        String update = "mutation ($id: ID!, $in: ClientInput!) { updateClient(id: $id, input: $in) { client { name } } }";

        graphQl.as("admin").document(update).variable("id", id).variable("in", Map.of("name", "Legacy Zone Co 2"))
                .execute().path("updateClient.client.name").entity(String.class).isEqualTo("Legacy Zone Co 2");
        graphQl.as("admin").document(update).variable("id", id).variable("in", Map.of("timeZone", "UTC+5"))
                .execute().errors()
                .expect(error -> "BAD_REQUEST".equals(error.getExtensions().get("classification"))
                        && "input.timeZone".equals(error.getExtensions().get("field")))
                .verify();
    }

    /** A value PostgreSQL cannot store (a NUL byte) is a BAD_REQUEST in its words, not a "conflict" nor SQL. */
    @Test
    void aValueTheDatabaseCannotTakeIsABadRequestSayingWhy() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Nul\u0000Byte Co",
                        "sipHost", "sbc.nul.example")).execute().errors()
                .expect(badInput("input.name").and(error -> error.getMessage()
                        .equals("input.name: must not hold a NUL character")))
                .verify();
    }

    @Test
    void aRegisteringClientGetsAnAuthWhoseSecretIsNeverReturnedOrLogged(CapturedOutput output) {
        String secret = "s3cret-register-Client-1";
        var created = graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Registering Co",
                "sipMode", "REGISTER", "maxContacts", 4, "secret", secret)).execute();
        created.path("createClient.client.hasSecret").entity(Boolean.class).isEqualTo(true);
        String endpoint = created.path("createClient.client.endpoint").entity(String.class).get();
        long id = Long.parseLong(created.path("createClient.client.id").entity(String.class).get());

        assertThat(jdbc.queryForMap("SELECT auth_type::text, username, password FROM ps_auths WHERE id = ?", endpoint))
                .containsEntry("auth_type", "userpass").containsEntry("username", endpoint).containsEntry("password", secret);
        assertThat(jdbc.queryForMap("SELECT contact, max_contacts, remove_existing::text FROM ps_aors WHERE id = ?", endpoint))
                .containsEntry("max_contacts", 4).containsEntry("remove_existing", "yes").containsEntry("contact", null);
        assertThat(jdbc.queryForObject("SELECT rewrite_contact::text FROM ps_endpoints WHERE id = ?", String.class,
                endpoint)).isEqualTo("yes");

        String rotated = "rotated-Secret-0987654";
        graphQl.as("admin").document("mutation ($id: ID!, $s: String!) { updateClient(id: $id, input: {secret: $s}) "
                + "{ client { hasSecret } } }").variable("id", id).variable("s", rotated).execute()
                .path("updateClient.client.hasSecret").entity(Boolean.class).isEqualTo(true);
        assertThat(jdbc.queryForObject("SELECT password FROM ps_auths WHERE id = ?", String.class, endpoint))
                .isEqualTo(rotated);

        String everything = graphQl.as("admin").document("{ clients { id name endpoint sipUser sipHost hasSecret } }")
                .execute().path("clients").entityList(Object.class).get().toString();
        assertThat(everything).contains(endpoint).doesNotContain(secret).doesNotContain(rotated);
        assertThat(output.getAll()).doesNotContain(secret).doesNotContain(rotated);
    }

    @Test
    void deactivatingRemovesTheEndpointAndDeletingLeavesNoRowAtAll() {
        var created = graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Short-lived Co",
                "sipMode", "REGISTER", "secret", "temporary-secret-42")).execute();
        long id = Long.parseLong(created.path("createClient.client.id").entity(String.class).get());
        String endpoint = created.path("createClient.client.endpoint").entity(String.class).get();

        graphQl.as("admin").document("mutation ($id: ID!) { deactivateClient(id: $id) { client { active } } }")
                .variable("id", id).execute().path("deactivateClient.client.active").entity(Boolean.class).isEqualTo(false);
        assertThat(rows("ps_endpoints", endpoint) + rows("ps_aors", endpoint)).isZero();

        graphQl.as("admin").document("mutation ($id: ID!) { deleteClient(id: $id) { deletedId } }")
                .variable("id", id).execute().path("deleteClient.deletedId").entity(String.class).isEqualTo(String.valueOf(id));
        assertThat(rows("ps_endpoints", endpoint) + rows("ps_aors", endpoint) + rows("ps_auths", endpoint)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM clients WHERE id = ?", Integer.class, id)).isZero();
    }

    /**
     * pjproject holds a host name of at most 127 characters: Asterisk refuses to load an AOR whose contact names a
     * longer one ("Contact uri or hostname length exceeds pjproject limit"), so the buyer or carrier could never be
     * called. A valid DNS name may be 253 characters long.
     */
    @Test
    void aSipHostLongerThanAsteriskTakesIsRefused() {
        String longHost = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".example";
        String longestTaken = "a".repeat(63) + "." + "b".repeat(55) + ".example";
        expectBadInput(Map.of("name", "Long Host Co", "sipHost", longHost), "sipHost");
        graphQl.as("admin").document(TRUNK).variable("input", Map.of("name", "Long Host Carrier", "host", longHost,
                "matchIps", java.util.List.of("198.51.100.69"))).execute().errors()
                .expect(badInput("input.host")).verify();
        assertThat(longestTaken).hasSize(127);
        String endpoint = graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Longest Host Co",
                "sipHost", longestTaken)).execute().path("createClient.client.endpoint").entity(String.class).get();
        assertThat(jdbc.queryForObject("SELECT contact FROM ps_aors WHERE id = ?", String.class, endpoint))
                .isEqualTo("sip:" + longestTaken + ":5060");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM clients WHERE name = 'Long Host Co'", Integer.class)
                + jdbc.queryForObject("SELECT count(*) FROM trunks WHERE name = 'Long Host Carrier'", Integer.class))
                .isZero();
    }

    @Test
    void badClientInputNamesTheFieldAndWritesNothing() {
        expectBadInput(Map.of("name", "Bad Port Co", "sipHost", "sbc.example", "sipPort", 70000), "sipPort");
        expectBadInput(Map.of("name", "Bad Zone Co", "sipHost", "sbc.example", "timeZone", "Mars/Olympus"), "timeZone");
        expectBadInput(Map.of("name", "No Host Co"), "sipHost");
        expectBadInput(Map.of("name", "No Secret Co", "sipMode", "REGISTER"), "secret");
        expectBadInput(Map.of("name", "Weak Secret Co", "sipMode", "REGISTER", "secret", "short"), "secret");
        expectBadInput(Map.of("name", "Sunrise Insurance Call Center", "sipHost", "sbc.example"), "name");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM clients WHERE name LIKE '% Co' AND name IN "
                + "('Bad Port Co', 'Bad Zone Co', 'No Host Co', 'No Secret Co', 'Weak Secret Co')", Integer.class)).isZero();
    }

    /** Asterisk's res_config_odbc would split the secret at ; and decode ^3B: the phone could never sign in. */
    @Test
    void aSecretAsterisksRealtimeWouldMangleIsRefusedSayingWhy() {
        for (String secret : new String[] {"abcdefghijk;x", "abcdefghijk^3B"}) {
            graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Mangled Secret Co",
                    "sipMode", "REGISTER", "secret", secret)).execute().errors()
                    .expect(badInput("input.secret").and(e -> e.getMessage().contains("Asterisk"))).verify();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM clients WHERE name = 'Mangled Secret Co'", Integer.class))
                .isZero();
    }

    @Test
    void onlyAnAdminManagesClients() {
        graphQl.as("staff").document(CREATE).variable("input", Map.of("name", "Staff Made Co", "sipHost", "sbc.example"))
                .execute().errors().expect(classified("FORBIDDEN")).verify();
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("name", "Seller Made Co", "sipHost", "sbc.example"))
                .execute().errors().expect(classified("FORBIDDEN")).verify();
    }

    @Test
    void theClientScheduleIsReplacedAndValidated() {
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Scheduled Co",
                "sipHost", "sbc.sched.example")).execute().path("createClient.client.id").entity(String.class).get());
        String set = "mutation ($id: ID!, $hours: [ScheduleHoursInput!]!) { setClientSchedule(clientId: $id, hours: $hours) "
                + "{ client { schedule { dayOfWeek openTime } } } }";
        graphQl.as("admin").document(set).variable("id", id).variable("hours", java.util.List.of(
                        Map.of("dayOfWeek", 1, "openTime", "08:00", "closeTime", "17:00"),
                        Map.of("dayOfWeek", 6, "openTime", "10:00", "closeTime", "24:00")))
                .execute().path("setClientSchedule.client.schedule").entityList(Object.class).hasSize(2);
        graphQl.as("admin").document(set).variable("id", id).variable("hours", java.util.List.of(
                        Map.of("dayOfWeek", 8, "openTime", "08:00", "closeTime", "17:00")))
                .execute().errors().expect(badInput("hours[0].dayOfWeek")).verify();
    }

    /**
     * Two periods of one day that overlap, or the same period twice, are refused naming the later one, and the
     * schedule in force stays; periods that only touch (08:00-12:00, 12:00-24:00) are fine.
     */
    @Test
    void overlappingOrRepeatedHoursOfADayAreRefusedAndTheScheduleKept() {
        long id = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Overlap Co",
                "sipHost", "sbc.overlap.example")).execute().path("createClient.client.id").entity(String.class).get());
        String set = "mutation ($id: ID!, $hours: [ScheduleHoursInput!]!) { setClientSchedule(clientId: $id, hours: $hours) "
                + "{ client { schedule { dayOfWeek openTime } } } }";
        graphQl.as("admin").document(set).variable("id", id).variable("hours", java.util.List.of(
                        Map.of("dayOfWeek", 1, "openTime", "12:00", "closeTime", "24:00"),
                        Map.of("dayOfWeek", 1, "openTime", "08:00", "closeTime", "12:00"),
                        Map.of("dayOfWeek", 2, "openTime", "08:00", "closeTime", "12:00")))
                .execute().path("setClientSchedule.client.schedule").entityList(Object.class).hasSize(3);

        graphQl.as("admin").document(set).variable("id", id).variable("hours", java.util.List.of(
                        Map.of("dayOfWeek", 3, "openTime", "11:00", "closeTime", "14:00"),
                        Map.of("dayOfWeek", 1, "openTime", "09:00", "closeTime", "17:00"),
                        Map.of("dayOfWeek", 3, "openTime", "09:00", "closeTime", "12:00")))
                .execute().errors().expect(badInput("hours[2]")).verify();
        graphQl.as("admin").document(set).variable("id", id).variable("hours", java.util.List.of(
                        Map.of("dayOfWeek", 5, "openTime", "09:00", "closeTime", "17:00"),
                        Map.of("dayOfWeek", 5, "openTime", "09:00", "closeTime", "17:00")))
                .execute().errors().expect(badInput("hours[1]")).verify();

        assertThat(jdbc.queryForList("SELECT day_of_week || ' ' || open_time FROM client_schedules WHERE client_id = ? "
                + "ORDER BY day_of_week, open_time", String.class, id))
                .containsExactly("1 08:00:00", "1 12:00:00", "2 08:00:00");
    }

    @Test
    void aTrunkIsIdentifiedByItsIpsAndLandsInFromPstn() {
        String endpoint = graphQl.as("admin").document("mutation ($input: TrunkInput!) { createTrunk(input: $input) "
                        + "{ trunk { endpoint matchIps } } }")
                .variable("input", Map.of("name", "Test Carrier", "host", "sip.test-carrier.example",
                        "matchIps", java.util.List.of("198.51.100.7", "203.0.113.0/24")))
                .execute().path("createTrunk.trunk.endpoint").entity(String.class).get();

        // no overlap dialing: a number that matches no extension is refused with 404, not 484 "incomplete"
        assertThat(jdbc.queryForMap("SELECT context, identify_by, allow_overlap::text FROM ps_endpoints WHERE id = ?",
                endpoint)).containsEntry("context", "from-pstn").containsEntry("identify_by", "ip")
                .containsEntry("allow_overlap", "no");
        assertThat(jdbc.queryForList("SELECT match FROM ps_endpoint_id_ips WHERE endpoint = ? ORDER BY id", String.class,
                endpoint)).containsExactly("198.51.100.7", "203.0.113.0/24");
        assertThat(jdbc.queryForObject("SELECT contact FROM ps_aors WHERE id = ?", String.class, endpoint))
                .isEqualTo("sip:sip.test-carrier.example:5060");

        long id = jdbc.queryForObject("SELECT id FROM trunks WHERE endpoint = ?", Long.class, endpoint);
        graphQl.as("admin").document("mutation ($id: ID!) { updateTrunk(id: $id, input: {matchIps: [\"198.51.100.9\"]}) "
                + "{ trunk { matchIps } } }").variable("id", id).execute()
                .path("updateTrunk.trunk.matchIps").entityList(String.class).containsExactly("198.51.100.9");
        assertThat(jdbc.queryForList("SELECT match FROM ps_endpoint_id_ips WHERE endpoint = ?", String.class, endpoint))
                .containsExactly("198.51.100.9");
        graphQl.as("admin").document("mutation ($id: ID!) { deactivateTrunk(id: $id) { trunk { active } } }")
                .variable("id", id).execute().path("deactivateTrunk.trunk.active").entity(Boolean.class).isEqualTo(false);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_endpoint_id_ips WHERE endpoint = ?", Integer.class, endpoint)
                + rows("ps_endpoints", endpoint)).isZero();

        graphQl.as("admin").document("mutation ($input: TrunkInput!) { createTrunk(input: $input) { trunk { id } } }")
                .variable("input", Map.of("name", "Bad Carrier", "matchIps", java.util.List.of("198.51.100.8", "300.1.1.1")))
                .execute().errors().expect(badInput("input.matchIps[1]")).verify();
    }

    /** Either would let any host on the internet place calls into from-pstn as a carrier. */
    @Test
    void noTrunkOrClientTakesTheAnonymousEndpointNorATrunkTheWholeInternet() {
        for (String anonymous : new String[] { "anonymous", "Anonymous" }) {
            graphQl.as("admin").document(TRUNK).variable("input", Map.of("name", "Open Carrier", "endpoint", anonymous,
                    "matchIps", java.util.List.of("198.51.100.67"))).execute().errors()
                    .expect(badInput("input.endpoint")).verify();
            expectBadInput(Map.of("name", "Open Co", "endpoint", anonymous.toUpperCase(), "sipHost", "10.1.1.1"), "endpoint");
        }
        String trunkId = jdbc.queryForObject("SELECT id::text FROM trunks WHERE endpoint = 'trunk-demo-carrier'", String.class);
        graphQl.as("admin").document("mutation ($id: ID!) { updateTrunk(id: $id, input: {endpoint: \"anonymous\"}) "
                + "{ trunk { id } } }").variable("id", trunkId).execute().errors()
                .expect(badInput("input.endpoint")).verify();
        for (String range : new String[] { "0.0.0.0/0", "::/0", "::::", "::ffff:0:0/96" }) {
            graphQl.as("admin").document(TRUNK).variable("input", Map.of("name", "Open Carrier",
                    "matchIps", java.util.List.of("198.51.100.67", range))).execute().errors()
                    .expect(badInput("input.matchIps[1]")).verify();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ps_endpoints WHERE lower(id) = 'anonymous'", Integer.class)
                + jdbc.queryForObject("SELECT count(*) FROM trunks WHERE name = 'Open Carrier'", Integer.class)
                + jdbc.queryForObject("SELECT count(*) FROM clients WHERE name = 'Open Co'", Integer.class)).isZero();
    }

    /**
     * Asterisk's realtime driver finds a registered endpoint's contacts with {@code id LIKE '<aor>;@%'}, the id
     * unescaped: an {@code _} in it matches any character, so Dial(PJSIP/acme_east) would also ring the phones
     * registered as acme-east, and the registrar count (and with remove_existing delete) them as its own. A new id
     * with an {@code _} is refused; an endpoint that holds one from before keeps it through other changes.
     */
    @Test
    void aNewEndpointIdWithAnUnderscoreIsRefusedSayingWhy() {
        graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Underscore Co", "endpoint", "acme_east",
                "sipHost", "10.1.1.2")).execute().errors()
                .expect(badInput("input.endpoint").and(error -> error.getMessage().contains("_"))).verify();
        graphQl.as("admin").document(TRUNK).variable("input", Map.of("name", "Underscore Carrier",
                "endpoint", "carrier_east", "matchIps", java.util.List.of("198.51.100.68"))).execute().errors()
                .expect(badInput("input.endpoint")).verify();
        String clientId = jdbc.queryForObject("SELECT id::text FROM clients WHERE endpoint = 'client-pacific'", String.class);
        graphQl.as("admin").document("mutation ($id: ID!) { updateClient(id: $id, input: {endpoint: \"client_pacific\"}) "
                + "{ client { id } } }").variable("id", clientId).execute().errors()
                .expect(badInput("input.endpoint")).verify();

        long held = Long.parseLong(graphQl.as("admin").document(CREATE).variable("input", Map.of("name", "Old Underscore Co",
                "sipHost", "10.1.1.3")).execute().path("createClient.client.id").entity(String.class).get());
        String oldId = "old_underscore_" + held;
        jdbc.update("UPDATE clients SET endpoint = ? WHERE id = ?", oldId, held);
        graphQl.as("admin").document("mutation ($id: ID!) { updateClient(id: $id, input: {name: \"Old Underscore Co 2\"}) "
                + "{ client { endpoint } } }").variable("id", held).execute()
                .path("updateClient.client.endpoint").entity(String.class).isEqualTo(oldId);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM clients WHERE name = 'Underscore Co'", Integer.class)
                + jdbc.queryForObject("SELECT count(*) FROM trunks WHERE name = 'Underscore Carrier'", Integer.class)
                + jdbc.queryForObject("SELECT count(*) FROM ps_endpoints WHERE id IN ('acme_east', 'carrier_east', "
                        + "'client_pacific')", Integer.class)).isZero();
    }

    /** An endpoint id is one entity's: taking another's would rewrite or delete the rows Asterisk reads for it. */
    @Test
    void anEndpointIdHeldByAnotherClientTrunkOrAgentIsRefused() {
        Map<String, Object> agentRows = pjsipRows("agent-1001");
        Map<String, Object> trunkRows = pjsipRows("trunk-demo-carrier");
        Map<String, Object> clientRows = pjsipRows("client-lonestar");
        jdbc.update("INSERT INTO ps_endpoints (id, context) VALUES ('hand-made', 'from-pstn')");
        try {
            for (String taken : new String[] { "agent-1001", "trunk-demo-carrier", "client-lonestar", "hand-made" }) {
                expectBadInput(Map.of("name", "Takeover Co", "endpoint", taken, "sipHost", "10.1.1.1"), "endpoint");
                graphQl.as("admin").document(TRUNK).variable("input", Map.of("name", "Takeover Carrier",
                        "endpoint", taken, "matchIps", java.util.List.of("198.51.100.66"))).execute().errors()
                        .expect(badInput("input.endpoint")).verify();
            }
            String clientId = jdbc.queryForObject("SELECT id::text FROM clients WHERE endpoint = 'client-sunrise'",
                    String.class);
            String trunkId = jdbc.queryForObject("SELECT id::text FROM trunks WHERE endpoint = 'trunk-demo-carrier'",
                    String.class);
            graphQl.as("admin").document("mutation ($id: ID!) { updateClient(id: $id, input: {endpoint: "
                    + "\"agent-1001\"}) { client { id } } }").variable("id", clientId).execute().errors()
                    .expect(badInput("input.endpoint")).verify();
            graphQl.as("admin").document("mutation ($id: ID!) { updateTrunk(id: $id, input: {endpoint: "
                    + "\"client-lonestar\"}) { trunk { id } } }").variable("id", trunkId).execute().errors()
                    .expect(badInput("input.endpoint")).verify();
            // keeping one's own endpoint is no conflict
            graphQl.as("admin").document("mutation ($id: ID!) { updateTrunk(id: $id, input: {endpoint: "
                    + "\"trunk-demo-carrier\"}) { trunk { endpoint } } }").variable("id", trunkId).execute()
                    .path("updateTrunk.trunk.endpoint").entity(String.class).isEqualTo("trunk-demo-carrier");

            assertThat(pjsipRows("agent-1001")).isEqualTo(agentRows);
            assertThat(pjsipRows("trunk-demo-carrier")).isEqualTo(trunkRows);
            assertThat(pjsipRows("client-lonestar")).isEqualTo(clientRows);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM clients WHERE name = 'Takeover Co'", Integer.class)
                    + jdbc.queryForObject("SELECT count(*) FROM trunks WHERE name = 'Takeover Carrier'", Integer.class))
                    .isZero();
        }
        finally {
            jdbc.update("DELETE FROM ps_endpoints WHERE id = 'hand-made'");
        }
    }

    /** Every PJSIP row of one endpoint, as text, to compare before and after. */
    private Map<String, Object> pjsipRows(String id) {
        return jdbc.queryForMap("""
                SELECT (SELECT string_agg(e::text, '') FROM ps_endpoints e WHERE e.id = ?) AS endpoint,
                       (SELECT string_agg(a::text, '') FROM ps_aors a WHERE a.id = ?) AS aor,
                       (SELECT string_agg(u::text, '') FROM ps_auths u WHERE u.id = ?) AS auth,
                       (SELECT string_agg(i::text, '' ORDER BY i.id) FROM ps_endpoint_id_ips i WHERE i.endpoint = ?) AS ips""",
                id, id, id, id);
    }

    /** The client refused, naming {@code field} of its input ({@code input.<field>}). */
    private void expectBadInput(Map<String, Object> input, String field) {
        graphQl.as("admin").document(CREATE).variable("input", input).execute().errors()
                .expect(badInput("input." + field)).verify();
    }

    private int rows(String table, String id) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE id = ?", Integer.class, id);
    }
}
