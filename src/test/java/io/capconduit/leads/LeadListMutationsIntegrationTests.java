package io.capconduit.leads;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.capconduit.support.GraphQlTesters;
import io.capconduit.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.test.tester.GraphQlTester;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.capconduit.support.GraphQlErrors.badInput;
import static io.capconduit.support.GraphQlErrors.classified;
import static org.assertj.core.api.Assertions.assertThat;

/** Lead lists, the campaigns they feed and the do-not-call list, managed over GraphQL. */
@IntegrationTest
class LeadListMutationsIntegrationTests {

    private static final String CREATE = "mutation ($input: LeadListInput!) { createLeadList(input: $input) "
            + "{ leadList { id sellerId name defaultRegion active campaigns { id } } } }";
    private static final String LINK = "mutation ($c: ID!, $l: ID!) { linkLeadList(campaignId: $c, listId: $l) "
            + "{ leadList { id campaigns { id name } } } }";
    private static final String UNLINK = "mutation ($c: ID!, $l: ID!) { unlinkLeadList(campaignId: $c, listId: $l) "
            + "{ leadList { id campaigns { id } } } }";
    private static final String ADD_DNC = "mutation ($input: DncNumbersInput!) { addDncNumbers(input: $input) "
            + "{ added alreadyListed cancelledQueueEntries refused { value reason } } }";

