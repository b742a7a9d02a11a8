package io.capconduit.telephony;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.capconduit.system.FollowedChannel;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import io.capconduit.telephony.AmiForwardedActionMapper.Reply;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Sends an AMI action through another app instance, for one that holds no connection to the server: the action is
 * written to ami_forwarded_actions, an instance logged in to the server takes it, sends it and writes Asterisk's
 * answer back ({@link AmiForwardedRequests}), and this one hears of the answer (or re-reads it after notifications
 * were missed, and every second in any case) and returns it as if it had sent the action itself. An action not
 * taken in time is withdrawn, so it is never sent after the caller was told it failed.
 */
@Component
class AmiForwarding extends FollowedChannel {

    static final String CHANNEL = "capconduit_ami_forwarded_replies";

    /** How often a waiting caller reads its row again without having heard of an answer. */
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final AmiForwardedActionMapper actions;
    private final JsonMapper json;
    private final Duration timeout;
    /** How long a taken action's answer is waited for past the timeout: the taker's own wait for Asterisk. */
    private final Duration answerWait;
    private final Map<Long, Semaphore> waiting = new ConcurrentHashMap<>();

    AmiForwarding(AmiForwardedActionMapper actions, JsonMapper json, PostgresNotifications notifications,
            AmiForwardingProperties forwarding, AmiProperties ami) {
        super(notifications, CHANNEL, "ami-forwarded-replies");
        this.actions = actions;
        this.json = json;
        this.timeout = forwarding.timeout();
        this.answerWait = ami.responseTimeout();
    }

    /**
     * Asterisk's answer to the action, sent through an instance logged in to the server. Throws
     * {@link AmiNotConnectedException} when that instance lost its connection before an answer came, and
     * {@link AmiForwardingTimeoutException} when none answered in time.
     */
    ManagerResponse sendAndWait(long serverId, ManagerAction action, String instance) {
        return response(serverId, action, forward(serverId, action, instance));
    }

    /** As {@link #sendAndWait}, with the channels a CoreShowChannels listed. */
    ResponseEvents sendEventGenerating(long serverId, EventGeneratingAction action, String instance) {
        Reply reply = forward(serverId, action, instance);
        return new Listed(response(serverId, action, reply), AmiForwardedActions.channels(answer(reply)));
    }

    /** A forwarded event-generating action's answer and events. */
    private record Listed(ManagerResponse getResponse, List<ResponseEvent> getEvents) implements ResponseEvents {
    }

    private Reply forward(long serverId, ManagerAction action, String instance) {
        String fields = json.writeValueAsString(AmiForwardedActions.fields(action));
        long id = actions.request(serverId, action.getAction(), fields, instance, timeout.toMillis());
        Semaphore heard = new Semaphore(0);
        waiting.put(id, heard);
        try {
            return await(id, heard, serverId, action.getAction());
        }
        finally {
            waiting.remove(id);
        }
    }

    private Reply await(long id, Semaphore heard, long serverId, String action) {
        long start = System.nanoTime();
        Duration last = timeout.plus(answerWait);
        while (true) {
            Reply reply = actions.reply(id).orElseThrow(() -> new IllegalStateException("forwarded action gone"));
            if (reply.answered()) {
                actions.delete(id);
                return reply;
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (waited.compareTo(timeout) >= 0 && actions.withdraw(id) == 1) {
                throw new AmiForwardingTimeoutException("Asterisk server " + serverId + ": the app instance holding "
                        + "its AMI connection did not answer in " + timeout.toSeconds() + " s; the " + action
                        + " was withdrawn, nothing was sent");
            }
            if (waited.compareTo(last) >= 0) {
                throw new AmiForwardingTimeoutException("Asterisk server " + serverId + ": the app instance holding "
                        + "its AMI connection took the " + action + " but did not answer in " + last.toSeconds()
                        + " s; it may have been done there");
            }
            Duration next = (waited.compareTo(timeout) < 0 ? timeout : last).minus(waited);
            try {
                heard.tryAcquire(Math.min(next.toNanos(), RECHECK.toNanos()) + 1, TimeUnit.NANOSECONDS);
                heard.drainPermits();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                start -= last.toNanos();
            }
        }
    }

    private ManagerResponse response(long serverId, ManagerAction action, Reply reply) {
        if (AmiForwardedRequests.NOT_CONNECTED.equals(reply.outcome())) {
            throw new AmiNotConnectedException(serverId);
        }
        return AmiForwardedActions.response(action.getAction(), reply.outcome(), reply.message(), answer(reply));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> answer(Reply reply) {
        return reply.answer() == null ? Map.of() : json.readValue(reply.answer(), Map.class);
    }

    /** An answer was written: its caller reads it; after missed notifications every caller reads its row again. */
    @Override
    protected void received(Notification notification) {
        if (notification.missedSome()) {
            waiting.values().forEach(Semaphore::release);
            return;
        }
        Semaphore heard = waiting.get(Long.parseLong(notification.payload()));
        if (heard != null) {
            heard.release();
        }
    }
}
