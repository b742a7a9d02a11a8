package io.capconduit.telephony;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

@Controller
class AsteriskServerStatusController {

    private final AsteriskServerStatusService service;

    AsteriskServerStatusController(AsteriskServerStatusService service) {
        this.service = service;
    }

    @QueryMapping
    AsteriskServerStatus asteriskServerStatus(@Argument long serverId) {
        return service.status(serverId);
    }
}
