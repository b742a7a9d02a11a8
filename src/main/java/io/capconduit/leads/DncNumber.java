package io.capconduit.leads;

import java.time.Instant;

/** A number that may not be called, by any campaign; {@code source} is manual (the API) or import (a DNC file). */
public record DncNumber(String phone, String source, String reason, Instant createdAt) {
}
