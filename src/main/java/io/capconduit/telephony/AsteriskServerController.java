package io.capconduit.telephony;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class AsteriskServerController {

    private final AsteriskServerService servers;

    AsteriskServerController(AsteriskServerService servers) {
        this.servers = servers;
    }

    @QueryMapping
    List<AsteriskServer> asteriskServers() {
        return servers.findAll();
    }

    @QueryMapping
    AsteriskServer asteriskServer(@Argument long id) {
        return servers.find(id);
    }

    @MutationMapping
    AsteriskServerPayload createAsteriskServer(@Argument AsteriskServerInput input) {
        return new AsteriskServerPayload(servers.create(input));
    }

    @MutationMapping
    AsteriskServerPayload updateAsteriskServer(@Argument long id, @Argument AsteriskServerInput input) {
        return new AsteriskServerPayload(servers.update(id, input));
    }

    @MutationMapping
    AsteriskServerPayload deactivateAsteriskServer(@Argument long id) {
        return new AsteriskServerPayload(servers.deactivate(id));
    }

    record AsteriskServerInput(String name, String host, Integer amiPort, String amiUsername, String amiSecret,
            String systemName, Double maxCallsPerSecond, Integer maxOriginatesInFlight, Boolean active) {

        @Override
        public String toString() {
            return "AsteriskServerInput[name=" + name + ", host=" + host + ", amiSecret=***]";
        }
    }

    record AsteriskServerPayload(AsteriskServer asteriskServer) {
    }
}
