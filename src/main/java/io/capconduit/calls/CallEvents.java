package io.capconduit.calls;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import io.capconduit.calls.CallEventMapper.Owner;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The call events of every app instance (the triggers of V9_52_1 notify them; CDR reconciliation announces the
 * call logs of each range it wrote), decoded and completed with whose they are: one pipeline per instance, shared
 * by its subscribers, started by the first and stopped after the last. Campaign, buyer and seller are looked up
 * here, once per setting or campaign, so the triggers (one of them on the routing claim, on every inbound call's
 * path when turned on) read nothing.
 */
@Component
class CallEvents {

    static final String CHANNEL = "capconduit_call_events";

    private static final Logger log = LoggerFactory.getLogger(CallEvents.class);
    /** Events a slow pipeline keeps before it drops the oldest (a wallboard wants the present, not a backlog). */
    private static final int BUFFER = 10_000;
    /**
     * The cdr ids of an announced range whose calls are told, the latest: a run over a backlog announces a range of
     * up to a chunk (250,000 rows), and a wallboard wants the calls that just ended, not a replay of the day.
     */
    static final int LOGGED_CDR_IDS = 2_000;
    /** Owners remembered; past this the memory starts again (settings and campaigns keep their owner). */
    private static final int REMEMBERED = 10_000;

    /** A trigger's payload: the row's own columns, by short names (V9_52_1). */
    record Payload(String s, Long id, String uid, Long setting, Long campaign, Long agent, Long lead, String status,
            Boolean released, Boolean answered, String reason, Long from, Long to, OffsetDateTime at) {
    }

    private final CallEventMapper owners;
    private final JsonMapper json;
    private final Map<Long, Owner> settings = new ConcurrentHashMap<>();
    private final Map<Long, Owner> campaigns = new ConcurrentHashMap<>();
    private final Flux<CallEvent> events;

    CallEvents(PostgresNotifications notifications, CallEventMapper owners, JsonMapper json) {
        this.owners = owners;
        this.json = json;
        this.events = notifications.channel(CHANNEL)
                .onBackpressureBuffer(BUFFER, dropped -> log.warn("Call events: too many at once, dropped some"),
                        BufferOverflowStrategy.DROP_OLDEST)
                // the owner lookups may read the database: never on the listener's thread
                .publishOn(Schedulers.boundedElastic())
                .concatMapIterable(this::events)
                .share();
    }

    /** Every call event from now on, of every seller. */
    Flux<CallEvent> all() {
        return events;
    }

    private List<CallEvent> events(Notification notification) {
        if (notification.missedSome()) {
            return List.of(CallEvent.missedSome());
        }
        Payload p;
        try {
            p = json.readValue(notification.payload(), Payload.class);
        }
        catch (JacksonException ex) {
            log.warn("Call events: an unreadable notification was skipped ({})", ex.getOriginalMessage());
            return List.of();
        }
        if ("LOGS".equals(p.s()) && p.from() != null && p.to() != null) {
            return owners.loggedCalls(Math.max(p.from(), p.to() - LOGGED_CDR_IDS), p.to());
        }
        CallEvent event = switch (String.valueOf(p.s())) {
            case "CLAIM" -> {
                Owner owner = owner(settings, p.setting(), owners::ownerOfSetting);
                String kind = Boolean.TRUE.equals(p.released()) ? "RELEASED"
                        : "ANSWERED".equals(p.status()) ? "ANSWERED" : "RINGING";
                yield new CallEvent(kind, p.uid(), null, null, "INBOUND", owner == null ? null : owner.campaignId(),
                        owner == null ? null : owner.sellerId(), owner == null ? null : owner.clientId(), null, null,
                        "RELEASED".equals(kind) ? p.reason() : null, p.at());
            }
            case "QUEUE" -> {
                Owner owner = owner(campaigns, p.campaign(), owners::ownerOfCampaign);
                String kind = "DONE".equals(p.status()) ? "DONE"
                        : Boolean.TRUE.equals(p.answered()) ? "ANSWERED" : "DIALING";
                yield new CallEvent(kind, p.uid(), p.id(), null, "OUTBOUND", p.campaign(),
                        owner == null ? null : owner.sellerId(), null, p.agent(), p.lead(),
                        "DONE".equals(kind) ? p.reason() : null, p.at());
            }
            default -> null;
        };
        return event == null ? List.of() : List.of(event);
    }

    private static Owner owner(Map<Long, Owner> known, Long id, LongFunction<Optional<Owner>> lookup) {
        if (id == null) {
            return null;
        }
        Owner owner = known.get(id);
        if (owner == null) {
            owner = lookup.apply(id).orElse(null);
            if (owner != null) {
                if (known.size() >= REMEMBERED) {
                    known.clear();
                }
                known.put(id, owner);
            }
        }
        return owner;
    }
}