    @Autowired
    GraphQlTesters graphQl;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSellerCreatesItsOwnListAndLinksItToItsOutboundCampaign() {
        String name = "Spring mailer " + UUID.randomUUID();
        GraphQlTester.Response created = graphQl.as("seller1").document(CREATE)
                .variable("input", Map.of("name", name, "defaultRegion", "ca")).execute();
        long seller1 = sellerOf("seller1");
        created.path("createLeadList.leadList.sellerId").entity(String.class).isEqualTo(String.valueOf(seller1))
                .path("createLeadList.leadList.defaultRegion").entity(String.class).isEqualTo("CA")
                .path("createLeadList.leadList.active").entity(Boolean.class).isEqualTo(true)
                .path("createLeadList.leadList.campaigns").entityList(Object.class).hasSize(0);
        long list = Long.parseLong(created.path("createLeadList.leadList.id").entity(String.class).get());
        long campaign = campaign(seller1, "OUTBOUND");

        graphQl.as("seller1").document(LINK).variable("c", campaign).variable("l", list).execute()
                .path("linkLeadList.leadList.campaigns[*].id").entityList(String.class)
                .containsExactly(String.valueOf(campaign));
        // twice is harmless
        graphQl.as("seller1").document(LINK).variable("c", campaign).variable("l", list).execute()
                .path("linkLeadList.leadList.campaigns").entityList(Object.class).hasSize(1);
        graphQl.as("seller1").document("query ($c: ID!) { campaign(id: $c) { leadLists { id name } } }")
                .variable("c", campaign).execute()
                .path("campaign.leadLists[0].name").entity(String.class).isEqualTo(name);

        graphQl.as("seller1").document("mutation ($l: ID!) { updateLeadList(id: $l, input: {name: \"Renamed\", "
                        + "defaultRegion: \"GB\"}) { leadList { name defaultRegion active } } }").variable("l", list).execute()
                .path("updateLeadList.leadList.name").entity(String.class).isEqualTo("Renamed")
                .path("updateLeadList.leadList.defaultRegion").entity(String.class).isEqualTo("GB");

        graphQl.as("seller1").document(UNLINK).variable("c", campaign).variable("l", list).execute()
                .path("unlinkLeadList.leadList.campaigns").entityList(Object.class).hasSize(0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM campaign_lead_lists WHERE list_id = ?", Long.class, list))
                .isZero();
    }

    @Test
    void badListInputNamesTheFieldAndOtherSellersListsAreNotFound() {
        long seller1 = sellerOf("seller1");
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("defaultRegion", "US")).execute()
                .errors().expect(badInput("input.name")).verify();
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("name", "x".repeat(201))).execute()
                .errors().expect(badInput("input.name")).verify();
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("name", "Region?", "defaultRegion", "XX"))
                .execute().errors().expect(badInput("input.defaultRegion")).verify();
        String name = "Taken " + UUID.randomUUID();
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("name", name)).execute();
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("name", name)).execute()
                .errors().expect(badInput("input.name")).verify();
        // the same name is free for another seller
        graphQl.as("seller2").document(CREATE).variable("input", Map.of("name", name)).execute()
                .path("createLeadList.leadList.name").entity(String.class).isEqualTo(name);
        long own = Long.parseLong(graphQl.as("seller1").document(CREATE).variable("input",
                Map.of("name", "Stays " + UUID.randomUUID())).execute()
                .path("createLeadList.leadList.id").entity(String.class).get());
        graphQl.as("staff").document("mutation ($l: ID!, $s: ID!) { updateLeadList(id: $l, input: {sellerId: $s}) "
                        + "{ leadList { id } } }").variable("l", own).variable("s", sellerOf("seller2")).execute()
                .errors().expect(badInput("input.sellerId")).verify();
        // a seller creates for itself only
        graphQl.as("seller1").document(CREATE).variable("input", Map.of("name", "Theirs", "sellerId", sellerOf("seller2")))
                .execute().errors().expect(classified("NOT_FOUND")).verify();

        long seller2List = list(sellerOf("seller2"));
        long houseList = list(null);
        long campaign = campaign(seller1, "OUTBOUND");
        for (long hidden : new long[] {seller2List, houseList}) {
            graphQl.as("seller1").document(LINK).variable("c", campaign).variable("l", hidden).execute()
                    .errors().expect(classified("NOT_FOUND")).verify();
            graphQl.as("seller1").document("mutation ($l: ID!) { updateLeadList(id: $l, input: {active: false}) "
                    + "{ leadList { id } } }").variable("l", hidden).execute()
                    .errors().expect(classified("NOT_FOUND")).verify();
        }
        // staff: a house list feeds any seller's campaign, a seller's list only that seller's, and never an inbound one
        graphQl.as("staff").document(LINK).variable("c", campaign).variable("l", houseList).execute()
                .path("linkLeadList.leadList.campaigns[*].id").entityList(String.class)
                .containsExactly(String.valueOf(campaign));
        graphQl.as("staff").document(LINK).variable("c", campaign).variable("l", seller2List).execute()
                .errors().expect(badInput("listId")).verify();
        graphQl.as("staff").document(LINK).variable("c", campaign(seller1, "INBOUND")).variable("l", houseList)
                .execute().errors().expect(badInput("campaignId")).verify();
        // the seller sees the house list its campaign dials, not the list itself
        graphQl.as("seller1").document("query ($c: ID!, $l: ID!) { campaign(id: $c) { leadLists { id } } "
                        + "leadList(id: $l) { id } }").variable("c", campaign).variable("l", houseList).execute()
                .errors().expect(classified("NOT_FOUND")).verify()
                .path("campaign.leadLists[*].id").entityList(String.class).containsExactly(String.valueOf(houseList));
        // the house list's campaigns: a seller's campaign is listed for staff
        graphQl.as("staff").document(CREATE).variable("input", Map.of("name", "House " + UUID.randomUUID())).execute()
                .path("createLeadList.leadList.sellerId").valueIsNull();
    }

    @Test
    void numbersGoOnAndOffTheDoNotCallListInAnyFormat() {
        String national = String.format("201555%04d", (int) (Math.random() * 10_000));
        String e164 = "+1" + national;
        GraphQlTester.Response added = graphQl.as("seller1").document(ADD_DNC).variable("input", Map.of(
                "phones", List.of("(" + national.substring(0, 3) + ") " + national.substring(3, 6) + "-"
                        + national.substring(6), e164, "not a number", "+1 200 555 0100", "+49 800 123456789012"),
                "reason", "asked on the call")).execute();
        added.path("addDncNumbers.added").entity(Integer.class).isEqualTo(1)
                .path("addDncNumbers.alreadyListed").entity(Integer.class).isEqualTo(1)
                .path("addDncNumbers.refused[*].value").entityList(String.class)
                .containsExactly("not a number", "+1 200 555 0100", "+49 800 123456789012")
                // libphonenumber calls it valid, the list's E.164 check does not: refused, not an internal error
                .path("addDncNumbers.refused[2].reason").entity(String.class)
                .isEqualTo("+49800123456789012 is longer than the 15 digits E.164 allows");
        assertThat(jdbc.queryForMap("SELECT source, reason FROM dnc_numbers WHERE phone = ?", e164))
                .containsEntry("source", "manual").containsEntry("reason", "asked on the call");

        // every seller is told the number may not be called; why is the business of the seller that wrote it
        String lookUp = "query ($p: String!) { dncNumber(phone: $p) { phone source reason } }";
        graphQl.as("seller2").document(lookUp).variable("p", national).execute()
                .path("dncNumber.phone").entity(String.class).isEqualTo(e164)
                .path("dncNumber.reason").valueIsNull();
        graphQl.as("seller1").document(lookUp).variable("p", e164).execute()
                .path("dncNumber.reason").entity(String.class).isEqualTo("asked on the call");
        graphQl.as("staff").document(lookUp).variable("p", e164).execute()
                .path("dncNumber.reason").entity(String.class).isEqualTo("asked on the call");
        graphQl.as("seller2").document("{ dncNumber(phone: \"+12025550199\") { phone } }").execute()
                .path("dncNumber").valueIsNull();
        graphQl.as("seller2").document("{ dncNumber(phone: \"12\") { phone } }").execute()
                .errors().expect(badInput("phone")).verify();

        // the whole list and removals are staff business
        graphQl.as("seller1").document("{ dncNumbers { edges { node { phone } } } }").execute()
                .errors().expect(classified("FORBIDDEN")).verify();
        graphQl.as("seller1").document("mutation ($p: String!) { removeDncNumbers(input: {phones: [$p]}) { removed } }")
                .variable("p", e164).execute().errors().expect(classified("FORBIDDEN")).verify();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = ?", Long.class, e164)).isOne();

        graphQl.as("staff").document("mutation ($p: String!) { removeDncNumbers(input: {phones: [$p]}) { removed } }")
                .variable("p", national).execute().path("removeDncNumbers.removed").entity(Integer.class).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM dnc_numbers WHERE phone = ?", Long.class, e164)).isZero();
    }

    @Test
    void theDoNotCallListPagesInNumberOrderAndRefusesOversizedBatches() {
        List<String> phones = IntStream.range(0, 5).mapToObj(i -> String.format("+1303555%04d", 9000 + i)).toList();
        graphQl.as("staff").document(ADD_DNC).variable("input", Map.of("phones", phones)).execute()
                .path("addDncNumbers.refused").entityList(Object.class).hasSize(0);
        List<String> seen = new java.util.ArrayList<>();
        String after = null;
        String page = "query ($after: String) { dncNumbers(first: 2, after: $after) { edges { node { phone } } "
                + "pageInfo { hasNextPage endCursor } } }";
        while (true) {
            GraphQlTester.Response response = graphQl.as("admin").document(page).variable("after", after).execute();
            seen.addAll(response.path("dncNumbers.edges[*].node.phone").entityList(String.class).get());
            if (!response.path("dncNumbers.pageInfo.hasNextPage").entity(Boolean.class).get()) {
                break;
            }
            after = response.path("dncNumbers.pageInfo.endCursor").entity(String.class).get();
        }
        assertThat(seen).containsAll(phones).isSorted().doesNotHaveDuplicates();

        graphQl.as("staff").document(ADD_DNC).variable("input", Map.of("phones", List.of())).execute()
                .errors().expect(badInput("input.phones")).verify();
        graphQl.as("staff").document(ADD_DNC).variable("input", Map.of("phones", java.util.Collections.nCopies(
                DncService.MAX_NUMBERS + 1, phones.get(0)))).execute()
                .errors().expect(badInput("input.phones")).verify();
        graphQl.as("staff").document(ADD_DNC).variable("input", Map.of("phones", phones, "region", "Mars")).execute()
                .errors().expect(badInput("input.region")).verify();
        graphQl.as("staff").document(ADD_DNC).variable("input", Map.of("phones", phones, "reason", "r".repeat(201)))
                .execute().errors().expect(badInput("input.reason")).verify();
    }

    private long sellerOf(String username) {
        return jdbc.queryForObject("SELECT seller_id FROM users WHERE username = ?", Long.class, username);
    }

    private long campaign(long sellerId, String direction) {
        return jdbc.queryForObject("INSERT INTO campaigns (seller_id, name, direction) VALUES (?, ?, ?) RETURNING id",
                Long.class, sellerId, "c-" + UUID.randomUUID(), direction);
    }

    private long list(Long sellerId) {
        return jdbc.queryForObject("INSERT INTO lead_lists (seller_id, name) VALUES (?, ?) RETURNING id", Long.class,
                sellerId, "l-" + UUID.randomUUID());
    }
}
