package io.capconduit.telephony;

import java.util.List;

import io.capconduit.system.FollowedChannel;
import io.capconduit.system.PostgresNotifications;
import io.capconduit.system.PostgresNotifications.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Makes this instance's AMI connections follow a change of an Asterisk server made through any instance: a trigger
 * (V9_73_0) names the server created, moved, activated or deactivated on a channel every instance listens on, and
 * each connects it anew with its settings or drops it. Changes that came while the listening connection was down are
 * caught up with once it listens again: active servers without a connection here are connected and inactive ones
 * dropped (a move missed meanwhile takes effect at the server's next reconnect, which reads its settings again).
 */
@Component
class AmiServerChanges extends FollowedChannel {

    static final String CHANNEL = "capconduit_asterisk_server_changes";

    private static final Logger log = LoggerFactory.getLogger(AmiServerChanges.class);

    private final AsteriskServerMapper servers;
    private final AmiConnections ami;

    AmiServerChanges(AsteriskServerMapper servers, AmiConnections ami, PostgresNotifications notifications) {
        // one thread, in order: a server deactivated then activated again ends connected
        super(notifications, CHANNEL, "ami-server-changes");
        this.servers = servers;
        this.ami = ami;
    }

    @Override
    protected void received(Notification notification) {
        try {
            if (notification.missedSome()) {
                catchUp();
            }
            else {
                long serverId = Long.parseLong(notification.payload());
                ami.serverChanged(serverId, servers.findById(serverId).map(AsteriskServer::active).orElse(false));
            }
        }
        catch (RuntimeException ex) {
            log.warn("Asterisk server change {} not followed here ({}); it takes effect at the next start",
                    notification.payload(), ex.getMessage());
        }
    }

    /** Connects the active servers this instance has no connection to and drops the others. */
    void catchUp() {
        List<AsteriskServer> all = servers.findAll();
        ami.follow(all);
    }
}
