package io.capconduit.telephony;

import java.time.Duration;
import java.util.List;

import io.capconduit.support.Eventually;
import io.capconduit.system.PostgresNotifications;

/**
 * Another application instance's AMI: connections of its own, through the real asterisk-java client, to a server
 * the application is already connected to (the same Asterisk, the same database), its events reaching only the
 * given listeners. The caller stops it.
 */
public final class OtherInstanceAmi {

    private OtherInstanceAmi() {
    }

    public static AmiConnections connect(AsteriskServerMapper servers, long serverId, AmiListener... listeners) {
        AmiConnections ami = new AmiConnections(servers,
                new AmiProperties(false, Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5),
                        Duration.ofSeconds(5), Duration.ofSeconds(20)),
                List.of(listeners), Duration.ofHours(1));
        ami.connect(serverId);
        Eventually.await("another instance's AMI connection to server " + serverId, Duration.ofSeconds(10),
                () -> ami.isConnected(serverId));
        return ami;
    }

    /** The other instance's AMI reloads res_pjsip when any instance asks for it; close to stop. */
    public static AutoCloseable reloadingPjsip(AmiConnections ami, PostgresNotifications notifications) {
        PjsipReloads reloads = new PjsipReloads(ami, notifications);
        reloads.start();
        return reloads::stop;
    }
}
