package io.capconduit.dialer;

import java.time.Instant;

/** A person taking outbound calls at a PJSIP extension. */
public record Agent(long id, String name, String extension, String endpoint, State state, String pauseReason,
        Instant stateChangedAt, String currentChannel, boolean active, Instant createdAt, Instant updatedAt) {

    public enum State { OFFLINE, AVAILABLE, ON_CALL, WRAP_UP, PAUSED }
}
