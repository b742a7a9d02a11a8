package io.capconduit.telephony;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * AMI connection management.
 *
 * @param autoConnect open one connection per active row of asterisk_servers at start-up
 * @param minBackoff first wait before reconnecting after a lost or refused connection; doubles each failure
 * @param maxBackoff longest wait between reconnect attempts
 * @param responseTimeout how long a synchronous action (status, hangup, redirect) waits for its answer
 */
@ConfigurationProperties("capconduit.ami")
public record AmiProperties(@DefaultValue("true") boolean autoConnect, @DefaultValue("500ms") Duration minBackoff,
        @DefaultValue("30s") Duration maxBackoff, @DefaultValue("5s") Duration responseTimeout) {
}
