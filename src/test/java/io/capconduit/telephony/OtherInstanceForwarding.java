package io.capconduit.telephony;

import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationContext;

/**
 * Another application instance's serving of the AMI actions forwarded to it ({@link AmiForwardedRequests}) over
 * its own AMI connections (from {@link OtherInstanceAmi}). Made not listening: {@link #listen} starts that, and
 * {@link #catchUp} acts as its listening connection does once back after notifications were missed. Close to stop.
 */
public final class OtherInstanceForwarding implements AutoCloseable {

    private final AmiForwardedRequests requests;

    private OtherInstanceForwarding(AmiForwardedRequests requests) {
        this.requests = requests;
    }

    public static OtherInstanceForwarding of(AmiConnections ami, ApplicationContext application) {
        return new OtherInstanceForwarding(new AmiForwardedRequests(application.getBean(AmiForwardedActionMapper.class),
                ami, application.getBean(JsonMapper.class), application.getBean(PostgresNotifications.class)));
    }

    public OtherInstanceForwarding listen() {
        requests.start();
        return this;
    }

    /** What the instance does when its listening connection is back: every action still waiting is served. */
    public void catchUp() {
        requests.received(new Notification(null, true));
    }

    @Override
    public void close() {
        requests.stop();
    }
}
