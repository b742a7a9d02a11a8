package io.capconduit.dialer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;
import io.capconduit.telephony.PjsipProvisioner;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Agents and their phones' PJSIP endpoints ({@code agent-<extension>}), changed together in one transaction.
 * ADMIN manages them; STAFF reads. Agent state (available, paused, ...) belongs to the dialer, not here.
 */
@Service
class AgentService {

    private final AgentMapper agents;
    private final PjsipProvisioner pjsip;

    AgentService(AgentMapper agents, PjsipProvisioner pjsip) {
        this.agents = agents;
        this.pjsip = pjsip;
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    List<Agent> findAll(Boolean active) {
        return active == null ? agents.findAll() : agents.findByActive(active);
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    Agent find(long id) {
        return agents.findById(id).orElseThrow(() -> new NotFoundException("Agent", id));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Agent create(AgentController.AgentInput input) {
        String extension = input.extension() == null ? "" : input.extension().strip();
        if (!extension.matches("^[0-9]{2,10}$")) {
            throw new InvalidInputException("extension", "must be 2 to 10 digits");
        }
        if (agents.extensionTaken(extension, 0)) {
            throw new InvalidInputException("extension", extension + " belongs to another agent");
        }
        // the endpoint id derives from the extension, so that is the argument to change
        pjsip.requireUnused("extension", "agent-" + extension);
        if (input.secret() == null) {
            throw new InvalidInputException("secret", "is required: the phone registers with it");
        }
        Agent agent = new Agent(0, InputChecks.name("name", input.name(), 200), extension, "agent-" + extension,
                Agent.State.OFFLINE, null, null, null, InputChecks.or(input.active(), true), null, null);
        long id = agents.insert(agent);
        apply(find(id), input);
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Agent update(long id, AgentController.AgentInput input) {
        // locked: the update writes name and active back and replaces the campaign links, so it may not start
        // from a row another one is changing
        Agent current = agents.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Agent", id));
        if (input.extension() != null && !input.extension().equals(current.extension())) {
            throw new InvalidInputException("extension", "is fixed once created; create a new agent instead");
        }
        agents.update(new Agent(id, InputChecks.name("name", InputChecks.or(input.name(), current.name()), 200),
                current.extension(), current.endpoint(), current.state(), current.pauseReason(), null, null,
                InputChecks.or(input.active(), current.active()), null, null));
        apply(find(id), input);
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Agent deactivate(long id) {
        return update(id, new AgentController.AgentInput(null, null, null, null, false));
    }

    void apply(Agent agent, AgentController.AgentInput input) {
        if (input.campaignIds() != null) {
            agents.deleteCampaignLinks(agent.id());
            Set<Long> linked = new HashSet<>();
            for (int i = 0; i < input.campaignIds().size(); i++) {
                Long given = input.campaignIds().get(i);
                if (given == null) {
                    // an empty ID ("") binds to null
                    throw new InvalidInputException("campaignIds[" + i + "]", "must be a campaign id");
                }
                long campaignId = given;
                if (!agents.campaignExists(campaignId)) {
                    throw new InvalidInputException("campaignIds[" + i + "]", "no campaign " + campaignId);
                }
                if (linked.add(campaignId)) {   // a campaign listed twice is linked once
                    agents.insertCampaignLink(agent.id(), campaignId);
                }
            }
        }
        if (input.secret() != null) {
            pjsip.setSecret(agent.endpoint(), input.secret());
        }
        if (agent.active()) {
            pjsip.provision(PjsipProvisioner.agent(agent.endpoint()));
        }
        else {
            pjsip.disable(agent.endpoint());
        }
    }
}
