package io.capconduit.routing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.ResponseError;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** A seller reaches none of another seller's objects, by id or nested, and learns nothing from the attempt. */
@IntegrationTest
class SellerIsolationIntegrationTests {

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    long acmeCampaign;
    long acmeDid;
    long acmeSetting;
    long acmeCallLog;

    @BeforeEach
    void acmeObjects() {
        acmeCampaign = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Auto Insurance'", Long.class);
        acmeDid = jdbc.queryForObject("SELECT id FROM dids WHERE number = '+18005550101'", Long.class);
        acmeSetting = jdbc.queryForObject("SELECT min(id) FROM campaign_client_settings WHERE campaign_id = ?", Long.class,
                acmeCampaign);
        acmeCallLog = jdbc.queryForObject("INSERT INTO call_logs (linked_id, direction, seller_id, campaign_id, start_time, "
                + "disposition) SELECT 'isolation-' || gen_random_uuid(), 'INBOUND', seller_id, id, now(), 'ANSWERED' "
                + "FROM campaigns WHERE id = ? RETURNING id", Long.class, acmeCampaign);
    }

    @Test
    void anotherSellersObjectAnswersExactlyLikeAMissingOne() {
        assertSameAsMissing("query ($id: ID!) { campaign(id: $id) { name } }", acmeCampaign, "Campaign");
        assertSameAsMissing("query ($id: ID!) { did(id: $id) { number } }", acmeDid, "Did");
        assertSameAsMissing("query ($id: ID!) { campaignClientSetting(id: $id) { priority } }", acmeSetting,
                "CampaignClientSetting");
        assertSameAsMissing("query ($id: ID!) { callLog(id: $id) { id } }", acmeCallLog, "CallLog");
        assertSameAsMissing("mutation ($id: ID!) { updateCampaign(id: $id, input: {name: \"mine now\"}) { campaign { id } } }",
                acmeCampaign, "Campaign");
        assertSameAsMissing("mutation ($id: ID!) { updateCampaignClientSetting(id: $id, input: {weight: 9}) "
                + "{ setting { id } } }", acmeSetting, "CampaignClientSetting");
        assertSameAsMissing("mutation ($id: ID!) { assignDid(id: $id) { did { id } } }", acmeDid, "Did");
        assertSameAsMissing("mutation ($id: ID!) { deactivateCampaign(id: $id) { campaign { id } } }", acmeCampaign,
                "Campaign");
        assertThat(jdbc.queryForObject("SELECT name || active FROM campaigns WHERE id = ?", String.class, acmeCampaign))
                .isEqualTo("Auto Insurancetrue");
        assertThat(jdbc.queryForObject("SELECT campaign_id FROM dids WHERE id = ?", Long.class, acmeDid)).isEqualTo(acmeCampaign);
    }

    @Test
    void listsAndNestedFieldsShowOnlyTheSellersOwnObjects() {
        long bright = jdbc.queryForObject("SELECT id FROM sellers WHERE name = 'Bright Media'", Long.class);
        List<Map<String, Object>> sellers = graphQl.as("seller2").document("{ sellers { id campaigns { sellerId } "
                + "dids { sellerId } } }").execute().path("sellers").entityList(
                        new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { }).get();
        assertThat(sellers).hasSize(1);
        assertThat(sellers.get(0).toString()).doesNotContain("sellerId=" + acmeSellerId());

        String campaigns = graphQl.as("seller2").document("{ campaigns { sellerId settings { campaign { sellerId } } dids { sellerId } } }")
                .execute().path("campaigns").entityList(Object.class).get().toString();
        assertThat(campaigns).contains("sellerId=" + bright).doesNotContain("sellerId=" + acmeSellerId());
        graphQl.as("seller2").document("query ($s: ID) { campaigns(sellerId: $s) { id } }").variable("s", acmeSellerId())
                .execute().path("campaigns").entityList(Object.class).hasSize(0);
        graphQl.as("seller2").document("{ dids { sellerId } }").execute().path("dids[*].sellerId").entityList(String.class)
                .satisfies(ids -> assertThat(ids).containsOnly(String.valueOf(bright)));

        String logs = graphQl.as("seller2").document("{ callLogs(first: 500) { edges { node { sellerId } } } }").execute()
                .path("callLogs.edges").entityList(Object.class).get().toString();
        assertThat(logs).doesNotContain("sellerId=" + acmeSellerId());
        graphQl.as("seller1").document("query ($s: ID) { callLogs(filter: {campaignId: $s}) { edges { node { id } } } }")
                .variable("s", acmeCampaign).execute().path("callLogs.edges").entityList(Object.class)
                .satisfies(edges -> assertThat(edges).isNotEmpty());
    }

