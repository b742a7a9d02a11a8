package io.capconduit.routing;

import io.capconduit.system.DemoDataLoadedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Gives the demo clients and trunks their PJSIP rows, in the transaction that loaded them. Registering demo
 * clients get the secret {@value #DEMO_SECRET}: demo data is for a local embedded database only.
 */
@Component
class DemoPjsipProvisioning {

    static final String DEMO_SECRET = "demo-sip-secret";

    private final ClientMapper clients;
    private final ClientService clientService;
    private final TrunkMapper trunks;
    private final TrunkService trunkService;

    DemoPjsipProvisioning(ClientMapper clients, ClientService clientService, TrunkMapper trunks,
            TrunkService trunkService) {
        this.clients = clients;
        this.clientService = clientService;
        this.trunks = trunks;
        this.trunkService = trunkService;
    }

    @EventListener
    void provisionDemoEndpoints(DemoDataLoadedEvent event) {
        for (Client client : clients.findAll()) {
            clientService.provision(client, client.sipMode() == Client.SipMode.REGISTER ? DEMO_SECRET : null);
        }
        trunks.findAll().forEach(trunkService::provision);
    }
}
