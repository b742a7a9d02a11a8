package io.capconduit.routing;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** Sellers, campaigns, DIDs and campaign-client settings: every mutation, happy path and bad input. */
@IntegrationTest
class CampaignMutationsIntegrationTests {

    private static final String CREATE_CAMPAIGN = """
            mutation ($input: CampaignInput!) {
              createCampaign(input: $input) { campaign { id sellerId name direction strategy dialRatio hopperLevel
                callWindowStart callWindowEnd maxAttempts retryBusySeconds retryNoAnswerSeconds retryFailedSeconds
                callerId trunkId maxAbandonRate wrapUpSeconds abandonMessage dialTimeoutSeconds billableAfterSeconds active
                closeDisconnectedNumbers recordCalls recordingNotice } }
            }""";

    private static final String LINK = """
            mutation ($input: LinkClientInput!) {
              linkClient(input: $input) { setting { id priority weight maxConcurrent totalCap capPeriod client { name } } }
            }""";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSellerCreatesAnOutboundCampaignWithEverySettingAndUpdatesIt() {
        long trunk = jdbc.queryForObject("SELECT id FROM trunks WHERE name = 'Demo Carrier'", Long.class);
        Map<String, Object> input = new HashMap<>(Map.ofEntries(Map.entry("name", "Outbound Everything"),
                Map.entry("direction", "OUTBOUND"), Map.entry("dialRatio", 2.5), Map.entry("hopperLevel", 250),
                Map.entry("callWindowStart", "10:00"), Map.entry("callWindowEnd", "19:30"), Map.entry("maxAttempts", 5),
                Map.entry("retryBusySeconds", 300), Map.entry("retryNoAnswerSeconds", 7200),
                Map.entry("retryFailedSeconds", 900), Map.entry("callerId", "(800) 555-0177"),
                Map.entry("maxAbandonRate", 0.025), Map.entry("wrapUpSeconds", 20),
                Map.entry("abandonMessage", "custom/sorry"), Map.entry("dialTimeoutSeconds", 40),
                Map.entry("billableAfterSeconds", 30)));
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", input).execute();
        created.path("createCampaign.campaign.callerId").entity(String.class).isEqualTo("+18005550177");
        created.path("createCampaign.campaign.dialRatio").entity(Double.class).isEqualTo(2.5);
        created.path("createCampaign.campaign.callWindowEnd").entity(String.class).isEqualTo("19:30");
        created.path("createCampaign.campaign.maxAbandonRate").entity(Double.class).isEqualTo(0.025);
        created.path("createCampaign.campaign.abandonMessage").entity(String.class).isEqualTo("custom/sorry");
        long id = Long.parseLong(created.path("createCampaign.campaign.id").entity(String.class).get());
        long seller1 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class);
        assertThat(jdbc.queryForMap("SELECT seller_id, hopper_level, retry_no_answer_seconds, trunk_id, wrap_up_seconds "
                + "FROM campaigns WHERE id = ?", id)).containsEntry("seller_id", seller1).containsEntry("hopper_level", 250)
                .containsEntry("retry_no_answer_seconds", 7200).containsEntry("wrap_up_seconds", 20);
        // the carrier is staff's choice
        graphQl.as("staff").document("mutation ($id: ID!, $t: ID!) { updateCampaign(id: $id, input: {trunkId: $t}) "
                + "{ campaign { trunkId } } }").variable("id", id).variable("t", trunk).execute()
                .path("updateCampaign.campaign.trunkId").entity(String.class).isEqualTo(String.valueOf(trunk));

        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {dialRatio: 3, "
                        + "callerId: \"\", strategy: WEIGHTED}) { campaign { dialRatio callerId strategy hopperLevel } } }")
                .variable("id", id).execute()
                .path("updateCampaign.campaign.dialRatio").entity(Double.class).isEqualTo(3.0)
                .path("updateCampaign.campaign.callerId").valueIsNull()
                .path("updateCampaign.campaign.strategy").entity(String.class).isEqualTo("WEIGHTED")
                .path("updateCampaign.campaign.hopperLevel").entity(Integer.class).isEqualTo(250);