    @Test
    void aSellerCannotCreateForAnotherSellerOrLinkAnotherSellersCampaign() {
        graphQl.as("seller2").document("mutation ($s: ID) { createCampaign(input: {name: \"Hijack\", sellerId: $s}) "
                + "{ campaign { id } } }").variable("s", acmeSellerId()).execute()
                .errors().expect(classified("NOT_FOUND")).verify();
        long client = jdbc.queryForObject("SELECT id FROM clients WHERE name = 'Lone Star Solar'", Long.class);
        graphQl.as("seller2").document("mutation ($c: ID!, $cl: ID!) { linkClient(input: {campaignId: $c, clientId: $cl}) "
                + "{ setting { id } } }").variable("c", acmeCampaign).variable("cl", client).execute()
                .errors().expect(classified("NOT_FOUND")).verify();
    }

    /** Carriers are staff business: a seller sees which trunk its campaign uses (the id), not the carrier's SIP details. */
    @Test
    void aSellerNeitherReadsNorChoosesTrunks() {
        long demoTrunk = jdbc.queryForObject("SELECT id FROM trunks WHERE name = 'Demo Carrier'", Long.class);
        long solarCallbacks = jdbc.queryForObject("SELECT id FROM campaigns WHERE name = 'Solar Callbacks'", Long.class);
        String trunkQuery = "query ($id: ID!) { campaign(id: $id) { trunkId trunk { host port matchIps dialPrefix } } }";
        graphQl.as("seller2").document(trunkQuery).variable("id", solarCallbacks).execute()
                .path("campaign.trunkId").entity(String.class).isEqualTo(String.valueOf(demoTrunk))
                .path("campaign.trunk").valueIsNull();
        graphQl.as("seller2").document("{ campaigns { trunk { host } } }").execute()
                .path("campaigns[*].trunk").entityList(Object.class).satisfies(trunks -> assertThat(trunks).containsOnlyNulls());
        graphQl.as("staff").document(trunkQuery).variable("id", solarCallbacks).execute()
                .path("campaign.trunk.host").entity(String.class).isEqualTo("sip.carrier.example");

        graphQl.as("seller1").document("mutation ($id: ID!, $t: ID!) { updateCampaign(id: $id, input: {trunkId: $t}) "
                + "{ campaign { id } } }").variable("id", acmeCampaign).variable("t", demoTrunk).execute()
                .errors().expect(classified("FORBIDDEN")).verify();
        graphQl.as("seller1").document("mutation ($t: ID!) { createCampaign(input: {name: \"Own Trunk\", "
                + "direction: OUTBOUND, trunkId: $t}) { campaign { id } } }").variable("t", demoTrunk).execute()
                .errors().expect(classified("FORBIDDEN")).verify();
        assertThat(jdbc.queryForObject("SELECT trunk_id FROM campaigns WHERE id = ?", Long.class, acmeCampaign)).isNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaigns WHERE name = 'Own Trunk'", Integer.class)).isZero();

        // sending back the trunk the campaign has is no choice; staff choose freely
        graphQl.as("seller2").document("mutation ($id: ID!, $t: ID!) { updateCampaign(id: $id, input: {trunkId: $t, "
                + "hopperLevel: 50}) { campaign { trunkId } } }").variable("id", solarCallbacks).variable("t", demoTrunk)
                .execute().path("updateCampaign.campaign.trunkId").entity(String.class).isEqualTo(String.valueOf(demoTrunk));
        graphQl.as("staff").document("mutation ($id: ID!, $t: ID!) { updateCampaign(id: $id, input: {trunkId: $t}) "
                + "{ campaign { trunk { name } } } }").variable("id", acmeCampaign).variable("t", demoTrunk).execute()
                .path("updateCampaign.campaign.trunk.name").entity(String.class).isEqualTo("Demo Carrier");
        jdbc.update("UPDATE campaigns SET trunk_id = NULL WHERE id = ?", acmeCampaign);
    }

