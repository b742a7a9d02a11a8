package io.capconduit.system.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may call each operation of the API, reviewed field by field: every query, mutation and subscription of
 * graphql-schema/ and every REST endpoint has its line here, so a new one cannot ship before someone decided who may
 * call it ({@link AuthorizationSweepIntegrationTests} fails on a field or endpoint missing from this table).
 * DESIGN.md: ADMIN manages clients, PJSIP (agents, trunks), servers, sellers and users; STAFF reads all and operates
 * jobs and calls; a SELLER only its own campaigns, DIDs, settings, lead lists and call logs.
 */
final class ExpectedAccess {

    /** Who may call an operation. */
    enum Access {
        /** Anyone signed in, about itself or about shared data (clients without their SIP connection, DNC checks). */
        SIGNED_IN,
        /** Every role; a SELLER is confined to its own seller's objects (another seller's is NOT_FOUND or left out). */
        OWN,
        /** ADMIN and STAFF; a SELLER is FORBIDDEN. */
        STAFF,
        /** ADMIN only; STAFF and SELLER are FORBIDDEN. */
        ADMIN
    }

    /** What an argument names, so a seller can be handed another seller's object of that kind. */
    enum Kind {
        CAMPAIGN, DID, DID_NUMBER, SETTING, CALL_LOG, LEAD_LIST, SELLER, LEAD_IMPORT
    }

    /** An operation's access, and for OWN ones what its {@code id} argument names (null: it has none). */
    record Expectation(Access access, Kind id) {
    }

    /** Arguments (and input fields) naming a seller's object by their name alone, whatever the operation. */
    static final Map<String, Kind> NAMED = Map.of("campaignId", Kind.CAMPAIGN, "listId", Kind.LEAD_LIST,
            "executionId", Kind.LEAD_IMPORT, "sellerId", Kind.SELLER, "did", Kind.DID_NUMBER);

    static final Map<String, Expectation> FIELDS = new LinkedHashMap<>();

    /** REST endpoints by method and pattern, as Spring MVC maps them. */
    static final Map<String, Access> REST = new LinkedHashMap<>();