        graphQl.as("seller1").document("mutation ($id: ID!) { deactivateCampaign(id: $id) { campaign { active } } }")
                .variable("id", id).execute().path("deactivateCampaign.campaign.active").entity(Boolean.class).isEqualTo(false);
    }

    /**
     * A trunk without a host has no contact on its AOR: Asterisk sends nothing through it (a Dial or Originate of
     * PJSIP/&lt;number&gt;@&lt;trunk&gt; finds no contact and fails as CHANUNAVAIL), so a campaign whose calls leave
     * through it would fail every one. A campaign may not take such a trunk, nor may its trunk lose its host.
     */
    @Test
    void aCampaignsTrunkHasAHostToSendItsCallsTo() {
        long inboundOnly = Long.parseLong(graphQl.as("admin").document("mutation { createTrunk(input: {name: "
                + "\"Inbound Only Carrier\", matchIps: [\"198.51.100.93\"]}) { trunk { id } } }").execute()
                .path("createTrunk.trunk.id").entity(String.class).get());
        long seller1 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class);
        graphQl.as("staff").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Nowhere to call",
                "direction", "OUTBOUND", "trunkId", inboundOnly, "sellerId", seller1)).execute().errors()
                .expect(badInput("input.trunkId").and(error -> error.getMessage().contains("host"))).verify();

        long demo = jdbc.queryForObject("SELECT id FROM trunks WHERE name = 'Demo Carrier'", Long.class);
        graphQl.as("admin").document("mutation ($id: ID!) { updateTrunk(id: $id, input: {host: \"\"}) "
                + "{ trunk { host } } }").variable("id", demo).execute().errors()
                .expect(badInput("input.host").and(error -> error.getMessage().contains("Solar Callbacks"))).verify();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaigns WHERE name = 'Nowhere to call'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT contact FROM ps_aors WHERE id = 'trunk-demo-carrier'", String.class))
                .isEqualTo("sip:sip.carrier.example:5060");
    }

    /** The dialer keeps any window (CallWindow): the API refused the ones past midnight the README promises. */
    @Test
    void aCallWindowMayRunPastMidnightOrAllDay() {
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of(
                "name", "Night shift", "direction", "OUTBOUND", "callWindowStart", "20:00", "callWindowEnd", "02:00"))
                .execute();
        created.path("createCampaign.campaign.callWindowStart").entity(String.class).isEqualTo("20:00")
                .path("createCampaign.campaign.callWindowEnd").entity(String.class).isEqualTo("02:00");
        long id = Long.parseLong(created.path("createCampaign.campaign.id").entity(String.class).get());
        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {callWindowEnd: \"20:00\"}) "
                        + "{ campaign { callWindowStart callWindowEnd } } }").variable("id", id).execute()
                .path("updateCampaign.campaign.callWindowEnd").entity(String.class).isEqualTo("20:00");
        assertThat(jdbc.queryForObject("SELECT call_window_start = call_window_end FROM campaigns WHERE id = ?",
                Boolean.class, id)).isTrue();
    }

    /** Closing disconnected numbers is off unless the operator turns it on, and only an outbound campaign may. */
    @Test
    void aSellerTurnsOnClosingDisconnectedNumbersForAnOutboundCampaignOnly() {
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of(
                "name", "Closes disconnected", "direction", "OUTBOUND")).execute();
        created.path("createCampaign.campaign.closeDisconnectedNumbers").entity(Boolean.class).isEqualTo(false);
        long id = Long.parseLong(created.path("createCampaign.campaign.id").entity(String.class).get());

        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: "
                        + "{closeDisconnectedNumbers: true}) { campaign { closeDisconnectedNumbers maxAttempts } } }")
                .variable("id", id).execute()
                .path("updateCampaign.campaign.closeDisconnectedNumbers").entity(Boolean.class).isEqualTo(true)
                .path("updateCampaign.campaign.maxAttempts").entity(Integer.class).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT close_disconnected_numbers FROM campaigns WHERE id = ?", Boolean.class, id))
                .isTrue();

        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {direction: INBOUND}) "
                        + "{ campaign { direction } } }").variable("id", id).execute().errors()
                .expect(badInput("input.closeDisconnectedNumbers")).verify();
        expectBad(Map.of("name", "Inbound closing", "direction", "INBOUND", "closeDisconnectedNumbers", true),
                "closeDisconnectedNumbers");
        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {direction: INBOUND, "
                        + "closeDisconnectedNumbers: false}) { campaign { direction closeDisconnectedNumbers } } }")
                .variable("id", id).execute()
                .path("updateCampaign.campaign.direction").entity(String.class).isEqualTo("INBOUND");
    }

    /**
     * An outbound campaign's calls are always recorded: a recording switch or notice given for one is refused rather
     * than taken as a promise the dialplan would not keep.
     */
    @Test
    void anOutboundCampaignTakesNoRecordingSwitchOrNotice() {
        expectBad(Map.of("name", "Outbound unrecorded", "direction", "OUTBOUND", "recordCalls", false),
                "recordCalls");
        expectBad(Map.of("name", "Outbound told", "direction", "OUTBOUND", "recordingNotice", "custom/notice"),
                "recordingNotice");
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of(
                "name", "Inbound then outbound", "recordCalls", true)).execute();
        long id = Long.parseLong(created.path("createCampaign.campaign.id").entity(String.class).get());
        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {direction: OUTBOUND, "
                        + "recordCalls: false}) { campaign { direction } } }").variable("id", id).execute().errors()
                .expect(badInput("input.recordCalls")).verify();
        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {direction: OUTBOUND, "
                        + "recordingNotice: \"\"}) { campaign { direction } } }").variable("id", id).execute()
                .path("updateCampaign.campaign.direction").entity(String.class).isEqualTo("OUTBOUND");
    }

    /** Recording inbound calls is off unless the seller (or staff) turns it on, at creation or later. */
    @Test
    void aSellerSwitchesRecordingOfItsInboundCallsOnAndOff() {
        GraphQlTester.Response plain = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of(
                "name", "Not recorded")).execute();
        plain.path("createCampaign.campaign.recordCalls").entity(Boolean.class).isEqualTo(false);
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of(
                "name", "Recorded calls", "recordCalls", true)).execute();
        created.path("createCampaign.campaign.recordCalls").entity(Boolean.class).isEqualTo(true)
                .path("createCampaign.campaign.direction").entity(String.class).isEqualTo("INBOUND");
        long id = Long.parseLong(created.path("createCampaign.campaign.id").entity(String.class).get());
        assertThat(jdbc.queryForObject("SELECT record_calls FROM campaigns WHERE id = ?", Boolean.class, id)).isTrue();

        String update = "mutation ($id: ID!, $on: Boolean) { updateCampaign(id: $id, input: {recordCalls: $on}) "
                + "{ campaign { recordCalls name } } }";
        graphQl.as("seller1").document(update).variable("id", id).variable("on", false).execute()
                .path("updateCampaign.campaign.recordCalls").entity(Boolean.class).isEqualTo(false)
                .path("updateCampaign.campaign.name").entity(String.class).isEqualTo("Recorded calls");
        // left out, it stays as it is
        graphQl.as("staff").document(update).variable("id", id).variable("on", true).execute()
                .path("updateCampaign.campaign.recordCalls").entity(Boolean.class).isEqualTo(true);
        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {active: true}) "
                        + "{ campaign { recordCalls } } }").variable("id", id).execute()
                .path("updateCampaign.campaign.recordCalls").entity(Boolean.class).isEqualTo(true);
        graphQl.as("seller1").document("query ($id: ID!) { campaign(id: $id) { recordCalls } }").variable("id", id)
                .execute().path("campaign.recordCalls").entity(Boolean.class).isEqualTo(true);
        assertThat(jdbc.queryForObject("SELECT record_calls FROM campaigns WHERE id = ?", Boolean.class, id)).isTrue();
    }

    /**
     * A seller names the sound its recorded callers hear first (recordingNotice), changes it, and clears it with an
     * empty string; left out of an update it stays as it is.
     */
    @Test
    void aSellerSetsAndClearsItsRecordingNotice() {
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of(
                "name", "Told first", "recordCalls", true, "recordingNotice", " custom/ca-consent ")).execute();
        created.path("createCampaign.campaign.recordingNotice").entity(String.class).isEqualTo("custom/ca-consent");
        long id = Long.parseLong(created.path("createCampaign.campaign.id").entity(String.class).get());
        graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Untold")).execute()
                .path("createCampaign.campaign.recordingNotice").valueIsNull();

        String update = "mutation ($id: ID!, $notice: String) { updateCampaign(id: $id, input: "
                + "{recordingNotice: $notice}) { campaign { recordingNotice recordCalls } } }";
        graphQl.as("staff").document(update).variable("id", id).variable("notice", "en/fl_notice-2").execute()
                .path("updateCampaign.campaign.recordingNotice").entity(String.class).isEqualTo("en/fl_notice-2");
        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaign(id: $id, input: {active: true}) "
                        + "{ campaign { recordingNotice } } }").variable("id", id).execute()
                .path("updateCampaign.campaign.recordingNotice").entity(String.class).isEqualTo("en/fl_notice-2");
        graphQl.as("seller1").document("query ($id: ID!) { campaign(id: $id) { recordingNotice } }")
                .variable("id", id).execute().path("campaign.recordingNotice").entity(String.class)
                .isEqualTo("en/fl_notice-2");
        graphQl.as("seller1").document(update).variable("id", id).variable("notice", "").execute()
                .path("updateCampaign.campaign.recordingNotice").valueIsNull()
                .path("updateCampaign.campaign.recordCalls").entity(Boolean.class).isEqualTo(true);
        assertThat(jdbc.queryForObject("SELECT recording_notice FROM campaigns WHERE id = ?", String.class, id))
                .isNull();
    }

    /** A recording notice reaches the dialplan's Playback: anything but a plain sound name is refused, naming it. */
    @Test
    void aRecordingNoticeThatIsNotAPlainSoundNameIsRefused() {
        for (String hostile : new String[] {"a,b", "../../etc/passwd", "custom/../secret", "/var/lib/notice",
                "notice.wav", "custom//notice", "custom/", "notice&tt-monkeys", "notice)", "say:num:5", "no tice",
                "${EXTEN}", "notice\nNoOp", "é", "n".repeat(129)}) {
            graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Hostile notice",
                    "recordCalls", true, "recordingNotice", hostile)).execute().errors()
                    .expect(badInput("input.recordingNotice").and(error -> error.getMessage().contains("sound")))
                    .verify();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaigns WHERE name = 'Hostile notice'", Integer.class))
                .isZero();
        graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Long notice",
                "recordingNotice", "n".repeat(128))).execute()
                .path("createCampaign.campaign.recordingNotice").entity(String.class).isEqualTo("n".repeat(128));
    }

    @Test
    void badCampaignInputNamesTheField() {
        expectBad(Map.of("name", "Too fast", "dialTimeoutSeconds", 2), "dialTimeoutSeconds");
        expectBad(Map.of("name", "Bad caller id", "callerId", "call me"), "callerId");
        graphQl.as("staff").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "No trunk", "trunkId", 987654,
                "sellerId", jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class)))
                .execute().errors().expect(badInput("input.trunkId")).verify();
        expectBad(Map.of("name", "Wild ratio", "dialRatio", 11), "dialRatio");
        expectBad(Map.of("name", "Negative retry", "retryBusySeconds", -1), "retryBusySeconds");
        expectBad(Map.of("name", "Auto Insurance"), "name");
        expectBad(Map.of("name", ""), "name");
        graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Odd", "strategy", "FASTEST"))
                .execute().errors().expect(error -> error.getMessage().contains("strategy") || error.getMessage().contains("FASTEST"))
                .verify();
        // a value that is not of the argument's type names the argument, as a caller wrote it
        graphQl.as("seller1").document("{ campaign(id: \"abc\") { name } }").execute()
                .errors().expect(badInput("id").and(error -> error.getMessage().startsWith("id: 'abc'"))).verify();
        graphQl.as("staff").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Typo", "sellerId", "x"))
                .execute().errors().expect(badInput("input.sellerId")).verify();
        graphQl.as("staff").document("{ dids(sellerId: \"1\", campaignId: \"x\") { id } }").execute()
                .errors().expect(badInput("campaignId")).verify();
        // staff must say for which seller
        graphQl.as("staff").document(CREATE_CAMPAIGN).variable("input", Map.of("name", "Whose")).execute()
                .errors().expect(badInput("input.sellerId")).verify();
    }

    @Test
    void linkingAClientValidatesCapsAndUpdatesThem() {
        long campaign = campaign("seller1", "Linking Campaign");
        long client = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Lone Star Solar'", Long.class);

        expectBadLink(Map.of("campaignId", campaign, "clientId", client, "weight", 0), "weight");
        expectBadLink(Map.of("campaignId", campaign, "clientId", client, "totalCap", -5), "totalCap");
        expectBadLink(Map.of("campaignId", campaign, "clientId", client, "maxConcurrent", -1), "maxConcurrent");
        expectBadLink(Map.of("campaignId", campaign, "clientId", 999999), "clientId");
        graphQl.as("seller1").document(LINK).variable("input", Map.of("campaignId", campaign, "clientId", client,
                "capPeriod", "FORTNIGHT")).execute().errors().expect(error -> error.getMessage().contains("capPeriod")
                        || error.getMessage().contains("FORTNIGHT")).verify();

        GraphQlTester.Response linked = graphQl.as("seller1").document(LINK).variable("input", Map.of("campaignId", campaign,
                "clientId", client, "priority", 2, "weight", 5, "maxConcurrent", 3, "totalCap", 40, "capPeriod", "HOUR"))
                .execute();
        linked.path("linkClient.setting.client.name").entity(String.class).isEqualTo("Lone Star Solar");
        linked.path("linkClient.setting.totalCap").entity(Integer.class).isEqualTo(40);
        long setting = Long.parseLong(linked.path("linkClient.setting.id").entity(String.class).get());
        expectBadLink(Map.of("campaignId", campaign, "clientId", client), "clientId");

        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaignClientSetting(id: $id, input: "
                        + "{removeTotalCap: true, weight: 2, capPeriod: MONTH}) { setting { totalCap weight capPeriod } } }")
                .variable("id", setting).execute()
                .path("updateCampaignClientSetting.setting.totalCap").valueIsNull()
                .path("updateCampaignClientSetting.setting.weight").entity(Integer.class).isEqualTo(2)
                .path("updateCampaignClientSetting.setting.capPeriod").entity(String.class).isEqualTo("MONTH");
        graphQl.as("seller1").document("mutation ($id: ID!) { deactivateCampaignClientSetting(id: $id) { setting { active } } }")
                .variable("id", setting).execute()
                .path("deactivateCampaignClientSetting.setting.active").entity(Boolean.class).isEqualTo(false);
    }

    /**
     * An update that both removes the total cap and sets one is refused, naming the field: the removal won, and a
     * form that sent a new cap with a stale "remove" box left the buyer with no cap at all, without a word.
     */
    @Test
    void removingTheTotalCapAndSettingOneAtOnceIsABadRequest() {
        long campaign = campaign("seller1", "Contradictory Cap Campaign");
        long client = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Lone Star Solar'", Long.class);
        long setting = Long.parseLong(graphQl.as("seller1").document(LINK).variable("input", Map.of("campaignId",
                campaign, "clientId", client, "totalCap", 40)).execute().path("linkClient.setting.id")
                .entity(String.class).get());

        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaignClientSetting(id: $id, input: "
                        + "{removeTotalCap: true, totalCap: 10}) { setting { totalCap } } }")
                .variable("id", setting).execute().errors().expect(badInput("input.removeTotalCap")).verify();

        assertThat(jdbc.queryForObject("SELECT total_cap FROM campaign_client_settings WHERE id = ?", Integer.class,
                setting)).isEqualTo(40);
    }

    /**
     * Other call platforms take -1 for "no cap"; here that is no cap sent (linkClient) or removeTotalCap (an update),
     * and the refusal says so, rather than only that the cap must be at least 0.
     */
    @Test
    void aNegativeCapIsRefusedSayingHowToHaveNone() {
        long campaign = campaign("seller1", "Negative Cap Campaign");
        long client = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Lone Star Solar'", Long.class);
        graphQl.as("seller1").document(LINK).variable("input", Map.of("campaignId", campaign, "clientId", client,
                "totalCap", -1)).execute().errors().expect(badInput("input.totalCap").and(error -> error.getMessage()
                        .contains("leave totalCap out") && error.getMessage().contains("removeTotalCap"))).verify();
        long setting = Long.parseLong(graphQl.as("seller1").document(LINK).variable("input", Map.of("campaignId",
                campaign, "clientId", client, "totalCap", 0)).execute().path("linkClient.setting.id")
                .entity(String.class).get());

        graphQl.as("seller1").document("mutation ($id: ID!) { updateCampaignClientSetting(id: $id, input: "
                        + "{totalCap: -1}) { setting { totalCap } } }")
                .variable("id", setting).execute().errors().expect(badInput("input.totalCap")
                        .and(error -> error.getMessage().contains("removeTotalCap"))).verify();
        assertThat(jdbc.queryForObject("SELECT total_cap FROM campaign_client_settings WHERE id = ?", Integer.class,
                setting)).isZero();
    }

    @Test
    void didsAreStoredAsE164UniqueAndAssignedWithinTheirSeller() {
        long seller1 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class);
        String create = "mutation ($input: DidInput!) { createDid(input: $input) { did { id number sellerId campaignId } } }";
        GraphQlTester.Response created = graphQl.as("staff").document(create)
                .variable("input", Map.of("number", "(212) 555-0147", "sellerId", seller1, "description", "Print ad")).execute();
        created.path("createDid.did.number").entity(String.class).isEqualTo("+12125550147");
        long did = Long.parseLong(created.path("createDid.did.id").entity(String.class).get());

        graphQl.as("staff").document(create).variable("input", Map.of("number", "+1 212-555-0147", "sellerId", seller1))
                .execute().errors().expect(badInput("input.number")).verify();
        graphQl.as("staff").document(create).variable("input", Map.of("number", "12ab", "sellerId", seller1))
                .execute().errors().expect(badInput("input.number")).verify();
        graphQl.as("seller1").document(create).variable("input", Map.of("number", "+12125550148", "sellerId", seller1))
                .execute().errors().expect(classified("FORBIDDEN")).verify();

        long own = campaign("seller1", "DID target");
        long foreign = campaign("seller2", "Someone else's target");
        String assign = "mutation ($id: ID!, $c: ID) { assignDid(id: $id, campaignId: $c) { did { campaignId campaign { name } } } }";
        graphQl.as("seller1").document(assign).variable("id", did).variable("c", own).execute()
                .path("assignDid.did.campaign.name").entity(String.class).isEqualTo("DID target");
        graphQl.as("seller1").document(assign).variable("id", did).variable("c", foreign).execute()
                .errors().expect(classified("NOT_FOUND")).verify();
        graphQl.as("staff").document(assign).variable("id", did).variable("c", foreign).execute()
                .errors().expect(badInput("campaignId")).verify();
        graphQl.as("seller1").document("mutation ($id: ID!) { updateDid(id: $id, input: {description: \"Radio\"}) "
                + "{ did { description } } }").variable("id", did).execute()
                .path("updateDid.did.description").entity(String.class).isEqualTo("Radio");
        graphQl.as("seller1").document("mutation ($id: ID!) { deactivateDid(id: $id) { did { active } } }")
                .variable("id", did).execute().path("deactivateDid.did.active").entity(Boolean.class).isEqualTo(false);
        graphQl.as("seller1").document("query ($n: String!) { didByNumber(number: $n) { id } }")
                .variable("n", "212 555 0147").execute().path("didByNumber.id").entity(String.class).isEqualTo(String.valueOf(did));
    }

    @Test
    void aDidStaffDeactivatedStaysOffUntilStaffTurnItOn() {
        long seller1 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class);
        long did = Long.parseLong(graphQl.as("staff").document("mutation ($input: DidInput!) { createDid(input: $input) "
                + "{ did { id } } }").variable("input", Map.of("number", "+1212556" + String.format("%04d", (int) (Math.random() * 10_000)),
                        "sellerId", seller1)).execute()
                .path("createDid.did.id").entity(String.class).get());
        String deactivate = "mutation ($id: ID!) { deactivateDid(id: $id) { did { active deactivatedByStaff } } }";
        String activate = "mutation ($id: ID!) { updateDid(id: $id, input: {active: true}) "
                + "{ did { active deactivatedByStaff } } }";

        // its seller turns its own DID off and on at will
        graphQl.as("seller1").document(deactivate).variable("id", did).execute()
                .path("deactivateDid.did.deactivatedByStaff").entity(Boolean.class).isEqualTo(false);
        graphQl.as("seller1").document(activate).variable("id", did).execute()
                .path("updateDid.did.active").entity(Boolean.class).isEqualTo(true);

        // staff turn it off: the seller cannot undo that, even after turning it "off" again itself
        graphQl.as("staff").document(deactivate).variable("id", did).execute()
                .path("deactivateDid.did.deactivatedByStaff").entity(Boolean.class).isEqualTo(true);
        graphQl.as("seller1").document(deactivate).variable("id", did).execute()
                .path("deactivateDid.did.deactivatedByStaff").entity(Boolean.class).isEqualTo(true);
        graphQl.as("seller1").document(activate).variable("id", did).execute()
                .errors().expect(badInput("input.active")).verify();
        assertThat(jdbc.queryForObject("SELECT active FROM dids WHERE id = ?", Boolean.class, did)).isFalse();

        graphQl.as("staff").document(activate).variable("id", did).execute()
                .path("updateDid.did.active").entity(Boolean.class).isEqualTo(true)
                .path("updateDid.did.deactivatedByStaff").entity(Boolean.class).isEqualTo(false);
        graphQl.as("seller1").document(deactivate).variable("id", did).execute();
        graphQl.as("seller1").document(activate).variable("id", did).execute()
                .path("updateDid.did.active").entity(Boolean.class).isEqualTo(true);
    }

    /**
     * The dialplan hands routing a carrier's digits without the +, and routing reads ten digits as a US/Canada
     * number: a ten-digit E.164 DID (+65 6123 4567) would be looked up as +16561234567 and never route. Such a
     * number, and one with an extension (which E.164 cannot hold, so it was dropped), is refused; an international
     * number routing can reach is stored as routing finds it.
     */
    @Test
    void aDidNumberCallsCouldNotReachIsRefused() {
        long seller1 = jdbc.queryForObject("SELECT seller_id FROM users WHERE username = 'seller1'", Long.class);
        String create = "mutation ($input: DidInput!) { createDid(input: $input) { did { id number } } }";
        String suffix = String.format("%03d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1000));
        int before = jdbc.queryForObject("SELECT count(*) FROM dids", Integer.class);

        graphQl.as("staff").document(create).variable("input", Map.of("number", "+65 6123 4" + suffix,
                "sellerId", seller1)).execute().errors().expect(badInput("input.number")).verify();
        graphQl.as("staff").document(create).variable("input", Map.of("number", "+1 646 555 0" + suffix + " ext. 5",
                "sellerId", seller1)).execute().errors().expect(badInput("input.number")).verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dids", Integer.class)).isEqualTo(before);

        String london = "+44207946" + "0" + suffix;
        String id = graphQl.as("staff").document(create).variable("input", Map.of("number", "+44 20 7946 0" + suffix,
                "sellerId", seller1)).execute().path("createDid.did.number").entity(String.class).isEqualTo(london)
                .path("createDid.did.id").entity(String.class).get();
        graphQl.as("staff").document("{ routePreview(did: \"" + london.substring(1) + "\") { did } }").execute()
                .path("routePreview.did").entity(String.class).isEqualTo(london);
        graphQl.as("staff").document("mutation ($id: ID!) { updateDid(id: $id, input: {number: \"+6561234" + suffix
                + "\"}) { did { number } } }").variable("id", id).execute().errors()
                .expect(badInput("input.number")).verify();
        assertThat(jdbc.queryForObject("SELECT number FROM dids WHERE id = ?", String.class, Long.parseLong(id)))
                .isEqualTo(london);
    }

    /**
     * A new cap period counts the calls answered in its current window, from the route claims: an HOUR cap made a
     * DAY cap used to count this hour's calls only (the day's earlier ones went uncounted, so the day's cap was
     * overshot), and a DAY cap made an HOUR cap started from 0 (this hour's calls uncounted).
     */
    @Test
    void aNewCapPeriodCountsTheCallsAlreadyAnsweredInItsWindow() {
        RoutingFixtures fixtures = new RoutingFixtures(jdbc);
        var campaign = fixtures.campaign("PRIORITY");
        long setting = fixtures.setting(campaign.id(), fixtures.client("UTC"), 1, 1, 10, 100, "HOUR");
        answered(setting, 2, "date_trunc('day', now()) - interval '1 hour'");   // yesterday
        answered(setting, 4, "date_trunc('day', now())");                        // today, at midnight
        answered(setting, 3, "now()");                                           // this hour
        jdbc.update("UPDATE campaign_client_settings SET cap_used = 3, cap_window_start = date_trunc('hour', now()) "
                + "WHERE id = ?", setting);

        assertThat(capUsedAfterPeriod(setting, "DAY")).isEqualTo(7);
        assertThat(capUsedAfterPeriod(setting, "HOUR")).isEqualTo(jdbc.queryForObject("SELECT count(*) FROM "
                + "route_claims WHERE setting_id = ? AND answered_at >= date_trunc('hour', now())", Integer.class, setting));
        assertThat(capUsedAfterPeriod(setting, "TOTAL")).isEqualTo(9);
        assertThat(capUsedAfterPeriod(setting, "MONTH")).isEqualTo(jdbc.queryForObject("SELECT count(*) FROM "
                + "route_claims WHERE setting_id = ? AND answered_at >= date_trunc('month', now())", Integer.class, setting));
    }

    /**
     * A buyer moved to another time zone keeps, on each of its settings, the calls answered in the new zone's current
     * window: a zone whose day starts later than UTC's rolled the count to 0 mid-day (the day's cap overshot), one
     * whose day starts earlier left out the calls between the two starts.
     */
    @Test
    void aBuyerMovedToAnotherZoneCountsTheCallsAnsweredInItsNewWindow() {
        RoutingFixtures fixtures = new RoutingFixtures(jdbc);
        var campaign = fixtures.campaign("PRIORITY");
        String buyer = fixtures.client("UTC");
        long setting = fixtures.setting(campaign.id(), buyer, 1, 1, 10, 100, "DAY");
        answered(setting, 2, "date_trunc('day', now()) - interval '25 hours'");
        answered(setting, 5, "date_trunc('day', now()) - interval '30 minutes'");
        answered(setting, 4, "date_trunc('day', now())");
        answered(setting, 3, "now()");
        jdbc.update("UPDATE campaign_client_settings SET cap_used = (SELECT count(*) FROM route_claims WHERE "
                + "setting_id = ? AND answered_at >= date_trunc('day', now())), cap_window_start = date_trunc('day', "
                + "now()) WHERE id = ?", setting, setting);
        // a zone whose day started after UTC's today (at 01:00 UTC), or, in UTC's first hour, one whose day started
        // before it (23:00 UTC yesterday)
        boolean firstHour = jdbc.queryForObject("SELECT extract(hour FROM now() AT TIME ZONE 'UTC') = 0", Boolean.class);
        String zone = firstHour ? "Etc/GMT-1" : "Etc/GMT+1";

        graphQl.as("admin").document("mutation ($id: ID!, $z: String) { updateClient(id: $id, input: {timeZone: $z}) "
                + "{ client { timeZone } } }").variable("id", fixtures.clientId(buyer)).variable("z", zone).execute()
                .path("updateClient.client.timeZone").entity(String.class).isEqualTo(zone);

        assertThat(jdbc.queryForObject("SELECT e.cap_used FROM route_evaluate(?, now()) e", Integer.class, campaign.id()))
                .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM route_claims WHERE setting_id = ? AND answered_at "
                        + ">= cap_window_start('DAY', ?, now())", Integer.class, setting, zone));
    }

    private void answered(long setting, int calls, String at) {
        jdbc.update("INSERT INTO route_claims (call_uid, setting_id, status, claimed_at, answered_at, released_at, "
                + "release_reason) SELECT 'cap-period-' || gen_random_uuid(), ?, 'ANSWERED', " + at + ", " + at + ", "
                + at + ", 'ANSWERED_HANGUP' FROM generate_series(1, ?)", setting, calls);
    }

    /** cap_used as routing reads it (route_evaluate) once capPeriod is changed to {@code period}. */
    private int capUsedAfterPeriod(long setting, String period) {
        graphQl.as("staff").document("mutation ($id: ID!, $p: CapPeriod) { updateCampaignClientSetting(id: $id, "
                + "input: {capPeriod: $p}) { setting { capPeriod } } }").variable("id", setting).variable("p", period)
                .execute().path("updateCampaignClientSetting.setting.capPeriod").entity(String.class).isEqualTo(period);
        return jdbc.queryForObject("SELECT e.cap_used FROM campaign_client_settings s, route_evaluate(s.campaign_id, "
                + "now()) e WHERE s.id = ? AND e.setting_id = s.id", Integer.class, setting);
    }

    @Test
    void anAdminManagesSellers() {
        String create = "mutation ($input: SellerInput!) { createSeller(input: $input) { seller { id name timeZone active } } }";
        long id = Long.parseLong(graphQl.as("admin").document(create).variable("input", Map.of("name", "New Seller Inc",
                "email", "ops@new-seller.example", "timeZone", "Europe/Berlin")).execute()
                .path("createSeller.seller.id").entity(String.class).get());
        graphQl.as("admin").document(create).variable("input", Map.of("name", "Bad Mail", "email", "nope")).execute()
                .errors().expect(badInput("input.email")).verify();
        graphQl.as("admin").document(create).variable("input", Map.of("name", "new seller inc")).execute()
                .errors().expect(badInput("input.name")).verify();
        graphQl.as("staff").document(create).variable("input", Map.of("name", "Staff Seller")).execute()
                .errors().expect(classified("FORBIDDEN")).verify();
        graphQl.as("admin").document("mutation ($id: ID!) { updateSeller(id: $id, input: {timeZone: \"Asia/Tokyo\"}) "
                        + "{ seller { timeZone } } }").variable("id", id).execute()
                .path("updateSeller.seller.timeZone").entity(String.class).isEqualTo("Asia/Tokyo");
        graphQl.as("admin").document("mutation ($id: ID!) { deactivateSeller(id: $id) { seller { active } } }")
                .variable("id", id).execute().path("deactivateSeller.seller.active").entity(Boolean.class).isEqualTo(false);
    }

    private long campaign(String user, String name) {
        return Long.parseLong(graphQl.as(user).document(CREATE_CAMPAIGN).variable("input", Map.of("name", name)).execute()
                .path("createCampaign.campaign.id").entity(String.class).get());
    }

    /** The campaign refused, naming {@code field} of its input ({@code input.<field>}). */
    private void expectBad(Map<String, Object> input, String field) {
        graphQl.as("seller1").document(CREATE_CAMPAIGN).variable("input", input).execute()
                .errors().expect(badInput("input." + field)).verify();
    }

    private void expectBadLink(Map<String, Object> input, String field) {
        graphQl.as("seller1").document(LINK).variable("input", input).execute().errors()
                .expect(badInput("input." + field)).verify();
    }
}
