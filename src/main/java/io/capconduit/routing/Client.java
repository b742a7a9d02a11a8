package io.capconduit.routing;

import java.time.Instant;

/** A call-center buyer, reached at a static SIP URI or by registering; {@code endpoint} is its PJSIP id. */
public record Client(long id, String name, String timeZone, String endpoint, SipMode sipMode, String sipHost,
        Integer sipPort, String sipUser, int maxContacts, boolean active, Instant createdAt, Instant updatedAt) {

    public enum SipMode { STATIC, REGISTER }
}
