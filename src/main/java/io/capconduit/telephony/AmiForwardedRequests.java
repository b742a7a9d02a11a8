package io.capconduit.telephony;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.capconduit.system.FollowedChannel;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import io.capconduit.telephony.AmiForwardedActionMapper.Request;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.EventGeneratingAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.event.ResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Sends the AMI actions other app instances ask of this one ({@link AmiForwarding}) over its own connections: an
 * action for a server this instance is logged in to is taken (by one instance only, and only while its asker still
 * waits), sent, and Asterisk's answer written back. After missed notifications every action still waiting is read
 * again. Sends run on a few threads of their own: a server slow to answer holds up no other.
 */
@Component
class AmiForwardedRequests extends FollowedChannel {

    static final String CHANNEL = "capconduit_ami_forwarded_actions";
    /** The outcome of an action whose connection was lost before Asterisk answered. */
    static final String NOT_CONNECTED = "NOT_CONNECTED";

    private static final Logger log = LoggerFactory.getLogger(AmiForwardedRequests.class);
    private static final int SENDERS = 4;

    private final AmiForwardedActionMapper actions;
    private final AmiConnections ami;
    private final JsonMapper json;
    private final ThreadPoolExecutor senders = new ThreadPoolExecutor(SENDERS, SENDERS, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "ami-forwarded-actions");
                thread.setDaemon(true);
                return thread;
            });

    AmiForwardedRequests(AmiForwardedActionMapper actions, AmiConnections ami, JsonMapper json,
            PostgresNotifications notifications) {
        super(notifications, CHANNEL, "ami-forwarded-requests");
        this.actions = actions;
        this.ami = ami;
        this.json = json;
        senders.allowCoreThreadTimeOut(true);
    }

    @Override
    protected void received(Notification notification) {
        if (notification.missedSome()) {
            actions.allWaiting().forEach(id -> senders.execute(() -> serve(id)));
        }
        else {
            long id = Long.parseLong(notification.payload());
            senders.execute(() -> serve(id));
        }
    }

    private void serve(long id) {
        try {
            Request request = actions.waiting(id).orElse(null);
            if (request != null && ami.isConnected(request.serverId()) && actions.take(id, ami.instance()) == 1) {
                send(request);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Forwarded AMI action {} not served here: {}", id, ex.getMessage());
        }
    }

    /** Sends the action and writes the answer; the action's fields are never logged (a variable could be secret). */
    @SuppressWarnings("unchecked")
    private void send(Request request) {
        String outcome;
        String message;
        Map<String, Object> answer = null;
        try {
            ManagerAction action = AmiForwardedActions.action(request.action(),
                    json.readValue(request.fields(), Map.class));
            ManagerResponse response;
            Collection<ResponseEvent> events = null;
            if (action instanceof EventGeneratingAction listing) {
                ResponseEvents listed = ami.sendEventGeneratingHere(request.serverId(), listing);
                response = listed.getResponse();
                events = listed.getEvents();
            }
            else {
                response = ami.sendHere(request.serverId(), action);
            }
            outcome = response.getResponse();
            message = response.getMessage();
            answer = AmiForwardedActions.answer(response, events);
        }
        catch (AmiNotConnectedException | IllegalStateException ex) {
            outcome = NOT_CONNECTED;
            message = null;
        }
        catch (RuntimeException ex) {
            log.warn("Forwarded AMI {} {} for server {} could not be sent here ({})", request.action(), request.id(),
                    request.serverId(), ex.getClass().getSimpleName());
            outcome = "Error";
            message = "the app instance holding the AMI connection could not send it";
        }
        actions.answer(request.id(), outcome == null ? "Error" : outcome, message,
                answer == null || answer.isEmpty() ? null : json.writeValueAsString(answer));
    }
}
