package io.capconduit.dialer;

import io.capconduit.system.DemoDataLoadedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Gives the demo agents their PJSIP endpoints with the secret {@value #DEMO_SECRET} (local demo only). */
@Component
class DemoAgentProvisioning {

    static final String DEMO_SECRET = "demo-sip-secret";

    private final AgentMapper agents;
    private final AgentService agentService;

    DemoAgentProvisioning(AgentMapper agents, AgentService agentService) {
        this.agents = agents;
        this.agentService = agentService;
    }

    @EventListener
    void provisionDemoAgents(DemoDataLoadedEvent event) {
        for (Agent agent : agents.findAll()) {
            agentService.apply(agent, new AgentController.AgentInput(null, null, DEMO_SECRET, null, null));
        }
    }
}