    /** A buyer's SBC address and PJSIP endpoint are staff business too: a seller reads who, not how to reach them. */
    @Test
    void aSellerReadsBuyersButNotTheirSipConnection() {
        String fields = "id name timeZone active endpoint sipMode sipHost sipPort sipUser maxContacts hasSecret "
                + "schedule { dayOfWeek }";
        List<Map<String, Object>> clients = graphQl.as("seller1").document("{ clients { " + fields + " } }").execute()
                .path("clients").entityList(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { })
                .get();
        assertThat(clients).extracting(client -> client.get("name")).contains("Sunrise Insurance Call Center",
                "Pacific Home Services", "Lone Star Solar");
        assertThat(clients).allSatisfy(client -> assertThat(client).containsEntry("endpoint", null)
                .containsEntry("sipMode", null).containsEntry("sipHost", null).containsEntry("sipPort", null)
                .containsEntry("sipUser", null).containsEntry("maxContacts", null).containsEntry("hasSecret", null)
                .containsKey("timeZone").containsKey("schedule"));
        String nested = graphQl.as("seller1").document("query ($id: ID!) { campaign(id: $id) { settings { client { "
                + fields + " } } } callLogs(first: 500) { edges { node { client { " + fields + " } } } } }")
                .variable("id", acmeCampaign).execute().path("").entity(Object.class).get().toString();
        assertThat(nested).contains("Sunrise Insurance Call Center").doesNotContain("sbc.").doesNotContain("client-")
                .doesNotContain("inbound").doesNotContain("STATIC").doesNotContain("REGISTER");

        graphQl.as("staff").document("{ clients { name endpoint sipHost sipUser } }").execute()
                .path("clients[?(@.name == 'Pacific Home Services')].sipHost").entityList(String.class)
                .containsExactly("sbc.pacific.example")
                .path("clients[?(@.name == 'Pacific Home Services')].endpoint").entityList(String.class)
                .containsExactly("client-pacific");
    }

    private long acmeSellerId() {
        return jdbc.queryForObject("SELECT id FROM sellers WHERE name = 'Acme Leads'", Long.class);
    }

    /** seller2 asking for acme's object gets the very answer of an id that does not exist, but for the id. */
    private void assertSameAsMissing(String document, long id, String type) {
        long missing = 900_000_000L + id;
        ResponseError forbidden = firstError(document, id);
        ResponseError absent = firstError(document, missing);
        assertThat(forbidden.getExtensions()).isEqualTo(absent.getExtensions()).containsEntry("classification", "NOT_FOUND");
        assertThat(forbidden.getMessage()).isEqualTo(type + " " + id + " not found");
        assertThat(absent.getMessage()).isEqualTo(type + " " + missing + " not found");
    }

    private ResponseError firstError(String document, long id) {
        ResponseError[] first = new ResponseError[1];
        graphQl.as("seller2").document(document).variable("id", id).execute().errors().satisfy(errors -> {
            assertThat(errors).hasSize(1);
            first[0] = errors.get(0);
        });
        return first[0];
    }
}
