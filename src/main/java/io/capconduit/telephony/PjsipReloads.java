package io.capconduit.telephony;

import io.capconduit.system.FollowedChannel;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;

import org.springframework.stereotype.Component;

/**
 * Reloads res_pjsip on the servers this instance is connected to whenever any instance asks for it
 * ({@link PjsipProvisioner}): the instance that provisioned a static AOR may hold no connection to them. Each
 * instance reloads its own connections, so with several a server reloads once per instance, which is harmless. A
 * request missed while the listening connection was down is not replayed: the AOR is qualified at the server's
 * next start, {@code pjsip reload}, or the next such change.
 */
@Component
class PjsipReloads extends FollowedChannel {

    static final String CHANNEL = "capconduit_pjsip_reload";

    private final AmiConnections ami;

    PjsipReloads(AmiConnections ami, PostgresNotifications notifications) {
        super(notifications, CHANNEL, "pjsip-reloads");
        this.ami = ami;
    }

    @Override
    protected void received(Notification notification) {
        if (!notification.missedSome()) {
            ami.reloadPjsip();
        }
    }
}
