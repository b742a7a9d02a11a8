package io.capconduit.accounts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many wrong passwords a user name from one client address, and a client address, may send within
 * {@code window} before sign-ins with them are refused for the rest of that window. An address gets more: an office
 * behind one NAT shares it.
 */
@ConfigurationProperties("capconduit.sign-in-throttle")
record SignInThrottleProperties(@DefaultValue("5") int maxFailuresPerUsername,
        @DefaultValue("50") int maxFailuresPerAddress, @DefaultValue("15m") Duration window) {
}
