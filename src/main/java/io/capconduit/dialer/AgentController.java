package io.capconduit.dialer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.capconduit.telephony.PjsipProvisioner;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class AgentController {

    private final AgentService agents;
    private final AgentMapper agentMapper;
    private final PjsipProvisioner pjsip;

    AgentController(AgentService agents, AgentMapper agentMapper, PjsipProvisioner pjsip) {
        this.agents = agents;
        this.agentMapper = agentMapper;
        this.pjsip = pjsip;
    }

    @QueryMapping
    List<Agent> agents(@Argument Boolean active) {
        return agents.findAll(active);
    }

    @QueryMapping
    Agent agent(@Argument long id) {
        return agents.find(id);
    }

    @MutationMapping
    AgentPayload createAgent(@Argument AgentInput input) {
        return new AgentPayload(agents.create(input));
    }

    @MutationMapping
    AgentPayload updateAgent(@Argument long id, @Argument AgentInput input) {
        return new AgentPayload(agents.update(id, input));
    }

    @MutationMapping
    AgentPayload deactivateAgent(@Argument long id) {
        return new AgentPayload(agents.deactivate(id));
    }

    @BatchMapping
    Map<Agent, List<Long>> campaignIds(List<Agent> list) {
        Map<Long, List<Long>> links = agentMapper.findCampaignLinks(list.stream().map(Agent::id).toList()).stream()
                .collect(Collectors.groupingBy(AgentMapper.AgentCampaign::agentId,
                        Collectors.mapping(AgentMapper.AgentCampaign::campaignId, Collectors.toList())));
        Map<Agent, List<Long>> result = new LinkedHashMap<>();
        list.forEach(agent -> result.put(agent, links.getOrDefault(agent.id(), List.of())));
        return result;
    }

    @BatchMapping
    Map<Agent, Boolean> hasSecret(List<Agent> list) {
        Set<String> withSecret = pjsip.withSecret(list.stream().map(Agent::endpoint).toList());
        Map<Agent, Boolean> result = new LinkedHashMap<>();
        list.forEach(agent -> result.put(agent, withSecret.contains(agent.endpoint())));
        return result;
    }

    record AgentInput(String name, String extension, String secret, List<Long> campaignIds, Boolean active) {

        @Override
        public String toString() {
            return "AgentInput[name=" + name + ", extension=" + extension + ", secret=***]";
        }
    }

    record AgentPayload(Agent agent) {
    }
}
