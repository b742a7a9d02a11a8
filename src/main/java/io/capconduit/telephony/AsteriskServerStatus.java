package io.capconduit.telephony;

import java.time.Instant;

/** What an Asterisk server answers over AMI; only the identity and an error when it cannot be asked. */
record AsteriskServerStatus(long serverId, String name, boolean connected, String asteriskVersion,
        String amiVersion, String systemName, Instant startedAt, Instant reloadedAt, Integer uptimeSeconds,
        Integer currentCalls, Integer activeChannels, String error) {

    static AsteriskServerStatus down(AsteriskServer server, String error) {
        return new AsteriskServerStatus(server.id(), server.name(), false, null, null, null, null, null, null, null,
                null, error);
    }

    /** Connected, through another app instance than the one asked, which therefore cannot ask it for figures. */
    static AsteriskServerStatus elsewhere(AsteriskServer server) {
        return new AsteriskServerStatus(server.id(), server.name(), true, null, null, null, null, null, null, null,
                null, "connected over AMI through another app instance, not this one (capconduit.ami.auto-connect): "
                        + "ask one that keeps AMI connections for the figures");
    }
}
