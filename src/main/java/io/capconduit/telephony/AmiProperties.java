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
 * @param responseTimeout how long a synchronous action (status, hangup, redirect) waits for its answer, and a
 *                        keep-alive Ping for its Pong
 * @param connectTimeout how long opening the TCP connection may take: a host that is off or unreachable drops the
 *                       connection request without an answer, which the system otherwise waits about two minutes for
 * @param pingInterval how often a connected server is sent a Ping; one unanswered within {@code responseTimeout}
 *                     counts as a lost connection (a host that died or was cut off never closes it)
 */
@ConfigurationProperties("capconduit.ami")
public record AmiProperties(@DefaultValue("true") boolean autoConnect, @DefaultValue("500ms") Duration minBackoff,
        @DefaultValue("30s") Duration maxBackoff, @DefaultValue("5s") Duration responseTimeout,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("20s") Duration pingInterval) {
}
