package io.capconduit.calls;

import java.util.List;
import java.util.Map;

import io.capconduit.routing.Campaign;
import io.capconduit.routing.CampaignMapper;
import io.capconduit.routing.Client;
import io.capconduit.routing.ClientMapper;
import io.capconduit.system.graphql.Batches;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.PageRequest;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Call logs, read-only, keyset-paged; a seller reads only its own. */
@Controller
class CallLogController {

    private final CallLogService callLogs;
    private final CdrService cdrs;
    private final CampaignMapper campaigns;
    private final ClientMapper clients;

    CallLogController(CallLogService callLogs, CdrService cdrs, CampaignMapper campaigns, ClientMapper clients) {
        this.callLogs = callLogs;
        this.cdrs = cdrs;
        this.campaigns = campaigns;
        this.clients = clients;
    }

    @QueryMapping
    Connection<CallLog> callLogs(@Argument CallLogFilter filter, @Argument Integer first, @Argument String after) {
        return callLogs.page(filter, PageRequest.ofTimed(first, after, CallLogService.CURSORS));
    }

    @QueryMapping
    CallLog callLog(@Argument long id) {
        return callLogs.find(id);
    }

    @BatchMapping
    Map<CallLog, Campaign> campaign(List<CallLog> logs) {
        return Batches.one(logs, CallLog::campaignId, campaigns::findByIds, Campaign::id);
    }

    @BatchMapping
    Map<CallLog, Client> client(List<CallLog> logs) {
        return Batches.one(logs, CallLog::clientId, clients::findByIds, Client::id);
    }

    @BatchMapping
    Map<CallLog, List<String>> recordingFiles(List<CallLog> logs) {
        return callLogs.recordingFiles(logs);
    }

    @BatchMapping
    Map<CallLog, List<Recording>> recordings(List<CallLog> logs) {
        return callLogs.recordings(logs);
    }

    @BatchMapping
    Map<CallLog, List<Client>> clientsTried(List<CallLog> logs) {
        return Batches.listed(logs, CallLog::clientIdsTried, clients::findByIds, Client::id);
    }

    @BatchMapping
    Map<CallLog, List<Cdr>> cdrs(List<CallLog> logs) {
        return cdrs.of(logs);
    }
}
