package io.capconduit.calls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
    private final CampaignMapper campaigns;
    private final ClientMapper clients;

    CallLogController(CallLogService callLogs, CampaignMapper campaigns, ClientMapper clients) {
        this.callLogs = callLogs;
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

    /** Every client the call was offered to, in order: two statements for a page (the offers, their clients). */
    @BatchMapping
    Map<CallLog, List<Client>> clientsTried(List<CallLog> logs) {
        List<CallLogMapper.ClientTried> tried = callLogs.clientsTried(logs);
        List<Long> ids = tried.stream().map(CallLogMapper.ClientTried::clientId).distinct().toList();
        Map<Long, Client> byId = ids.isEmpty() ? Map.of()
                : clients.findByIds(ids).stream().collect(Collectors.toMap(Client::id, client -> client));
        Map<Long, List<Client>> offered = new HashMap<>();
        tried.stream().filter(offer -> byId.containsKey(offer.clientId())).forEach(offer -> offered
                .computeIfAbsent(offer.callLogId(), id -> new ArrayList<>()).add(byId.get(offer.clientId())));
        Map<CallLog, List<Client>> result = new LinkedHashMap<>();
        logs.forEach(log -> result.put(log, offered.getOrDefault(log.id(), List.of())));
        return result;
    }
}
