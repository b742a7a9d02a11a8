package io.capconduit.telephony;

import java.time.Instant;

import org.asteriskjava.manager.event.ManagerEvent;

/**
 * Receives AMI events of every connected server, in order per channel (unique id), on executors of that server (never on
 * the connection's reader thread), so a listener may use the database.
 */
public interface AmiListener {

    void onEvent(long serverId, ManagerEvent event);

    /** The server's connection is (again) logged in; {@code connectedAt} is when, for in-flight recovery. */
    default void onConnected(long serverId, Instant connectedAt) {
    }
}
