package io.capconduit.dialer;

import java.time.Instant;

/** A lead waiting in (or handed out of) a campaign's hopper. */
public record OutboundQueueEntry(long id, long campaignId, long leadId, String status, int priority, Instant queuedAt,
        Instant dialingAt, Instant doneAt, Long serverId, String channelId, Long agentId, String outcome,
        Integer hangupCause) {
}
