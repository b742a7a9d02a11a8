package io.capconduit.calls;

import reactor.core.publisher.Flux;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.stereotype.Controller;

@Controller
class CallEventController {

    private final CallEventService events;

    CallEventController(CallEventService events) {
        this.events = events;
    }

    @SubscriptionMapping
    Flux<CallEvent> callEvents(@Argument Long campaignId) {
        return events.events(campaignId);
    }
}
