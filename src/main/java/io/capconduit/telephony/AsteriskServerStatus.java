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

    /** Connected, through another app instance than the one asked, which did not answer in time for the figures. */
    static AsteriskServerStatus unanswered(AsteriskServer server, String error) {
        return new AsteriskServerStatus(server.id(), server.name(), true, null, null, null, null, null, null, null,
                null, error);
    }
}
