package io.capconduit.telephony;

import java.math.BigDecimal;
import java.time.Instant;

/** An Asterisk box the dialer reaches over AMI. The AMI secret is kept apart and never leaves this package. */
public record AsteriskServer(long id, String name, String host, int amiPort, String amiUsername, String systemName,
        BigDecimal maxCallsPerSecond, int maxOriginatesInFlight, boolean active, Instant createdAt,
        Instant updatedAt) {
}
