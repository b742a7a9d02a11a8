package io.capconduit.routing;

import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.capconduit.telephony.PjsipProvisioner;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

@Controller
class ClientController {

    private final ClientService clients;
    private final ClientMapper clientMapper;
    private final PjsipProvisioner pjsip;

    ClientController(ClientService clients, ClientMapper clientMapper, PjsipProvisioner pjsip) {
        this.clients = clients;
        this.clientMapper = clientMapper;
        this.pjsip = pjsip;
    }

    @QueryMapping
    List<Client> clients(@Argument Boolean active) {
        return clients.findAll(active);
    }

    @QueryMapping
    Client client(@Argument long id) {
        return clients.find(id);
    }

    @MutationMapping
    ClientPayload createClient(@Argument ClientInput input) {
        return new ClientPayload(clients.create(input));
    }

    @MutationMapping
    ClientPayload updateClient(@Argument long id, @Argument ClientInput input) {
        return new ClientPayload(clients.update(id, input));
    }

    @MutationMapping
    ClientPayload deactivateClient(@Argument long id) {
        return new ClientPayload(clients.deactivate(id));
    }

    @MutationMapping
    DeletePayload deleteClient(@Argument long id) {
        return new DeletePayload(clients.delete(id));
    }

    @MutationMapping
    ClientPayload setClientSchedule(@Argument long clientId, @Argument List<ScheduleHoursInput> hours) {
        return new ClientPayload(clients.setSchedule(clientId, hours));
    }

    @BatchMapping
    Map<Client, List<ScheduleHours>> schedule(List<Client> list) {
        Map<Long, List<ScheduleHours>> byClient = clientMapper.findSchedules(list.stream().map(Client::id).toList())
                .stream().collect(Collectors.groupingBy(ScheduleHours::clientId));
        return list.stream().collect(Collectors.toMap(c -> c, c -> byClient.getOrDefault(c.id(), List.of()), (a, b) -> a));
    }

    // The SIP connection fields, whichever way the client was reached (clients, a setting's or a call log's
    // client): null for a seller.

    @SchemaMapping
    String endpoint(Client client) {
        return clients.connection(client, Client::endpoint);
    }

    @SchemaMapping
    Client.SipMode sipMode(Client client) {
        return clients.connection(client, Client::sipMode);
    }

    @SchemaMapping
    String sipHost(Client client) {
        return clients.connection(client, Client::sipHost);
    }

    @SchemaMapping
    Integer sipPort(Client client) {
        return clients.connection(client, Client::sipPort);
    }

    @SchemaMapping
    String sipUser(Client client) {
        return clients.connection(client, Client::sipUser);
    }

    @SchemaMapping
    Integer maxContacts(Client client) {
        return clients.connection(client, Client::maxContacts);
    }

    @BatchMapping
    Map<Client, Boolean> hasSecret(List<Client> list) {
        if (!clients.showsConnection()) {
            return Map.of();
        }
        Set<String> withSecret = pjsip.withSecret(list.stream().map(Client::endpoint).toList());
        return list.stream().collect(Collectors.toMap(c -> c, c -> withSecret.contains(c.endpoint()), (a, b) -> a));
    }

    record ClientInput(String name, String timeZone, String endpoint, Client.SipMode sipMode, String sipHost,
            Integer sipPort, String sipUser, Integer maxContacts, String secret, Boolean active) {

        @Override
        public String toString() {
            return "ClientInput[name=" + name + ", endpoint=" + endpoint + ", secret=" + (secret == null ? "" : "***") + "]";
        }
    }

    record ScheduleHoursInput(int dayOfWeek, LocalTime openTime, String closeTime) {
    }

    record ClientPayload(Client client) {
    }

    record DeletePayload(long deletedId) {
    }
}