    static {
        // accounts, users
        signedIn("Query.me", "Query.myApiTokens", "Query.myApiTokenConnection", "Mutation.changeMyPassword",
                "Mutation.createApiToken", "Mutation.revokeApiToken");
        admin("Query.users", "Query.userConnection", "Query.user", "Mutation.createUser", "Mutation.updateUser",
                "Mutation.deactivateUser");

        // calls
        own("Query.callLogs", null);
        own("Query.callLog", Kind.CALL_LOG);
        staff("Query.cdrRejects", "Query.cdrs");
        own("Subscription.callEvents", null);

        // agents, outbound queue, dialer, call control
        staff("Query.agents", "Query.agent", "Query.agentStatuses", "Query.asteriskServerStatus",
                "Mutation.setAgentState", "Mutation.endWrapUp", "Mutation.fillHopperNow", "Mutation.clickToCall",
                "Mutation.hangupChannel", "Mutation.blindTransfer");
        admin("Mutation.createAgent", "Mutation.updateAgent", "Mutation.deactivateAgent");
        own("Query.outboundQueue", null);
        own("Query.hopperDiagnostics", null);
        own("Query.outboundRecordings", null);
        own("Mutation.reopenDisconnectedLeads", null);

        // jobs
        staff("Query.batchJobs", "Query.batchJob", "Query.batchJobExecution", "Mutation.runJob",
                "Mutation.stopJobExecution", "Mutation.restartJobExecution", "Subscription.jobExecutionProgress");

        // lead lists, leads, imports, DNC
        own("Query.leadImport", null);
        own("Subscription.leadImportProgress", null);
        staff("Mutation.importLeadsFromServerFile", "Mutation.importDncFromServerFile", "Mutation.restartLeadImport",
                "Query.dncNumbers", "Mutation.removeDncNumbers");
        own("Query.leadLists", null);
        own("Query.leadList", Kind.LEAD_LIST);
        own("Query.leads", null);
        own("Mutation.createLeadList", null);
        own("Mutation.updateLeadList", Kind.LEAD_LIST);
        own("Mutation.linkLeadList", null);
        own("Mutation.unlinkLeadList", null);
        // an opt-out is honoured whoever takes it; whether a number may be called is no seller's secret
        signedIn("Query.dncNumber", "Mutation.addDncNumbers");

        // reports
        own("Query.report", null);
        own("Query.capUsage", null);
        own("Query.capUsageConnection", null);

        // routing
        own("Query.routePreview", null);
        own("Query.sellers", null);
        own("Query.seller", Kind.SELLER);
        admin("Mutation.createSeller", "Mutation.updateSeller", "Mutation.deactivateSeller");
        // buyers are shared: every role reads them (a seller without their SIP connection); ADMIN changes them
        signedIn("Query.clients", "Query.client");
        admin("Mutation.createClient", "Mutation.updateClient", "Mutation.deactivateClient", "Mutation.deleteClient",
                "Mutation.setClientSchedule");
        own("Query.campaigns", null);
        own("Query.campaign", Kind.CAMPAIGN);
        own("Mutation.createCampaign", null);
        own("Mutation.updateCampaign", Kind.CAMPAIGN);
        own("Mutation.deactivateCampaign", Kind.CAMPAIGN);
        own("Query.dids", null);
        own("Query.didConnection", null);
        own("Query.did", Kind.DID);
        own("Query.didByNumber", null);
        staff("Mutation.createDid");
        own("Mutation.updateDid", Kind.DID);
        own("Mutation.assignDid", Kind.DID);
        own("Mutation.deactivateDid", Kind.DID);
        own("Query.campaignClientSetting", Kind.SETTING);
        own("Mutation.linkClient", null);
        own("Mutation.updateCampaignClientSetting", Kind.SETTING);
        own("Mutation.deactivateCampaignClientSetting", Kind.SETTING);
        staff("Query.trunks", "Query.trunk");
        admin("Mutation.createTrunk", "Mutation.updateTrunk", "Mutation.deactivateTrunk",
                "Mutation.releaseAsteriskServerClaims");

        // Asterisk servers
        staff("Query.asteriskServers", "Query.asteriskServer");
        admin("Mutation.createAsteriskServer", "Mutation.updateAsteriskServer", "Mutation.deactivateAsteriskServer");

        REST.put("POST /api/leads/import", Access.OWN);
        REST.put("POST /api/dnc/import", Access.STAFF);
        REST.put("GET /api/leads/import/{executionId}", Access.OWN);
        REST.put("GET /api/leads/import/{executionId}/rejects.csv", Access.OWN);
        REST.put("GET /api/leads/import/{executionId}/rejects.xlsx", Access.OWN);
        REST.put("GET /api/reports/export.{format}", Access.OWN);
        REST.put("GET /api/call-logs/export.{format}", Access.OWN);
        REST.put("GET /api/recordings/{id}", Access.OWN);
    }

    private ExpectedAccess() {
    }

    private static void own(String field, Kind id) {
        put(field, new Expectation(Access.OWN, id));
    }

    private static void signedIn(String... fields) {
        for (String field : fields) {
            put(field, new Expectation(Access.SIGNED_IN, null));
        }
    }

    private static void staff(String... fields) {
        for (String field : fields) {
            put(field, new Expectation(Access.STAFF, null));
        }
    }

    private static void admin(String... fields) {
        for (String field : fields) {
            put(field, new Expectation(Access.ADMIN, null));
        }
    }

    private static void put(String field, Expectation expectation) {
        if (FIELDS.put(field, expectation) != null) {
            throw new IllegalStateException(field + " is in the table twice");
        }
    }
}
