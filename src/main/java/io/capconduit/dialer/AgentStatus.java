package io.capconduit.dialer;

import java.time.Instant;

/** An agent's dialer state as the API shows it. */
record AgentStatus(long agentId, String name, String extension, Agent.State state, String pauseReason,
        Instant stateChangedAt, Instant wrapUpUntil, String currentChannel) {
}
